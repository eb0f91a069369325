/**
 * SSH transport-layer messages a scanner reads and writes before any key is agreed: the
 * identification line (RFC 4253 §4.2), the unencrypted binary packet (RFC 4253 §6, no MAC before
 * NEWKEYS), SSH_MSG_KEXINIT with its ten name-lists (RFC 4253 §7.1, RFC 4251 §5) and
 * SSH_MSG_DISCONNECT (RFC 4253 §11.1). Every length is checked before it is trusted: a packet
 * longer than 35000 bytes is malformed (RFC 4253 §6.1), and so is a name that is empty, longer
 * than 64 characters or not printable US-ASCII (RFC 4251 §5, §6). Pure and synchronous; the
 * incremental reading of a server's first bytes is sshGreeting.ts.
 */
import { DecodeError, malformed, Reader, Writer } from './bytes.js';

/** Message numbers used before key exchange (RFC 4253 §12). */
export const SshMessage = {
  disconnect: 1,
  ignore: 2,
  unimplemented: 3,
  debug: 4,
  kexinit: 20,
} as const;

/** RFC 4253 §4.2: the identification line, CR LF included, is at most 255 bytes. */
export const MAX_IDENTIFICATION_BYTES = 255;
/** RFC 4253 §6.1: an implementation must handle packets of 35000 bytes; none longer is accepted here. */
export const MAX_PACKET_LENGTH = 35000;
/** RFC 4251 §6: algorithm and method names are at most 64 characters. */
const MAX_NAME_LENGTH = 64;
/** RFC 4253 §6: the packet, length field included, is a multiple of 8 bytes before encryption. */
const BLOCK = 8;
/** RFC 4253 §6: at least four bytes of padding. */
const MIN_PADDING = 4;
const COOKIE_BYTES = 16;

/** The server's identification line: `SSH-protoversion-softwareversion SP comments`. */
export interface SshIdentification {
  /** The line without its CR LF. */
  line: string;
  /** `2.0`, or `1.99` for a server that also speaks SSH-1 (RFC 4253 §5.1). */
  protoVersion: string;
  /** `OpenSSH_9.2p1`; may hold a '-' although §4.2 forbids it (Cisco's `Cisco-1.25`). */
  softwareVersion: string;
  /** What follows the first space (`Debian-2+deb12u10`), or null. */
  comments: string | null;
}

/** The ten name-lists of SSH_MSG_KEXINIT, in wire order (RFC 4253 §7.1). */
export const KEXINIT_LISTS = [
  'kexAlgorithms',
  'serverHostKeyAlgorithms',
  'encryptionClientToServer',
  'encryptionServerToClient',
  'macClientToServer',
  'macServerToClient',
  'compressionClientToServer',
  'compressionServerToClient',
  'languagesClientToServer',
  'languagesServerToClient',
] as const;

export type KexinitListName = (typeof KEXINIT_LISTS)[number];
export type KexinitLists = Readonly<Record<KexinitListName, readonly string[]>>;

export interface Kexinit {
  cookie: Uint8Array;
  lists: KexinitLists;
  /** Any non-zero byte is true (RFC 4251 §5, boolean). */
  firstKexPacketFollows: boolean;
  /** Reserved for future extension; 0 from every server seen. */
  reserved: number;
}

export interface Disconnect {
  /** RFC 4253 §11.1 reason code (2 protocol error, 11 by application, 12 too many connections...). */
  reasonCode: number;
  description: string;
}

/** Reads a uint32 (RFC 4251 §5). */
function u32(r: Reader): number {
  return r.u16() * 0x10000 + r.u16();
}

function writeU32(w: Writer, v: number): void {
  w.u16(Math.floor(v / 0x10000) & 0xffff).u16(v & 0xffff);
}

function ascii(bytes: Uint8Array): string {
  let s = '';
  for (const b of bytes) s += String.fromCharCode(b);
  return s;
}

function asciiBytes(s: string): Uint8Array {
  const out = new Uint8Array(s.length);
  for (let i = 0; i < s.length; i++) out[i] = s.charCodeAt(i);
  return out;
}

/** Whether a name is valid in a name-list: 1-64 printable US-ASCII characters, no comma, no space (RFC 4251 §5, §6). */
export function isValidName(name: string): boolean {
  return name.length > 0 && name.length <= MAX_NAME_LENGTH && /^[\x21-\x2b\x2d-\x7e]+$/.test(name);
}

