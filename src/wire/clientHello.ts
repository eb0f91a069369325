/**
 * ClientHello builders: the TLS ClientHello for SSLv3 to TLS 1.3 (RFC 5246 §7.4.1.2,
 * RFC 8446 §4.1.2) and the SSLv2-format CLIENT-HELLO (draft-hickman-netscape-ssl-00).
 *
 * Every knob a scanner needs is an option, because each probe differs from the last by one
 * list or one extension, and intolerant servers need extensions dropped or hellos kept small.
 * Pure: random bytes and key shares come in from the caller.
 */
import { ExtensionType } from '../registry/extensions.js';
import { Writer } from './bytes.js';


export interface KeyShareEntry {
  group: number;
  keyExchange: Uint8Array;
}

export interface ClientHelloOptions {
  /** legacy_version (0x0300 SSLv3 ... 0x0303 TLS 1.2; TLS 1.3 hellos say 0x0303). */
  clientVersion: number;
  /** Cipher suites, SCSVs included, in the order to offer them. */
  cipherSuites: readonly number[];
  random: Uint8Array;
  sessionId?: Uint8Array;
  /** Send no extensions block at all (SSLv3, or the last rung for intolerant servers). */
  noExtensions?: boolean;
  serverName?: string | null;
  supportedGroups?: readonly number[];
  ecPointFormats?: boolean;
  signatureAlgorithms?: readonly number[];
  alpn?: readonly string[];
  statusRequest?: boolean;
  sessionTicket?: boolean;
  encryptThenMac?: boolean;
  extendedMasterSecret?: boolean;
  renegotiationInfo?: boolean;
  /** TLS 1.3: the versions in supported_versions, highest first. */
  supportedVersions?: readonly number[];
  /** TLS 1.3: key shares; an empty array sends an empty key_share (asks for a HelloRetryRequest). */
  keyShares?: readonly KeyShareEntry[];
  pskKeyExchangeModes?: boolean;
  /** RFC 5054 §2.8.1: the SRP extension with this user name (srp_I), which SRP suites need. */
  srpIdentity?: string;
  /** TLS 1.3 second hello: the cookie echoed from a HelloRetryRequest. */
  cookie?: Uint8Array;
  /** RFC 7685 padding so that the handshake message is never 256-511 bytes long. Default true. */
  padding?: boolean;
  /**
   * With padding on: pad the handshake message to at least this many bytes (RFC 7685), so that a
   * hello can be made as long as another one it is compared with. Never lands in 256-511.
   */
  padTo?: number;
}

/** Record-layer version for the hello: TLS 1.0 at most, as many servers expect (RFC 8446 §5.1). */
export function helloRecordVersion(clientVersion: number): number {
  return Math.min(clientVersion, 0x0301);
}

function writeExtension(w: Writer, type: number, body: (w: Writer) => void): void {
  w.u16(type).vector(2, body);
}

/** The handshake message (type 1, with its 4-byte header), without the record header. */
export function buildClientHelloMessage(o: ClientHelloOptions): Uint8Array {
  const body = buildBody(o, 0);
  if (o.padding === false || o.noExtensions) return body;
  const len = body.length;
  // The padding extension's own 4-byte header counts too (RFC 7685 §3: pad to 512).
  let target = o.padTo !== undefined && o.padTo > len ? o.padTo : len;
  if (target >= 256 && target <= 511) target = 512;
  return target === len ? body : buildBody(o, Math.max(0, target - len - 4) + 1);
}

/** `padTo` is 0 for no padding extension, else content length + 1. */
function buildBody(o: ClientHelloOptions, padTo: number): Uint8Array {
  const w = new Writer();
  w.u8(1).begin(3); // msg_type client_hello, uint24 length
  w.u16(o.clientVersion);
  w.bytes(o.random);
  w.vector(1, (v) => v.bytes(o.sessionId ?? new Uint8Array(0)));
  w.vector(2, (v) => o.cipherSuites.forEach((s) => v.u16(s)));
  w.vector(1, (v) => v.u8(0)); // compression_methods: null only
  if (!o.noExtensions) {
    w.begin(2);
    writeExtensions(w, o);
    if (padTo > 0) writeExtension(w, ExtensionType.padding, (v) => v.bytes(new Uint8Array(padTo - 1)));
    w.end();
  }
  w.end();
  return w.finish();
}

