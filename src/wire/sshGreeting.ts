/**
 * Reads what an SSH server sends first, as it arrives: optional text lines, its identification
 * line (RFC 4253 §4.2), then unencrypted packets up to its SSH_MSG_KEXINIT (RFC 4253 §7.1), or
 * the SSH_MSG_DISCONNECT it sends instead. Bytes may come in any split; the outcome depends only
 * on the bytes, never on how they were chunked. Bounds are enforced as bytes arrive, so a port
 * that floods text or binary is given up on early: at most 64 lines of at most 1024 bytes before
 * the identification, no control characters in them (a TLS record's first byte is one), an
 * identification line of at most 255 bytes, at most 16 SSH_MSG_IGNORE / SSH_MSG_DEBUG packets
 * before the KEXINIT, each packet checked by its declared length before it is buffered.
 */
import { DecodeError, malformed } from './bytes.js';
import {
  decodeDisconnect,
  decodeKexinit,
  decodePacket,
  MAX_IDENTIFICATION_BYTES,
  packetLength,
  parseIdentification,
  SshMessage,
  type Disconnect,
  type Kexinit,
  type SshIdentification,
} from './ssh.js';

/** Lines a server may send before its identification line (RFC 4253 §4.2 sets no number; OpenSSH allows 1024). */
export const MAX_PREAMBLE_LINES = 64;
/** Bytes of one such line, LF included. */
const MAX_PREAMBLE_LINE_BYTES = 1024;
/** SSH_MSG_IGNORE and SSH_MSG_DEBUG packets tolerated before the KEXINIT. */
export const MAX_PACKETS_BEFORE_KEXINIT = 16;

const LF = 0x0a;
const CR = 0x0d;
const TAB = 0x09;

/** A server's first words, up to its KEXINIT or the DISCONNECT it sent instead. */
export type SshGreeting = {
  /** Lines before the identification, without line endings (UTF-8, undecodable bytes replaced). */
  preamble: string[];
  identification: SshIdentification;
  /** Bytes of the stream the greeting took. */
  consumed: number;
} & ({ kind: 'kexinit'; kexinit: Kexinit; /** The KEXINIT payload as sent, message number first. */ payload: Uint8Array } | { kind: 'disconnect'; disconnect: Disconnect });

function isControl(b: number): boolean {
  return (b < 0x20 && b !== TAB && b !== CR && b !== LF) || b === 0x7f;
}

function startsWithSsh(b: Uint8Array, at: number, end: number): boolean | null {
  const prefix = [0x53, 0x53, 0x48, 0x2d]; // "SSH-"
  for (let i = 0; i < prefix.length; i++) {
    if (at + i >= end) return null;
    if (b[at + i] !== prefix[i]) return false;
  }
  return true;
}

/** Incremental reader of a server's greeting; `feed` returns it once complete, null until then. */
export class SshGreetingReader {
  private buf = new Uint8Array(2048);
  private len = 0;
  /** Start of the line or packet being read. */
  private pos = 0;
  /** Where the search for the current line's LF goes on. */
  private scanned = 0;
  private ident: SshIdentification | null = null;
  private readonly lines: string[] = [];
  private skippedPackets = 0;
  private done: SshGreeting | null = null;

  /** The server's identification, once its line is complete. */
  get identification(): SshIdentification | null {
    return this.ident;
  }

  /** Lines read before the identification so far. */
  get preamble(): readonly string[] {
    return this.lines;
  }

  /** Adds bytes; throws DecodeError('malformed') as soon as they cannot be an SSH server's greeting. */
  feed(chunk: Uint8Array): SshGreeting | null {
    if (this.done) return this.done;
    this.append(chunk);
    while (this.ident === null) {
      if (!this.readLine()) return null;
    }
    this.done = this.readPackets();
    return this.done;
  }

  private append(chunk: Uint8Array): void {
    if (this.len + chunk.length > this.buf.length) {
      let size = this.buf.length * 2;
      while (size < this.len + chunk.length) size *= 2;
      const grown = new Uint8Array(size);
      grown.set(this.buf.subarray(0, this.len));
      this.buf = grown;
    }
    this.buf.set(chunk, this.len);
    this.len += chunk.length;
  }