/** RFC 4251 §5 name-list: uint32 length, then comma-separated names; an empty string is an empty list. */
function readNameList(r: Reader, what: string): string[] {
  const length = u32(r);
  if (length > r.remaining) malformed(`${what}: name-list of ${length} bytes, only ${r.remaining} left in the message`);
  const text = ascii(r.bytes(length));
  if (text.length === 0) return [];
  const names = text.split(',');
  for (const name of names) {
    if (!isValidName(name)) malformed(`${what}: invalid name ${JSON.stringify(name.slice(0, 80))} (names are 1-${MAX_NAME_LENGTH} printable US-ASCII characters, no comma or space)`);
  }
  return names;
}

/** Decodes an SSH_MSG_KEXINIT payload, message number included (RFC 4253 §7.1). */
export function decodeKexinit(payload: Uint8Array): Kexinit {
  const r = new Reader(payload, 'SSH_MSG_KEXINIT', true);
  const type = r.u8();
  if (type !== SshMessage.kexinit) malformed(`expected SSH_MSG_KEXINIT (20), got message ${type}`);
  const cookie = r.bytes(COOKIE_BYTES).slice();
  const lists: Partial<Record<KexinitListName, string[]>> = {};
  for (const name of KEXINIT_LISTS) lists[name] = readNameList(r, `SSH_MSG_KEXINIT ${name}`);
  const firstKexPacketFollows = r.u8() !== 0;
  const reserved = u32(r);
  // Bytes after `reserved` are left alone, as OpenSSH's kex_buf2prop does: a later revision may add fields.
  return { cookie, lists: lists as KexinitLists, firstKexPacketFollows, reserved };
}

/** Decodes an SSH_MSG_DISCONNECT payload (RFC 4253 §11.1): reason code, UTF-8 description, language tag. */
export function decodeDisconnect(payload: Uint8Array): Disconnect {
  const r = new Reader(payload, 'SSH_MSG_DISCONNECT', true);
  const type = r.u8();
  if (type !== SshMessage.disconnect) malformed(`expected SSH_MSG_DISCONNECT (1), got message ${type}`);
  const reasonCode = u32(r);
  const length = u32(r);
  if (length > r.remaining) malformed(`SSH_MSG_DISCONNECT: description of ${length} bytes, only ${r.remaining} left`);
  const description = new TextDecoder('utf-8', { fatal: false }).decode(r.bytes(length));
  return { reasonCode, description };
}

/** One unencrypted binary packet: its payload (message number first) and the bytes it took. */
export interface SshPacket {
  payload: Uint8Array;
  /** 4 + packet_length. */
  consumed: number;
}

/**
 * The packet_length a packet starting at `bytes` declares, checked against RFC 4253 §6 before
 * anything is buffered for it; null while fewer than 4 bytes are there.
 */
export function packetLength(bytes: Uint8Array): number | null {
  if (bytes.length < 4) return null;
  const length = bytes[0]! * 0x1000000 + ((bytes[1]! << 16) | (bytes[2]! << 8) | bytes[3]!);
  if (length > MAX_PACKET_LENGTH) malformed(`SSH packet_length ${length} is over the ${MAX_PACKET_LENGTH}-byte limit (RFC 4253 §6.1)`);
  // 1 byte padding_length + 4 bytes padding + a message number, rounded to the 8-byte block.
  if (length < 12 || (length + 4) % BLOCK !== 0) malformed(`SSH packet_length ${length}: the packet must be a multiple of ${BLOCK} bytes and at least 16 (RFC 4253 §6)`);
  return length;
}

/** Decodes the unencrypted binary packet at the start of `bytes` (RFC 4253 §6); truncated if it is not all there. */
export function decodePacket(bytes: Uint8Array): SshPacket {
  const length = packetLength(bytes);
  if (length === null || bytes.length < 4 + length) {
    throw new DecodeError('truncated', `SSH packet: needs ${length === null ? 4 : 4 + length} bytes, has ${bytes.length}`);
  }
  const paddingLength = bytes[4]!;
  if (paddingLength < MIN_PADDING) malformed(`SSH packet: padding_length ${paddingLength} is under ${MIN_PADDING} (RFC 4253 §6)`);
  const payloadLength = length - 1 - paddingLength;
  if (payloadLength < 1) malformed(`SSH packet: padding_length ${paddingLength} leaves no payload in packet_length ${length}`);
  return { payload: bytes.subarray(5, 5 + payloadLength), consumed: 4 + length };
}

