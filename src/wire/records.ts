/**
 * Incremental framing of what a server sends: TLS records (RFC 8446 §5.1), the handshake
 * messages inside them (which may span records, or share one), alerts, and the SSLv2 record
 * format. The probe layer feeds socket chunks in as they arrive and pulls out whole events;
 * "not enough bytes yet" is simply no event, anything impossible is a malformed DecodeError.
 */
import { DecodeError, concat, malformed } from './bytes.js';
import { ContentType } from '../registry/handshake.js';

/** RFC 8446 §5.2 allows 2^14 + 256 for ciphertext; TLS 1.2 allowed 2^14 + 2048. */
export const MAX_RECORD_LENGTH = 16384 + 2048;
/** The largest handshake message we reassemble (certificate chains included). */
export const MAX_HANDSHAKE_LENGTH = 1 << 17;

/** `pending` when every record fed has been read. */
const EMPTY = new Uint8Array(0);

export type ServerEvent =
  | { kind: 'handshake'; msgType: number; body: Uint8Array; recordVersion: number }
  | { kind: 'alert'; level: number; description: number }
  | { kind: 'changeCipherSpec' }
  /** `payload`: the record's bytes (TLS 1.3: the encrypted record), only when the stream keeps them. */
  | { kind: 'applicationData'; length: number; payload?: Uint8Array }
  | { kind: 'sslv2'; msgType: number; body: Uint8Array };

/**
 * Splits a byte stream into server events. Feed bytes, then drain `next()` until it returns
 * undefined. Throws DecodeError('malformed') on anything that is not TLS.
 */
export class ServerStream {
  private pending: Uint8Array = EMPTY;
  /** Handshake bytes not yet forming a whole message. */
  private readonly handshake = new HandshakeBytes();
  private handshakeVersion = 0;
  private readonly events: ServerEvent[] = [];
  private head = 0;
  /** Whether the stream is SSLv2-framed (decided by the first byte). */
  private sslv2: boolean | null = null;

  /**
   * `keepApplicationData`: hand out application_data payloads (a TLS 1.3 flight's encrypted
   * records, for decryption) instead of their length alone.
   */
  constructor(
    private readonly allowSslv2 = false,
    private readonly options: { keepApplicationData?: boolean } = {},
  ) {}

  /** A decode failure met after some events: raised once those events have been drained. */
  private failure: DecodeError | null = null;

  feed(chunk: Uint8Array): void {
    if (this.failure) return;
    this.pending = this.pending.length ? concat([this.pending, chunk]) : chunk;
    try {
      this.parse();
    } catch (err) {
      if (!(err instanceof DecodeError)) throw err;
      if (this.head >= this.events.length) throw err;
      // Garbage after a good record must not hide that record (a ServerHello then junk).
      this.failure = err;
      this.pending = EMPTY;
    }
  }

  /** The next whole event, or undefined; throws the stream's DecodeError after the events before it. */
  next(): ServerEvent | undefined {
    if (this.head < this.events.length) {
      const e = this.events[this.head++]!;
      // Drop consumed events now and then, so a flood of tiny records stays linear in time and memory.
      if (this.head > 1024 && this.head * 2 > this.events.length) {
        this.events.splice(0, this.head);
        this.head = 0;
      }
      return e;
    }
    if (this.failure) throw this.failure;
    return undefined;
  }

  /** Bytes received but not yet forming a whole record (for "truncated" diagnostics). */
  get bufferedBytes(): number {
    return this.pending.length + this.handshake.length;
  }

  /**
   * Reads every whole record in `pending` by offset, and keeps the rest as one view: a flood of
   * tiny records must not be a flood of subarrays for the garbage collector.
   */
  private parse(): void {
    let at = 0;
    try {
      while (at < this.pending.length) {
        if (this.sslv2 === null) this.sslv2 = this.allowSslv2 && (this.pending[at]! & 0x80) !== 0;
        const used = this.sslv2 ? this.parseSslv2Record(this.pending.subarray(at)) : this.parseRecord(at);
        if (used === 0) break;
        at += used;
      }
    } finally {
      this.pending = at === this.pending.length ? EMPTY : this.pending.subarray(at);
    }
  }

  /** The TLS record at `at` in `pending` (RFC 8446 §5.1): its length, or 0 while it is incomplete. */
  private parseRecord(at: number): number {
    const p = this.pending;
    const available = p.length - at;
    const type = p[at]!;
    if (type < 20 || type > 24) malformed(`not a TLS record: content type ${type}`);
    if (available >= 2 && p[at + 1] !== 3) malformed(`not a TLS record: version major ${p[at + 1]}`);
    if (available < 5) return 0;
    const version = (p[at + 1]! << 8) | p[at + 2]!;
    const length = (p[at + 3]! << 8) | p[at + 4]!;
    if (length > MAX_RECORD_LENGTH) malformed(`record length ${length} exceeds ${MAX_RECORD_LENGTH}`);
    if (available < 5 + length) return 0;
    this.onRecord(type, version, at + 5, length);
    return 5 + length;
  }

