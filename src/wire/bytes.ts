/**
 * Byte writer and reader for the TLS presentation language (RFC 8446 §3).
 *
 * The writer back-patches length prefixes: open a vector, write its content, close it, and the
 * length fills itself in, so builders read like the RFC grammar. The reader never trusts a
 * length: a sub-reader over a declared vector must be consumed exactly, and running out of bytes
 * is "truncated" (keep reading the socket) while an impossible value is "malformed" (give up).
 */

/** Why a decode failed: `truncated` means more bytes may fix it, `malformed` means they cannot. */
export type DecodeErrorKind = 'truncated' | 'malformed';

/** The only error the wire codec throws. */
export class DecodeError extends Error {
  readonly kind: DecodeErrorKind;
  readonly code: string;
  constructor(kind: DecodeErrorKind, message: string) {
    super(message);
    this.name = 'DecodeError';
    this.kind = kind;
    this.code = kind === 'truncated' ? 'ETRUNCATED' : 'EMALFORMED';
  }
}

export function malformed(message: string): never {
  throw new DecodeError('malformed', message);
}

/** Growable buffer with length-prefixed vectors that are patched when closed. */
export class Writer {
  private buf = new Uint8Array(512);
  private len = 0;
  private readonly open: { at: number; width: 1 | 2 | 3 }[] = [];

  private reserve(n: number): void {
    if (this.len + n <= this.buf.length) return;
    let size = this.buf.length * 2;
    while (size < this.len + n) size *= 2;
    const grown = new Uint8Array(size);
    grown.set(this.buf.subarray(0, this.len));
    this.buf = grown;
  }

  u8(v: number): this {
    this.reserve(1);
    this.buf[this.len++] = v & 0xff;
    return this;
  }

  u16(v: number): this {
    this.reserve(2);
    this.buf[this.len++] = (v >>> 8) & 0xff;
    this.buf[this.len++] = v & 0xff;
    return this;
  }

  u24(v: number): this {
    this.reserve(3);
    this.buf[this.len++] = (v >>> 16) & 0xff;
    this.buf[this.len++] = (v >>> 8) & 0xff;
    this.buf[this.len++] = v & 0xff;
    return this;
  }

  bytes(b: Uint8Array): this {
    this.reserve(b.length);
    this.buf.set(b, this.len);
    this.len += b.length;
    return this;
  }

  /** Opens a vector whose length prefix is `width` bytes; close it with `end()`. */
  begin(width: 1 | 2 | 3): this {
    this.open.push({ at: this.len, width });
    this.reserve(width);
    this.len += width;
    return this;
  }

  /** Closes the innermost open vector and writes its length. */
  end(): this {
    const v = this.open.pop();
    if (!v) throw new Error('Writer.end() without begin()');
    const n = this.len - v.at - v.width;
    if (n >= 2 ** (8 * v.width)) throw new Error(`vector of ${n} bytes overflows a ${v.width}-byte length`);
    for (let i = v.width - 1, x = n; i >= 0; i--, x >>>= 8) this.buf[v.at + i] = x & 0xff;
    return this;
  }

  /** Writes `fn`'s output inside a vector with a `width`-byte length. */
  vector(width: 1 | 2 | 3, fn: (w: this) => void): this {
    this.begin(width);
    fn(this);
    return this.end();
  }

  get length(): number {
    return this.len;
  }

  finish(): Uint8Array {
    if (this.open.length) throw new Error('Writer.finish() with open vectors');
    return this.buf.slice(0, this.len);
  }
}

/** Reader over a byte range; every read checks bounds first. */
export class Reader {
  private pos = 0;
  constructor(
    private readonly buf: Uint8Array,
    /** What is being read, for error messages ("ServerHello", "key_share extension"). */
    readonly what = 'message',
    /** A reader over a complete declared vector: running out is malformed, not truncated. */
    private readonly complete = false,
  ) {}

  get remaining(): number {
    return this.buf.length - this.pos;
  }

  get offset(): number {
    return this.pos;
  }

  private need(n: number): void {
    if (this.pos + n > this.buf.length) {
      const msg = `${this.what}: needs ${n} more byte(s) at offset ${this.pos}, has ${this.remaining}`;
      throw new DecodeError(this.complete ? 'malformed' : 'truncated', msg);
    }
  }

  u8(): number {
    this.need(1);
    return this.buf[this.pos++]!;
  }

  u16(): number {
    this.need(2);
    const v = (this.buf[this.pos]! << 8) | this.buf[this.pos + 1]!;
    this.pos += 2;
    return v;
  }

  u24(): number {
    this.need(3);
    const v = (this.buf[this.pos]! << 16) | (this.buf[this.pos + 1]! << 8) | this.buf[this.pos + 2]!;
    this.pos += 3;
    return v;
  }

  bytes(n: number): Uint8Array {
    this.need(n);
    const out = this.buf.subarray(this.pos, this.pos + n);
    this.pos += n;
    return out;
  }

  /** Reads a `width`-byte length and returns a reader that must consume exactly that vector. */
  vector(width: 1 | 2 | 3, what = this.what): Reader {
    const n = width === 1 ? this.u8() : width === 2 ? this.u16() : this.u24();
    return new Reader(this.bytes(n), what, true);
  }

  /** Reads a `width`-byte length-prefixed opaque value. */
  opaque(width: 1 | 2 | 3): Uint8Array {
    const n = width === 1 ? this.u8() : width === 2 ? this.u16() : this.u24();
    return this.bytes(n);
  }

  rest(): Uint8Array {
    const out = this.buf.subarray(this.pos);
    this.pos = this.buf.length;
    return out;
  }

  /** Throws malformed when bytes are left over in a vector that should be consumed. */
  done(): void {
    if (this.remaining !== 0) malformed(`${this.what}: ${this.remaining} unexpected trailing byte(s)`);
  }
}

export function hex(b: Uint8Array): string {
  let s = '';
  for (const x of b) s += x.toString(16).padStart(2, '0');
  return s;
}

export function fromHex(s: string): Uint8Array {
  const clean = s.replace(/[^0-9a-fA-F]/g, '');
  if (clean.length % 2) throw new Error('odd-length hex');
  const out = new Uint8Array(clean.length / 2);
  for (let i = 0; i < out.length; i++) out[i] = parseInt(clean.slice(i * 2, i * 2 + 2), 16);
  return out;
}

export function concat(parts: readonly Uint8Array[]): Uint8Array {
  let n = 0;
  for (const p of parts) n += p.length;
  const out = new Uint8Array(n);
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}
