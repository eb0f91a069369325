/**
 * Naming the protocol on a port that answered a ClientHello with something other than TLS: an
 * HTTP error page, an SSH or SMTP banner, an HTTP/2 SETTINGS frame. Only the first bytes are
 * looked at. Anything that could be the start of a TLS record or an SSLv2 message is not
 * foreign: the scan must go on and find out. Pure: the probe layer hands in what it read.
 */
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

/** Bytes as printable text: ASCII as is, CR and LF as \\r and \\n, anything else as \\xNN; at most `max` bytes. */
function printable(head: Uint8Array, max = SAMPLE_BYTES): string {
  let out = '';
  for (const b of head.subarray(0, max)) {
    if (b === 0x0d) out += '\\r';
    else if (b === 0x0a) out += '\\n';
    else if (b >= 0x20 && b < 0x7f && b !== 0x5c) out += String.fromCharCode(b);
    else out += `\\x${b.toString(16).padStart(2, '0')}`;
  }
  return head.length > max ? `${out}...` : out;
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

/** What a port answered a plaintext request with (the check a PERMISSIVE mesh port fails). */
export interface PlaintextAnswer {
  /** An application answered in plaintext; false when a TLS stack refused it (an alert, an HTTPS-only error page). */
  accepted: boolean;
  /** `HTTP/1.1`, `HTTP/2 without TLS (h2c)`, another protocol's name, or `TLS` for a TLS stack's alert. */
  protocol: string;
  /** The status line or the first bytes, printable. */
  evidence: string;
}

/** The HTTP/1.1 request of a plaintext check (RFC 9112 §3): a plain GET of `/` that asks the server to close. */
export function plaintextHttpRequest(host: string, userAgent: string): Uint8Array {
  return new TextEncoder().encode(`GET / HTTP/1.1\r\nHost: ${host}\r\nUser-Agent: ${userAgent}\r\nAccept: */*\r\nConnection: close\r\n\r\n`);
}

/** The HTTP/2 connection preface and an empty SETTINGS frame (RFC 9113 §3.4): how a gRPC client without TLS begins. */
export const H2_PREFACE: Uint8Array = Uint8Array.from([...new TextEncoder().encode('PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n'), 0, 0, 0, 4, 0, 0, 0, 0, 0]);

/** How much of an HTTP answer is read before deciding: the status line, headers and the start of the body. */
const HTTP_ANSWER_BYTES = 4096;

/**
 * What TLS servers answer plaintext HTTP with when they answer at all: nginx ("The plain HTTP
 * request was sent to HTTPS port"), Go's net/http ("Client sent an HTTP request to an HTTPS
 * server"), Apache ("speaking plain HTTP to an SSL-enabled server port"). Such a page is the TLS
 * server refusing plaintext, not an application serving it.
 */
const HTTPS_ONLY = /plain HTTP request was sent to HTTPS port|HTTP request to an HTTPS server|plain HTTP to an SSL-enabled server/i;

/**
 * Reads the answer to a plaintext request: null while more bytes could change what it means
 * (`ended`: the connection is over, decide with what there is), else what it was.
 */
export function plaintextAnswer(head: Uint8Array, ended: boolean): PlaintextAnswer | null {
  if (head.length === 0) return null;
  if (couldBeTls(head)) return { accepted: false, protocol: 'TLS', evidence: printable(head, 16) };
  // A few bytes cannot name a protocol yet (`HTT`, half an HTTP/2 frame header).
  if (!ended && head.length < 16) return null;
  const text = Buffer.from(head).toString('latin1');
  if (/^HTTP\/1\.\d/.test(text)) {
    const lineEnd = text.indexOf('\r\n');
    if (!ended && (lineEnd < 0 || head.length < HTTP_ANSWER_BYTES)) return null;
    const statusLine = printable(head.subarray(0, lineEnd < 0 ? head.length : lineEnd), 200);
    return HTTPS_ONLY.test(text) ? { accepted: false, protocol: 'HTTP/1.1', evidence: `${statusLine} (the TLS server's own refusal of plaintext)` } : { accepted: true, protocol: 'HTTP/1.1', evidence: statusLine };
  }
  if (http2Frame(head)) return { accepted: true, protocol: 'HTTP/2 without TLS (h2c)', evidence: printable(head, 24) };
  const foreign = foreignAnswer(head);
  return foreign === null ? null : { accepted: true, protocol: foreign.protocol, evidence: foreign.sample };
}
