/**
 * The plaintext preamble of each protocol that upgrades a connection with STARTTLS, one function
 * per protocol, each a plain dialogue over a Conversation: greeting, the upgrade command, the
 * "go ahead". The sweep then sends its ClientHello on the same connection, exactly as a client
 * would after the upgrade. A server that does not offer the upgrade is a PreambleError naming
 * what it said, which the transport reports as ESTARTTLS.
 */
import {
  POSTGRES_SSL_REQUEST,
  MYSQL_CLIENT_SSL,
  decodeLdapExtendedResponse,
  decodeMysqlGreeting,
  encodeLdapStartTls,
  encodeMysqlSslRequest,
  ldapMessageLength,
  mysqlPacketLength,
} from '../wire/starttls.js';
import { PreambleError, quoted, type Conversation, type Preamble } from './preamble.js';

export const STARTTLS_PROTOCOLS = ['smtp', 'imap', 'pop3', 'ftp', 'xmpp', 'ldap', 'postgres', 'mysql'] as const;
export type StarttlsProtocol = (typeof STARTTLS_PROTOCOLS)[number];

/** The name the client gives itself in SMTP EHLO (RFC 5321 §4.1.1.1 asks for a domain; .invalid is reserved). */
const EHLO_NAME = 'fipscan.invalid';
/** Lines one reply may have (an EHLO answer lists a dozen extensions). */
const MAX_REPLY_LINES = 200;

interface CodedReply {
  code: number;
  lines: string[];
}

/**
 * An SMTP (RFC 5321 §4.2) or FTP (RFC 959 §4.2) reply: `ddd-text` lines, then `ddd text`.
 * FTP allows free text between the first and the last line of a multi-line reply.
 */
async function codedReply(c: Conversation, what: string): Promise<CodedReply> {
  const lines: string[] = [];
  let code: number | null = null;
  for (;;) {
    const line = await c.readLine();
    const m = /^(\d{3})(?:([ -])(.*))?$/.exec(line);
    if (!m) {
      if (code !== null && what === 'FTP') {
        lines.push(line);
        continue;
      }
      throw new PreambleError(`expected a ${what} reply, got ${quoted(line)}`);
    }
    const n = Number(m[1]);
    if (code !== null && n !== code) {
      if (what === 'FTP') {
        lines.push(line);
        continue;
      }
      throw new PreambleError(`${what} reply changed its code from ${code} to ${n} mid-reply`);
    }
    code = n;
    lines.push(m[3] ?? '');
    if (m[2] !== '-') return { code, lines };
    if (lines.length > MAX_REPLY_LINES) throw new PreambleError(`${what} reply of over ${MAX_REPLY_LINES} lines`);
  }
}

function expectCode(reply: CodedReply, expected: number, doing: string): void {
  if (reply.code !== expected) throw new PreambleError(`${doing}: expected ${expected}, got ${reply.code} ${quoted(reply.lines.join(' / '))}`);
}

/** SMTP (RFC 3207): 220 greeting, EHLO listing STARTTLS, STARTTLS, 220. */
export async function smtpStarttls(c: Conversation): Promise<void> {
  expectCode(await codedReply(c, 'SMTP'), 220, 'greeting');
  c.write(`EHLO ${EHLO_NAME}\r\n`);
  const ehlo = await codedReply(c, 'SMTP');
  expectCode(ehlo, 250, 'EHLO');
  if (!ehlo.lines.slice(1).some((l) => /^STARTTLS\b/i.test(l))) {
    throw new PreambleError(`the server does not offer STARTTLS (EHLO lists ${quoted(ehlo.lines.slice(1).join(', '))})`);
  }
  c.write('STARTTLS\r\n');
  expectCode(await codedReply(c, 'SMTP'), 220, 'STARTTLS');
}