  /** A whole record whose fragment is `length` bytes at `from` in `pending`. */
  private onRecord(type: number, version: number, from: number, length: number): void {
    if (type !== ContentType.handshake && this.handshake.length > 0) {
      malformed('record of another type interleaved with a fragmented handshake message');
    }
    const p = this.pending;
    switch (type) {
      case ContentType.handshake:
        if (length === 0) malformed('zero-length handshake record');
        this.handshake.append(p, from, from + length);
        this.handshakeVersion = version;
        this.drainHandshake();
        return;
      case ContentType.alert: {
        if (length !== 2) malformed(`alert record of ${length} bytes`);
        this.events.push({ kind: 'alert', level: p[from]!, description: p[from + 1]! });
        return;
      }
      case ContentType.changeCipherSpec:
        this.events.push({ kind: 'changeCipherSpec' });
        return;
      default:
        this.events.push(
          this.options.keepApplicationData === true
            ? { kind: 'applicationData', length, payload: p.slice(from, from + length) }
            : { kind: 'applicationData', length },
        );
    }
  }

  private drainHandshake(): void {
    const h = this.handshake;
    while (h.length >= 4) {
      const length = (h.at(1) << 16) | (h.at(2) << 8) | h.at(3);
      if (length > MAX_HANDSHAKE_LENGTH) malformed(`handshake message claims ${length} bytes (limit ${MAX_HANDSHAKE_LENGTH})`);
      if (h.length < 4 + length) return;
      const msgType = h.at(0);
      h.drop(4);
      this.events.push({ kind: 'handshake', msgType, body: h.take(length), recordVersion: this.handshakeVersion });
    }
  }

  /** SSLv2 record: 2-byte header (high bit set, no padding) or 3-byte header (with padding). */
  private parseSslv2Record(p: Uint8Array): number {
    if (p.length < 2) return 0;
    const twoByte = (p[0]! & 0x80) !== 0;
    const header = twoByte ? 2 : 3;
    if (p.length < header) return 0;
    const length = twoByte ? ((p[0]! & 0x7f) << 8) | p[1]! : ((p[0]! & 0x3f) << 8) | p[1]!;
    const padding = twoByte ? 0 : p[2]!;
    if (length === 0) malformed('zero-length SSLv2 record');
    // Padding counts inside the length; what is left must hold at least the message type byte.
    if (padding >= length) malformed(`SSLv2 record of ${length} byte(s) with ${padding} byte(s) of padding has no message`);
    if (p.length < header + length) return 0;
    const body = p.subarray(header, header + length - padding);
    this.events.push({ kind: 'sslv2', msgType: body[0]!, body: body.slice(1) });
    return header + length;
  }
}

/** A message's header and body, and one more record: the most HandshakeBytes holds. */
const MAX_BUFFERED_HANDSHAKE = 4 + MAX_HANDSHAKE_LENGTH + MAX_RECORD_LENGTH;

/**
 * Handshake bytes waiting for the rest of their message, copied into one buffer that grows by
 * doubling. A server may send one-byte records: keeping each fragment as its own slice made one
 * ArrayBuffer per byte, linear in time but so much garbage that collecting it stalled the event
 * loop, and with it every other connection's probes. Each byte is copied in once, moved at most
 * once (compacting a message's start to the front), and copied out once, in its message.
 */
class HandshakeBytes {
  private buffer = new Uint8Array(0);
  private start = 0;
  private end = 0;

  get length(): number {
    return this.end - this.start;
  }

  /** Copies in source[from, to). */
  append(source: Uint8Array, from: number, to: number): void {
    if (this.start > 0) {
      this.buffer.copyWithin(0, this.start, this.end);
      this.end -= this.start;
      this.start = 0;
    }
    const needed = this.end + (to - from);
    if (needed > this.buffer.length) {
      // Never more than a whole message and the record that completes it (drainHandshake checks the claimed length first).
      const grown = new Uint8Array(Math.max(needed, Math.min(Math.max(this.buffer.length * 2, 256), MAX_BUFFERED_HANDSHAKE)));
      grown.set(this.buffer.subarray(0, this.end));
      this.buffer = grown;
    }
    // A few bytes are copied one by one: a subarray for each would be the garbage this class avoids.
    if (to - from <= 16) for (let i = from; i < to; i++) this.buffer[this.end++] = source[i]!;
    else this.buffer.set(source.subarray(from, to), this.end);
    this.end = needed;
  }

  /** Byte `i` of what is buffered (i < length). */
  at(i: number): number {
    return this.buffer[this.start + i]!;
  }

  drop(n: number): void {
    this.start += n;
    if (this.start === this.end) this.start = this.end = 0;
  }

  /** The first `n` bytes, copied out, and dropped. */
  take(n: number): Uint8Array {
    const out = this.buffer.slice(this.start, this.start + n);
    this.drop(n);
    return out;
  }
}

/** Decodes a standalone record sequence completely (for fixtures and tests). */
export function decodeServerFlight(bytes: Uint8Array, allowSslv2 = false): ServerEvent[] {
  const s = new ServerStream(allowSslv2);
  s.feed(bytes);
  const out: ServerEvent[] = [];
  for (let e = s.next(); e; e = s.next()) out.push(e);
  if (s.bufferedBytes > 0) throw new DecodeError('truncated', `flight ends inside a record (${s.bufferedBytes} bytes left)`);
  return out;
}

