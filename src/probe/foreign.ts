/**
 * Naming the protocol on a port that answered a ClientHello with something other than TLS: an
 * HTTP error page, an SSH or SMTP banner, an HTTP/2 SETTINGS frame. Only the first bytes are
 * looked at. Anything that could be the start of a TLS record or an SSLv2 message is not
 * foreign: the scan must go on and find out. Pure.
 */
import type { StarttlsProtocol } from './starttls.js';

/** The protocols named here that --starttls can upgrade, with the dialogue that does it. */
export const STARTTLS_UPGRADES: ReadonlyMap<string, StarttlsProtocol> = new Map([
  ['SMTP', 'smtp'],
  ['IMAP', 'imap'],
  ['POP3', 'pop3'],
  ['FTP', 'ftp'],
  ['MySQL', 'mysql'],
]);

export interface ForeignAnswer {
  /** `HTTP`, `SSH`, ..., or `an unknown protocol`. */
  protocol: string;
  /** The first bytes, printable: ASCII as is, anything else as \xNN. */
  sample: string;
}

const SAMPLE_BYTES = 32;

const TEXT_PROTOCOLS: readonly [RegExp, string][] = [
  [/^HTTP\/\d/, 'HTTP'],
  [/^SSH-\d/, 'SSH'],
  [/^220[ -].*FTP/i, 'FTP'],
  [/^220[ -]/, 'SMTP'],
  [/^\* (OK|PREAUTH|BYE)\b/, 'IMAP'],
  [/^\+OK\b/, 'POP3'],
  [/^-ERR\b/, 'a text protocol (Redis, POP3)'],
  [/^RFB \d/, 'VNC'],
  [/^AMQP/, 'AMQP'],
];

/** Whether these bytes can begin a TLS record (content type 20-24, major version 3) or an SSLv2 message. */
function couldBeTls(head: Uint8Array): boolean {
  const first = head[0]!;
  if ((first & 0x80) !== 0) return true;
  return first >= 20 && first <= 24 && (head.length < 2 || head[1] === 3);
}

function printable(head: Uint8Array): string {
  let out = '';
  for (const b of head.subarray(0, SAMPLE_BYTES)) {
    if (b === 0x0d) out += '\\r';
    else if (b === 0x0a) out += '\\n';
    else if (b >= 0x20 && b < 0x7f && b !== 0x5c) out += String.fromCharCode(b);
    else out += `\\x${b.toString(16).padStart(2, '0')}`;
  }
  return head.length > SAMPLE_BYTES ? `${out}...` : out;
}

/** An HTTP/2 frame header on stream 0 carrying SETTINGS (4) or GOAWAY (7): an h2c server's answer. */
function http2Frame(head: Uint8Array): boolean {
  if (head.length < 9) return false;
  const type = head[3]!;
  const stream = ((head[5]! & 0x7f) << 24) | (head[6]! << 16) | (head[7]! << 8) | head[8]!;
  const length = (head[0]! << 16) | (head[1]! << 8) | head[2]!;
  return stream === 0 && ((type === 4 && length % 6 === 0) || (type === 7 && length >= 8));
}

/** A MySQL server greeting: a 3-byte length, sequence 0, protocol version 10. */
function mysqlGreeting(head: Uint8Array): boolean {
  return head.length >= 5 && head[3] === 0 && head[4] === 0x0a;
}

/** What another protocol answered, or null when the bytes may be TLS (or there are none). */
export function foreignAnswer(head: Uint8Array): ForeignAnswer | null {
  if (head.length === 0 || couldBeTls(head)) return null;
  const text = Buffer.from(head).toString('latin1');
  const named = TEXT_PROTOCOLS.find(([re]) => re.test(text))?.[1];
  const protocol = named ?? (http2Frame(head) ? 'HTTP/2 without TLS (h2c)' : mysqlGreeting(head) ? 'MySQL' : 'an unknown protocol');
  return { protocol, sample: printable(head) };
}