  /** Reads one line if it is complete; checks every new byte and the line's length as it grows. */
  private readLine(): boolean {
    const isIdent = startsWithSsh(this.buf, this.pos, this.len);
    // Until 4 bytes tell, the larger limit applies.
    const limit = isIdent === true ? MAX_IDENTIFICATION_BYTES : MAX_PREAMBLE_LINE_BYTES;
    let end = -1;
    for (let i = this.scanned; i < this.len; i++) {
      const b = this.buf[i]!;
      if (b === LF) {
        end = i;
        break;
      }
      if (isControl(b)) malformed(`byte 0x${b.toString(16).padStart(2, '0')} at offset ${i} where an SSH server sends text: not an SSH identification or a line before it`);
    }
    if (end < 0) {
      this.scanned = this.len;
      if (this.len - this.pos + 1 > limit) malformed(`a line of over ${limit - 1} bytes before any LF: ${isIdent === true ? 'the SSH identification line is at most 255 bytes (RFC 4253 §4.2)' : 'not an SSH server'}`);
      return false;
    }
    const total = end + 1 - this.pos;
    if (total > limit && isIdent !== true) malformed(`a line of ${total} bytes before the SSH identification (at most ${MAX_PREAMBLE_LINE_BYTES})`);
    let last = end;
    if (last > this.pos && this.buf[last - 1] === CR) last--;
    const line = this.buf.subarray(this.pos, last);
    if (line.includes(CR)) malformed(`a carriage return inside a line at offset ${this.pos}: lines end with CR LF (RFC 4253 §4.2)`);
    this.pos = end + 1;
    this.scanned = this.pos;
    if (isIdent === true) {
      let text = '';
      for (const b of line) text += String.fromCharCode(b);
      this.ident = parseIdentification(text);
      return true;
    }
    if (this.lines.length >= MAX_PREAMBLE_LINES) malformed(`over ${MAX_PREAMBLE_LINES} lines before the SSH identification line`);
    this.lines.push(new TextDecoder('utf-8', { fatal: false }).decode(line));
    return true;
  }

  /** Reads packets after the identification until the KEXINIT or a DISCONNECT; null while one is incomplete. */
  private readPackets(): SshGreeting | null {
    for (;;) {
      const view = this.buf.subarray(this.pos, this.len);
      const length = packetLength(view);
      if (length === null || view.length < 4 + length) return null;
      const { payload, consumed } = decodePacket(view);
      this.pos += consumed;
      const base = { preamble: [...this.lines], identification: this.ident!, consumed: this.pos };
      const type = payload[0]!;
      if (type === SshMessage.kexinit) return { ...base, kind: 'kexinit', kexinit: decodeKexinit(payload), payload: payload.slice() };
      if (type === SshMessage.disconnect) return { ...base, kind: 'disconnect', disconnect: decodeDisconnect(payload) };
      if (type !== SshMessage.ignore && type !== SshMessage.debug) malformed(`SSH message ${type} before the server's SSH_MSG_KEXINIT (RFC 4253 §7.1 sends KEXINIT first)`);
      if (++this.skippedPackets > MAX_PACKETS_BEFORE_KEXINIT) malformed(`over ${MAX_PACKETS_BEFORE_KEXINIT} SSH_MSG_IGNORE/DEBUG packets before the KEXINIT`);
    }
  }
}

/** Decodes a whole captured greeting; DecodeError('truncated') if it ends before the KEXINIT (or DISCONNECT). */
export function decodeServerGreeting(bytes: Uint8Array): SshGreeting {
  const reader = new SshGreetingReader();
  const greeting = reader.feed(bytes);
  if (greeting) return greeting;
  const where = reader.identification === null ? 'before the identification line ended' : 'before the SSH_MSG_KEXINIT was complete';
  throw new DecodeError('truncated', `SSH greeting: ${bytes.length} bytes end ${where}`);
}