/** IMAP (RFC 3501 §6.2.1, RFC 2595): `* OK` greeting, `a1 STARTTLS`, `a1 OK`. */
export async function imapStarttls(c: Conversation): Promise<void> {
  const greeting = await c.readLine();
  if (!/^\* OK\b/i.test(greeting)) throw new PreambleError(`expected an IMAP '* OK' greeting, got ${quoted(greeting)}`);
  c.write('a1 STARTTLS\r\n');
  for (let i = 0; i < MAX_REPLY_LINES; i++) {
    const line = await c.readLine();
    if (line.startsWith('* ')) continue; // untagged data (a CAPABILITY) may come first
    if (/^a1 OK\b/i.test(line)) return;
    throw new PreambleError(`STARTTLS refused: ${quoted(line)}`);
  }
  throw new PreambleError(`no tagged answer to STARTTLS within ${MAX_REPLY_LINES} lines`);
}

/** POP3 (RFC 2595 §4): `+OK` greeting, `STLS`, `+OK`. */
async function pop3Starttls(c: Conversation): Promise<void> {
  const greeting = await c.readLine();
  if (!greeting.startsWith('+OK')) throw new PreambleError(`expected a POP3 '+OK' greeting, got ${quoted(greeting)}`);
  c.write('STLS\r\n');
  const answer = await c.readLine();
  if (!answer.startsWith('+OK')) throw new PreambleError(`STLS refused: ${quoted(answer)}`);
}

/** FTP (RFC 4217 §4): 220 greeting (after any 120 "wait"), `AUTH TLS`, 234. */
async function ftpStarttls(c: Conversation): Promise<void> {
  let greeting = await codedReply(c, 'FTP');
  if (greeting.code === 120) greeting = await codedReply(c, 'FTP');
  expectCode(greeting, 220, 'greeting');
  c.write('AUTH TLS\r\n');
  expectCode(await codedReply(c, 'FTP'), 234, 'AUTH TLS');
}

function xmlAttribute(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/'/g, '&apos;').replace(/</g, '&lt;');
}

/** Frames the text read so far at the first match of `pattern`, or keeps reading. */
function untilMatch(pattern: RegExp): (buffered: Uint8Array) => number | null {
  return (buffered) => {
    const text = new TextDecoder('latin1').decode(buffered);
    const m = pattern.exec(text);
    return m ? m.index + m[0].length : null;
  };
}

const STREAM_FEATURES = /<(?:stream:)?features\s*\/>|<\/(?:stream:)?features>|<\/(?:stream:)?stream>|<(?:stream:)?error[\s>][\s\S]*?<\/(?:stream:)?error>/;
const TLS_ANSWER = /<proceed\b[^>]*?(?:\/>|>\s*<\/proceed>)|<failure\b[^>]*?(?:\/>|>[\s\S]*?<\/failure>)|<\/(?:stream:)?stream>/;

/** XMPP client-to-server (RFC 6120 §5.4): stream header, features with <starttls/>, <starttls/>, <proceed/>. */
export async function xmppStarttls(c: Conversation, domain: string): Promise<void> {
  c.write(
    `<?xml version='1.0'?><stream:stream to='${xmlAttribute(domain)}' version='1.0' xml:lang='en' ` +
      `xmlns='jabber:client' xmlns:stream='http://etherx.jabber.org/streams'>`,
  );
  const features = new TextDecoder('latin1').decode(await c.readFramed(untilMatch(STREAM_FEATURES)));
  if (/<(?:stream:)?error[\s>]/.test(features) || /<\/(?:stream:)?stream>/.test(features)) {
    throw new PreambleError(`the server ended the stream: ${quoted(features.slice(features.search(/<(?:stream:)?error|<\/(?:stream:)?stream/)))}`);
  }
  if (!/<starttls\b[^>]*urn:ietf:params:xml:ns:xmpp-tls/.test(features)) throw new PreambleError(`the server does not offer STARTTLS in its stream features for '${domain}'`);
  c.write(`<starttls xmlns='urn:ietf:params:xml:ns:xmpp-tls'/>`);
  const answer = new TextDecoder('latin1').decode(await c.readFramed(untilMatch(TLS_ANSWER)));
  if (!/<proceed\b/.test(answer)) throw new PreambleError(`STARTTLS refused: ${quoted(answer)}`);
}