function writeExtensions(w: Writer, o: ClientHelloOptions): void {
  if (o.serverName) {
    const name = new TextEncoder().encode(o.serverName);
    // RFC 6066 §3: ServerNameList with one host_name entry.
    writeExtension(w, ExtensionType.server_name, (v) =>
      v.vector(2, (l) => l.u8(0).vector(2, (n) => n.bytes(name))),
    );
  }
  if (o.ecPointFormats) {
    // RFC 8422 §5.1.2: uncompressed, plus the two deprecated ones old servers look for.
    writeExtension(w, ExtensionType.ec_point_formats, (v) => v.vector(1, (l) => l.u8(0).u8(1).u8(2)));
  }
  if (o.supportedGroups?.length) {
    const groups = o.supportedGroups;
    writeExtension(w, ExtensionType.supported_groups, (v) => v.vector(2, (l) => groups.forEach((g) => l.u16(g))));
  }
  if (o.sessionTicket) writeExtension(w, ExtensionType.session_ticket, () => {});
  if (o.alpn?.length) {
    const protos = o.alpn.map((p) => new TextEncoder().encode(p));
    writeExtension(w, ExtensionType.application_layer_protocol_negotiation, (v) => v.vector(2, (l) => protos.forEach((p) => l.vector(1, (x) => x.bytes(p)))));
  }
  if (o.statusRequest) {
    // RFC 6066 §8: status_type ocsp(1), empty responder_id_list and request_extensions.
    writeExtension(w, ExtensionType.status_request, (v) => v.u8(1).u16(0).u16(0));
  }
  if (o.encryptThenMac) writeExtension(w, ExtensionType.encrypt_then_mac, () => {});
  if (o.extendedMasterSecret) writeExtension(w, ExtensionType.extended_master_secret, () => {});
  if (o.srpIdentity) {
    const user = new TextEncoder().encode(o.srpIdentity);
    writeExtension(w, ExtensionType.srp, (v) => v.vector(1, (l) => l.bytes(user)));
  }
  if (o.signatureAlgorithms?.length) {
    const schemes = o.signatureAlgorithms;
    writeExtension(w, ExtensionType.signature_algorithms, (v) => v.vector(2, (l) => schemes.forEach((s) => l.u16(s))));
  }
  if (o.supportedVersions?.length) {
    const versions = o.supportedVersions;
    writeExtension(w, ExtensionType.supported_versions, (v) => v.vector(1, (l) => versions.forEach((x) => l.u16(x))));
  }
  if (o.cookie) {
    const cookie = o.cookie;
    writeExtension(w, ExtensionType.cookie, (v) => v.vector(2, (l) => l.bytes(cookie)));
  }
  if (o.pskKeyExchangeModes) {
    // RFC 8446 §4.2.9: psk_dhe_ke(1) only.
    writeExtension(w, ExtensionType.psk_key_exchange_modes, (v) => v.vector(1, (l) => l.u8(1)));
  }
  if (o.keyShares) {
    const shares = o.keyShares;
    writeExtension(w, ExtensionType.key_share, (v) =>
      v.vector(2, (l) => shares.forEach((s) => l.u16(s.group).vector(2, (k) => k.bytes(s.keyExchange)))),
    );
  }
  // Last on purpose: a non-empty final extension (some servers choke on an empty last one).
  if (o.renegotiationInfo) writeExtension(w, ExtensionType.renegotiation_info, (v) => v.vector(1, () => {}));
}

/** Wraps handshake bytes in TLS records of at most 2^14 bytes (RFC 8446 §5.1). */
export function buildRecords(contentType: number, version: number, payload: Uint8Array): Uint8Array {
  const w = new Writer();
  for (let at = 0; at < payload.length || at === 0; at += 16384) {
    w.u8(contentType).u16(version).vector(2, (v) => v.bytes(payload.subarray(at, at + 16384)));
    if (payload.length === 0) break;
  }
  return w.finish();
}

/** A complete ClientHello record ready for the socket. */
export function buildClientHello(o: ClientHelloOptions): Uint8Array {
  return buildRecords(22, helloRecordVersion(o.clientVersion), buildClientHelloMessage(o));
}

/**
 * SSLv2 CLIENT-HELLO (version 0x0002) offering 24-bit cipher kinds, with a 16-byte challenge.
 * The 2-byte record header has the high bit set and no padding.
 */
export function buildSslv2ClientHello(cipherKinds: readonly number[], challenge: Uint8Array): Uint8Array {
  const w = new Writer();
  const bodyLen = 9 + cipherKinds.length * 3 + challenge.length;
  // The 2-byte header has 15 bits of length; more would silently corrupt the header.
  if (bodyLen > 0x7fff) throw new Error(`SSLv2 CLIENT-HELLO of ${bodyLen} bytes exceeds a 2-byte record header`);
  w.u16(0x8000 | bodyLen);
  w.u8(1); // MSG-CLIENT-HELLO
  w.u16(0x0002);
  w.u16(cipherKinds.length * 3);
  w.u16(0); // session id length
  w.u16(challenge.length);
  for (const k of cipherKinds) w.u24(k);
  w.bytes(challenge);
  return w.finish();
}