/**
 * Parses one identification line without its line ending: `SSH-protoversion-softwareversion`,
 * then optionally a space and comments (RFC 4253 §4.2). Malformed if it is not that shape or
 * holds anything but printable US-ASCII.
 */
export function parseIdentification(line: string): SshIdentification {
  if (line.length + 2 > MAX_IDENTIFICATION_BYTES) malformed(`SSH identification line of ${line.length + 2} bytes is over ${MAX_IDENTIFICATION_BYTES} (RFC 4253 §4.2)`);
  if (!/^[\x20-\x7e]*$/.test(line)) malformed('SSH identification line holds bytes that are not printable US-ASCII');
  const match = /^SSH-([\x21-\x2c\x2e-\x7e]+)-([\x21-\x7e]+)(?: (.*))?$/.exec(line);
  if (!match) malformed(`not an SSH identification line (SSH-protoversion-softwareversion [comments]): ${JSON.stringify(line.slice(0, 80))}`);
  return { line, protoVersion: match[1]!, softwareVersion: match[2]!, comments: match[3] ?? null };
}

/** Our identification line, CR LF included: `SSH-2.0-<softwareVersion>[ <comments>]` (RFC 4253 §4.2). */
export function encodeIdentification(softwareVersion: string, comments?: string): Uint8Array {
  if (!/^[\x21-\x2c\x2e-\x7e]+$/.test(softwareVersion)) throw new Error(`SSH softwareversion ${JSON.stringify(softwareVersion)}: printable US-ASCII without spaces or '-'`);
  if (comments !== undefined && !/^[\x20-\x7e]*$/.test(comments)) throw new Error('SSH comments: printable US-ASCII only');
  const line = `SSH-2.0-${softwareVersion}${comments !== undefined ? ` ${comments}` : ''}\r\n`;
  if (line.length > MAX_IDENTIFICATION_BYTES) throw new Error(`SSH identification line of ${line.length} bytes is over ${MAX_IDENTIFICATION_BYTES}`);
  return asciiBytes(line);
}

/** An SSH_MSG_KEXINIT payload (RFC 4253 §7.1); `cookie` is the caller's 16 random bytes (this module has no randomness). */
export function encodeKexinit(k: { cookie: Uint8Array; lists: KexinitLists; firstKexPacketFollows?: boolean; reserved?: number }): Uint8Array {
  if (k.cookie.length !== COOKIE_BYTES) throw new Error(`KEXINIT cookie must be ${COOKIE_BYTES} bytes`);
  const w = new Writer().u8(SshMessage.kexinit).bytes(k.cookie);
  for (const listName of KEXINIT_LISTS) {
    const names = k.lists[listName];
    const bad = names.find((n) => !isValidName(n));
    if (bad !== undefined) throw new Error(`KEXINIT ${listName}: invalid name ${JSON.stringify(bad)}`);
    const text = asciiBytes(names.join(','));
    writeU32(w, text.length);
    w.bytes(text);
  }
  w.u8(k.firstKexPacketFollows === true ? 1 : 0);
  writeU32(w, k.reserved ?? 0);
  return w.finish();
}

/**
 * Frames a payload as an unencrypted binary packet (RFC 4253 §6) with the least padding that
 * makes a multiple of 8 bytes. The padding is zeros: before NEWKEYS it protects nothing, and a
 * pure module has no randomness.
 */
export function encodePacket(payload: Uint8Array): Uint8Array {
  let padding = BLOCK - ((4 + 1 + payload.length) % BLOCK);
  if (padding < MIN_PADDING) padding += BLOCK;
  const length = 1 + payload.length + padding;
  if (length > MAX_PACKET_LENGTH) throw new Error(`SSH payload of ${payload.length} bytes does not fit a ${MAX_PACKET_LENGTH}-byte packet`);
  const w = new Writer();
  writeU32(w, length);
  return w.u8(padding).bytes(payload).bytes(new Uint8Array(padding)).finish();
}