/** LDAP (RFC 4511 §4.14): the StartTLS extended request, an ExtendedResponse with resultCode success (0). */
async function ldapStarttls(c: Conversation): Promise<void> {
  c.write(encodeLdapStartTls(1));
  const response = decodeLdapExtendedResponse(await c.readFramed(ldapMessageLength));
  if (response.resultCode !== 0) {
    throw new PreambleError(`StartTLS refused: resultCode ${response.resultCode}${response.diagnosticMessage ? ` ${quoted(response.diagnosticMessage)}` : ''}`);
  }
}

/** PostgreSQL (protocol §55.2.10): SSLRequest, then one byte: 'S' to go ahead, 'N' for no TLS. */
async function postgresStarttls(c: Conversation): Promise<void> {
  c.write(POSTGRES_SSL_REQUEST);
  const answer = (await c.read(1))[0];
  if (answer === 0x53) return; // 'S'
  if (answer === 0x4e) throw new PreambleError("the server does not accept SSL connections (answered 'N' to SSLRequest)");
  if (answer === 0x45) throw new PreambleError("the server answered SSLRequest with an error message ('E'): not PostgreSQL 7.0 or later");
  throw new PreambleError(`unexpected answer 0x${(answer ?? 0).toString(16).padStart(2, '0')} to SSLRequest`);
}

/** MySQL / MariaDB: the server's HandshakeV10 must list CLIENT_SSL; the SSLRequest packet follows. */
async function mysqlStarttls(c: Conversation): Promise<void> {
  const greeting = decodeMysqlGreeting(await c.readFramed(mysqlPacketLength));
  if (greeting.kind === 'error') throw new PreambleError(`the server refused the connection: error ${greeting.errorCode} ${quoted(greeting.message)}`);
  if ((greeting.capabilities & MYSQL_CLIENT_SSL) === 0) throw new PreambleError(`the server (${quoted(greeting.serverVersion)}) does not support SSL (no CLIENT_SSL capability)`);
  c.write(encodeMysqlSslRequest(greeting.sequenceId + 1));
}

const NAMES: Readonly<Record<StarttlsProtocol, string>> = {
  smtp: 'SMTP STARTTLS',
  imap: 'IMAP STARTTLS',
  pop3: 'POP3 STLS',
  ftp: 'FTP AUTH TLS',
  xmpp: 'XMPP STARTTLS',
  ldap: 'LDAP StartTLS',
  postgres: 'PostgreSQL SSLRequest',
  mysql: 'MySQL SSL request',
};

/** The preamble step for `protocol`; `domain` is the XMPP domain (the SNI or host name). */
export function starttlsPreamble(protocol: StarttlsProtocol, domain: string): Preamble {
  const dialogues: Readonly<Record<StarttlsProtocol, (c: Conversation) => Promise<void>>> = {
    smtp: smtpStarttls,
    imap: imapStarttls,
    pop3: pop3Starttls,
    ftp: ftpStarttls,
    xmpp: (c) => xmppStarttls(c, domain),
    ldap: ldapStarttls,
    postgres: postgresStarttls,
    mysql: mysqlStarttls,
  };
  return { kind: 'STARTTLS', name: NAMES[protocol], run: dialogues[protocol] };
}

/** The protocols wire/foreign.ts names that --starttls can upgrade, with the dialogue that does it. */
export const STARTTLS_UPGRADES: ReadonlyMap<string, StarttlsProtocol> = new Map([
  ['SMTP', 'smtp'],
  ['IMAP', 'imap'],
  ['POP3', 'pop3'],
  ['FTP', 'ftp'],
  ['MySQL', 'mysql'],
]);
