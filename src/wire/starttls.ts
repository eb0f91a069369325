/**
 * The binary messages of the STARTTLS preambles that are not text lines: PostgreSQL's
 * SSLRequest, the MySQL handshake and SSL request packets, and LDAP's StartTLS extended
 * operation in BER. Pure codec: the dialogues that send and read them are in
 * probe/starttls.ts. Every length is checked before it is trusted.
 */
import { DecodeError, Reader, malformed } from './bytes.js';
import { readTlv, type Tlv } from './asn1.js';

// ---------------------------------------------------------------------------------------------
// PostgreSQL (Frontend/Backend Protocol §55.2.10 "SSL Session Encryption")

/** SSLRequest: Int32 length 8, Int32 80877103 (0x04d2162f). The server answers one byte: 'S' or 'N'. */
export const POSTGRES_SSL_REQUEST: Uint8Array = Uint8Array.of(0, 0, 0, 8, 0x04, 0xd2, 0x16, 0x2f);

// ---------------------------------------------------------------------------------------------
// MySQL / MariaDB (client/server protocol: Protocol::HandshakeV10, Protocol::SSLRequest)

/** Capability flags (include/mysql_com.h). */
const MYSQL_CLIENT_LONG_PASSWORD = 0x00000001;
const MYSQL_CLIENT_PROTOCOL_41 = 0x00000200;
export const MYSQL_CLIENT_SSL = 0x00000800;
const MYSQL_CLIENT_SECURE_CONNECTION = 0x00008000;
const MYSQL_CLIENT_PLUGIN_AUTH = 0x00080000;

/** A packet's size (4-byte header + payload) once the buffer holds it whole, else null. */
export function mysqlPacketLength(buffered: Uint8Array): number | null {
  if (buffered.length < 4) return null;
  const payload = buffered[0]! | (buffered[1]! << 8) | (buffered[2]! << 16);
  return buffered.length >= 4 + payload ? 4 + payload : null;
}

export type MysqlGreeting =
  | { kind: 'handshake'; protocolVersion: number; serverVersion: string; sequenceId: number; capabilities: number }
  | { kind: 'error'; errorCode: number; message: string };

