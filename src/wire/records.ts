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
  private pending: Uint8Array = new Uint8Array(0);
  /**
   * Handshake bytes not yet forming a whole message, kept as fragments and joined only when a
   * message completes: a server sending one-byte records must cost linear time, not quadratic.
   */
  private handshakeParts: Uint8Array[] = [];
  private handshakeBytes = 0;
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
      this.pending = new Uint8Array(0);
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
    return this.pending.length + this.handshakeBytes;
  }

  private parse(): void {
    while (this.pending.length > 0) {
      if (this.sslv2 === null) this.sslv2 = this.allowSslv2 && (this.pending[0]! & 0x80) !== 0;
      const used = this.sslv2 ? this.parseSslv2Record() : this.parseRecord();
      if (used === 0) return;
      this.pending = this.pending.subarray(used);
    }
  }

  private parseRecord(): number {
    const p = this.pending;
    const type = p[0]!;
    if (type < 20 || type > 24) malformed(`not a TLS record: content type ${type}`);
    if (p.length >= 2 && p[1] !== 3) malformed(`not a TLS record: version major ${p[1]}`);
    if (p.length < 5) return 0;
    const version = (p[1]! << 8) | p[2]!;
    const length = (p[3]! << 8) | p[4]!;
    if (length > MAX_RECORD_LENGTH) malformed(`record length ${length} exceeds ${MAX_RECORD_LENGTH}`);
    if (p.length < 5 + length) return 0;
    const fragment = p.subarray(5, 5 + length);
    this.onRecord(type, version, fragment);
    return 5 + length;
  }

  private onRecord(type: number, version: number, fragment: Uint8Array): void {
    if (type !== ContentType.handshake && this.handshakeBytes > 0) {
      malformed('record of another type interleaved with a fragmented handshake message');
    }
    switch (type) {
      case ContentType.handshake:
        if (fragment.length === 0) malformed('zero-length handshake record');
        this.handshakeParts.push(fragment.slice());
        this.handshakeBytes += fragment.length;
        this.handshakeVersion = version;
        this.drainHandshake();
        return;
      case ContentType.alert: {
        if (fragment.length !== 2) malformed(`alert record of ${fragment.length} bytes`);
        this.events.push({ kind: 'alert', level: fragment[0]!, description: fragment[1]! });
        return;
      }
      case ContentType.changeCipherSpec:
        this.events.push({ kind: 'changeCipherSpec' });
        return;
      default:
        this.events.push(
          this.options.keepApplicationData === true
            ? { kind: 'applicationData', length: fragment.length, payload: fragment.slice() }
            : { kind: 'applicationData', length: fragment.length },
        );
    }
  }

  /** The first `n` buffered handshake bytes (n <= 4), without joining everything. */
  private peekHandshake(n: number): number[] {
    const out: number[] = [];
    for (const part of this.handshakeParts) {
      for (let i = 0; i < part.length && out.length < n; i++) out.push(part[i]!);
      if (out.length === n) break;
    }
    return out;
  }

  private drainHandshake(): void {
    while (this.handshakeBytes >= 4) {
      const [msgType, a, b, c] = this.peekHandshake(4) as [number, number, number, number];
      const length = (a << 16) | (b << 8) | c;
      if (length > MAX_HANDSHAKE_LENGTH) malformed(`handshake message claims ${length} bytes (limit ${MAX_HANDSHAKE_LENGTH})`);
      if (this.handshakeBytes < 4 + length) return;
      const all = this.handshakeParts.length === 1 ? this.handshakeParts[0]! : concat(this.handshakeParts);
      this.events.push({ kind: 'handshake', msgType, body: all.slice(4, 4 + length), recordVersion: this.handshakeVersion });
      const rest = all.subarray(4 + length);
      this.handshakeParts = rest.length ? [rest] : [];
      this.handshakeBytes = rest.length;
    }
  }

  /** SSLv2 record: 2-byte header (high bit set, no padding) or 3-byte header (with padding). */
  private parseSslv2Record(): number {
    const p = this.pending;
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

/** Decodes a standalone record sequence completely (for fixtures and tests). */
export function decodeServerFlight(bytes: Uint8Array, allowSslv2 = false): ServerEvent[] {
  const s = new ServerStream(allowSslv2);
  s.feed(bytes);
  const out: ServerEvent[] = [];
  for (let e = s.next(); e; e = s.next()) out.push(e);
  if (s.bufferedBytes > 0) throw new DecodeError('truncated', `flight ends inside a record (${s.bufferedBytes} bytes left)`);
  return out;
}