/** The server's first packet: HandshakeV10, or an ERR packet (0xff) such as "Host is blocked". */
export function decodeMysqlGreeting(packet: Uint8Array): MysqlGreeting {
  const header = new Reader(packet, 'MySQL packet', true);
  const length = header.u8() | (header.u8() << 8) | (header.u8() << 16);
  const sequenceId = header.u8();
  const r = new Reader(header.bytes(length), 'MySQL handshake', true);
  header.done();
  const first = r.u8();
  if (first === 0xff) {
    const errorCode = r.u8() | (r.u8() << 8);
    return { kind: 'error', errorCode, message: new TextDecoder('utf-8').decode(r.rest()).replace(/^#[0-9A-Z]{5}/, '') };
  }
  if (first !== 10) malformed(`MySQL handshake: protocol version ${first}, expected 10`);
  const rest = r.rest();
  const nul = rest.indexOf(0);
  if (nul === -1) malformed('MySQL handshake: server version is not NUL-terminated');
  const serverVersion = new TextDecoder('latin1').decode(rest.subarray(0, nul));
  const f = new Reader(rest.subarray(nul + 1), 'MySQL handshake', true);
  f.bytes(4); // connection id
  f.bytes(8); // auth-plugin-data-part-1
  f.u8(); // filler
  let capabilities = f.u8() | (f.u8() << 8);
  if (f.remaining >= 5) {
    f.u8(); // character set
    f.bytes(2); // status flags
    capabilities |= (f.u8() | (f.u8() << 8)) << 16;
  }
  return { kind: 'handshake', protocolVersion: first, serverVersion, sequenceId, capabilities: capabilities >>> 0 };
}

/**
 * Protocol::SSLRequest: capability flags, max packet size, character set and 23 zero bytes,
 * sent as the packet after the greeting; the TLS handshake follows at once.
 */
export function encodeMysqlSslRequest(sequenceId: number): Uint8Array {
  const capabilities = MYSQL_CLIENT_LONG_PASSWORD | MYSQL_CLIENT_PROTOCOL_41 | MYSQL_CLIENT_SSL | MYSQL_CLIENT_SECURE_CONNECTION | MYSQL_CLIENT_PLUGIN_AUTH;
  const packet = new Uint8Array(4 + 32);
  packet[0] = 32;
  packet[3] = sequenceId & 0xff;
  new DataView(packet.buffer).setUint32(4, capabilities, true);
  new DataView(packet.buffer).setUint32(8, 0x01000000, true); // max packet size: 16 MiB
  packet[12] = 33; // utf8_general_ci
  return packet;
}

// ---------------------------------------------------------------------------------------------
// LDAP (RFC 4511 §4.14 StartTLS, §4.12 ExtendedRequest; BER per X.690)

const LDAP_STARTTLS_OID = '1.3.6.1.4.1.1466.20037';

/** LDAPMessage { messageID, [APPLICATION 23] ExtendedRequest { requestName [0] LDAPOID } }. */
export function encodeLdapStartTls(messageId: number): Uint8Array {
  if (messageId < 0 || messageId > 127) throw new RangeError('messageId must fit one byte');
  const oid = new TextEncoder().encode(LDAP_STARTTLS_OID);
  const request = [0x80, oid.length, ...oid]; // requestName [0] (context, primitive)
  const op = [0x77, request.length, ...request]; // [APPLICATION 23], constructed
  const body = [0x02, 0x01, messageId, ...op]; // messageID INTEGER
  return Uint8Array.of(0x30, body.length, ...body);
}

/** An LDAPMessage's size once the buffer holds it whole, else null (a BER length over 1 MiB is malformed). */
export function ldapMessageLength(buffered: Uint8Array): number | null {
  try {
    const r = new Reader(buffered, 'LDAPMessage');
    const start = r.offset;
    const tlv = readTlv(r);
    if (tlv.tag !== 0x30) malformed(`LDAPMessage: tag 0x${tlv.tag.toString(16)}, expected a SEQUENCE`);
    if (tlv.value.length > 1 << 20) malformed('LDAPMessage: over 1 MiB');
    return r.offset - start;
  } catch (err) {
    if (err instanceof DecodeError && err.kind === 'truncated') return null;
    throw err;
  }
}

export interface LdapExtendedResponse {
  messageId: number;
  /** RFC 4511 §4.1.9: 0 success, 2 protocolError (StartTLS not supported), 52 unavailable, ... */
  resultCode: number;
  diagnosticMessage: string;
}

function integer(t: Tlv, what: string): number {
  if (t.value.length === 0 || t.value.length > 4) malformed(`${what}: INTEGER of ${t.value.length} bytes`);
  let n = 0;
  for (const b of t.value) n = n * 256 + b;
  return n;
}

/** LDAPMessage { messageID, [APPLICATION 24] ExtendedResponse { resultCode, matchedDN, diagnosticMessage, ... } }. */
export function decodeLdapExtendedResponse(message: Uint8Array): LdapExtendedResponse {
  const outer = readTlv(new Reader(message, 'LDAPMessage', true));
  const r = new Reader(outer.value, 'LDAPMessage', true);
  const id = readTlv(r);
  if (id.tag !== 0x02) malformed('LDAPMessage: messageID is not an INTEGER');
  const op = readTlv(r);
  if (op.tag !== 0x78) malformed(`LDAPMessage: protocolOp tag 0x${op.tag.toString(16)}, expected ExtendedResponse (0x78)`);
  const f = new Reader(op.value, 'ExtendedResponse', true);
  const code = readTlv(f);
  if (code.tag !== 0x0a) malformed('ExtendedResponse: resultCode is not an ENUMERATED');
  readTlv(f); // matchedDN
  const diagnostic = readTlv(f);
  return { messageId: integer(id, 'messageID'), resultCode: integer(code, 'resultCode'), diagnosticMessage: new TextDecoder('utf-8').decode(diagnostic.value) };
}
