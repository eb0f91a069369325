/**
 * Decoders for what a server answers a ClientHello with: ServerHello and HelloRetryRequest
 * (RFC 8446 §4.1.3-4, RFC 5246 §7.4.1.3), Certificate (RFC 5246 §7.4.2), ServerKeyExchange for
 * ECDHE and DHE (RFC 8422 §5.4, RFC 5246 §7.4.3), CertificateRequest, and the SSLv2
 * SERVER-HELLO. Each takes a complete message body and returns a typed value or throws
 * DecodeError('malformed').
 */
import { DecodeError, Reader, hex, malformed } from './bytes.js';
import { ExtensionType } from '../registry/extensions.js';

/** SHA-256("HelloRetryRequest"): the ServerHello.random that marks a HelloRetryRequest (RFC 8446 §4.1.3). */
export const HELLO_RETRY_REQUEST_RANDOM = 'cf21ad74e59a6111be1d8c021e65b891c2a211167abb8c5e079e09e2c8a8339c';

export interface ServerHello {
  /** legacy_version as sent. */
  legacyVersion: number;
  /** The negotiated version: supported_versions if present, else legacy_version. */
  version: number;
  isHelloRetryRequest: boolean;
  random: Uint8Array;
  sessionId: Uint8Array;
  cipherSuite: number;
  compressionMethod: number;
  /** Extension types in the order sent. */
  extensionTypes: number[];
  /** TLS 1.3: the group of the server's key share, or the HRR's selected group. */
  keyShareGroup: number | null;
  /** HRR cookie, if any. */
  cookie: Uint8Array | null;
  alpn: string | null;
  extendedMasterSecret: boolean;
  /** renegotiation_info present (and empty, as an initial handshake requires). */
  secureRenegotiation: boolean;
  encryptThenMac: boolean;
}

/** Decodes a ServerHello or HelloRetryRequest body (after the 4-byte handshake header). */
export function decodeServerHello(body: Uint8Array): ServerHello {
  const r = new Reader(body, 'ServerHello', true);
  const legacyVersion = r.u16();
  const random = r.bytes(32);
  const sessionId = r.opaque(1);
  if (sessionId.length > 32) malformed(`ServerHello: session id of ${sessionId.length} bytes`);
  const cipherSuite = r.u16();
  const compressionMethod = r.u8();
  const hello: ServerHello = {
    legacyVersion,
    version: legacyVersion,
    isHelloRetryRequest: hex(random) === HELLO_RETRY_REQUEST_RANDOM,
    random,
    sessionId,
    cipherSuite,
    compressionMethod,
    extensionTypes: [],
    keyShareGroup: null,
    cookie: null,
    alpn: null,
    extendedMasterSecret: false,
    secureRenegotiation: false,
    encryptThenMac: false,
  };
  if (r.remaining === 0) return hello; // extensions are optional before TLS 1.3
  const exts = r.vector(2, 'ServerHello extensions');
  r.done();
  const seen = new Set<number>();
  while (exts.remaining > 0) {
    const type = exts.u16();
    const data = exts.vector(2, `ServerHello extension ${type}`);
    if (seen.has(type)) malformed(`ServerHello: duplicate extension ${type}`);
    seen.add(type);
    hello.extensionTypes.push(type);
    readExtension(hello, type, data);
  }
  return hello;
}

function readExtension(hello: ServerHello, type: number, data: Reader): void {
  switch (type) {
    case ExtensionType.supported_versions:
      hello.version = data.u16();
      data.done();
      return;
    case ExtensionType.key_share:
      // HRR: selected_group only; ServerHello: a KeyShareEntry (RFC 8446 §4.2.8).
      hello.keyShareGroup = data.u16();
      if (!hello.isHelloRetryRequest) data.opaque(2);
      data.done();
      return;
    case ExtensionType.cookie:
      hello.cookie = data.opaque(2);
      data.done();
      return;
    case ExtensionType.application_layer_protocol_negotiation: {
      const list = data.vector(2, 'ALPN list');
      hello.alpn = new TextDecoder().decode(list.opaque(1));
      list.done();
      data.done();
      return;
    }
    case ExtensionType.extended_master_secret:
      hello.extendedMasterSecret = true;
      data.done();
      return;
    case ExtensionType.encrypt_then_mac:
      hello.encryptThenMac = true;
      data.done();
      return;
    case ExtensionType.renegotiation_info: {
      const renegotiated = data.opaque(1);
      data.done();
      hello.secureRenegotiation = renegotiated.length === 0;
      return;
    }
    default:
      data.rest();
  }
}

/** Certificate (TLS <= 1.2): the DER certificates, leaf first. */
export function decodeCertificateList(body: Uint8Array): Uint8Array[] {
  const r = new Reader(body, 'Certificate', true);
  const list = r.vector(3, 'certificate_list');
  r.done();
  const certs: Uint8Array[] = [];
  while (list.remaining > 0) {
    const der = list.opaque(3);
    if (der.length === 0) malformed('Certificate: empty ASN.1Cert');
    certs.push(der);
  }
  return certs;
}

/** `signatureScheme`: the TLS 1.2 SignatureAndHashAlgorithm of the signature over the parameters, when read. */
export type ServerKeyExchange =
  | { kind: 'ecdhe'; curveType: number; namedGroup: number | null; publicKeyLength: number; signatureScheme: number | null }
  | { kind: 'dhe'; primeBits: number; prime: Uint8Array; generator: Uint8Array; publicKeyLength: number; signatureScheme: number | null };

/**
 * ServerKeyExchange for ECDHE (RFC 8422 §5.4) or DHE (RFC 5246 §7.4.3). With `signedTls12`
 * (a TLS 1.2 suite that authenticates), the SignatureAndHashAlgorithm that opens the
 * digitally-signed struct after the parameters is read too (RFC 5246 §7.4.3, §4.7); the
 * signature itself is not checked: a scanner only needs to know which scheme signed.
 */
export function decodeServerKeyExchange(body: Uint8Array, kind: 'ecdhe' | 'dhe', signedTls12 = false): ServerKeyExchange {
  const r = new Reader(body, 'ServerKeyExchange', true);
  // A body cut short after the parameters still names its group: the scheme is then unknown.
  const scheme = (): number | null => (signedTls12 && r.remaining >= 2 ? r.u16() : null);
  if (kind === 'ecdhe') {
    const curveType = r.u8();
    if (curveType === 3) {
      const namedGroup = r.u16();
      const point = r.opaque(1);
      return { kind, curveType, namedGroup, publicKeyLength: point.length, signatureScheme: scheme() };
    }
    // explicit_prime (1) / explicit_char2 (2): deprecated, no named group to report, parameters not walked.
    if (curveType === 1 || curveType === 2) return { kind, curveType, namedGroup: null, publicKeyLength: 0, signatureScheme: null };
    malformed(`ServerKeyExchange: unknown ECCurveType ${curveType}`);
  }
  const prime = stripLeadingZeros(r.opaque(2));
  const generator = r.opaque(2);
  const publicKey = r.opaque(2);
  if (prime.length === 0) malformed('ServerKeyExchange: empty DH prime');
  return { kind, primeBits: bitLength(prime), prime, generator, publicKeyLength: publicKey.length, signatureScheme: scheme() };
}

function stripLeadingZeros(b: Uint8Array): Uint8Array {
  let i = 0;
  while (i < b.length - 1 && b[i] === 0) i++;
  return b.subarray(i);
}

function bitLength(b: Uint8Array): number {
  if (b.length === 0) return 0;
  return (b.length - 1) * 8 + (32 - Math.clz32(b[0]!));
}

/**
 * CertificateRequest (RFC 5246 §7.4.4): the certificate types and the CA names it lists, as DER.
 * Also reads the TLS 1.0/1.1 layout (RFC 4346 §7.4.4), which lacks supported_signature_algorithms;
 * a body that fits neither layout exactly is malformed.
 */
export function decodeCertificateRequest12(body: Uint8Array): { certificateTypes: number[]; caNames: Uint8Array[] } {
  const r = new Reader(body, 'CertificateRequest', true);
  const types = r.vector(1, 'certificate_types');
  const certificateTypes: number[] = [];
  while (types.remaining > 0) certificateTypes.push(types.u8());
  const rest = r.rest();
  // The two layouts cannot both consume the body exactly: TLS 1.2's has one more vector.
  const caNames = tryLayout(() => readTls12Tail(rest)) ?? tryLayout(() => readCaNames(new Reader(rest, 'CertificateRequest', true)));
  if (!caNames) malformed('CertificateRequest: fits neither the TLS 1.2 nor the TLS 1.0 layout');
  return { certificateTypes, caNames };
}

function tryLayout(read: () => Uint8Array[]): Uint8Array[] | null {
  try {
    return read();
  } catch (err) {
    if (err instanceof DecodeError) return null;
    throw err;
  }
}

function readTls12Tail(rest: Uint8Array): Uint8Array[] {
  const r = new Reader(rest, 'CertificateRequest', true);
  const algorithms = r.vector(2, 'supported_signature_algorithms');
  if (algorithms.remaining % 2 !== 0) malformed('CertificateRequest: odd-length supported_signature_algorithms');
  return readCaNames(r);
}

/** certificate_authorities: DistinguishedName<0..2^16-1>, the last field of the message. */
function readCaNames(r: Reader): Uint8Array[] {
  const list = r.vector(2, 'certificate_authorities');
  r.done();
  const names: Uint8Array[] = [];
  while (list.remaining > 0) names.push(list.opaque(2));
  return names;
}

export interface Sslv2ServerHello {
  sessionIdHit: number;
  certificateType: number;
  version: number;
  certificate: Uint8Array;
  cipherKinds: number[];
  connectionId: Uint8Array;
}

/** SSLv2 SERVER-HELLO (message type 4), body after the type byte. */
export function decodeSslv2ServerHello(body: Uint8Array): Sslv2ServerHello {
  const r = new Reader(body, 'SSLv2 SERVER-HELLO', true);
  const sessionIdHit = r.u8();
  const certificateType = r.u8();
  const version = r.u16();
  const certLength = r.u16();
  const specsLength = r.u16();
  const connectionIdLength = r.u16();
  if (specsLength % 3 !== 0) malformed(`SSLv2 SERVER-HELLO: cipher specs length ${specsLength} is not a multiple of 3`);
  if (connectionIdLength < 16 || connectionIdLength > 32) malformed(`SSLv2 SERVER-HELLO: connection id of ${connectionIdLength} bytes`);
  const certificate = r.bytes(certLength);
  const specs = new Reader(r.bytes(specsLength), 'SSLv2 cipher specs', true);
  const connectionId = r.bytes(connectionIdLength);
  r.done();
  const cipherKinds: number[] = [];
  while (specs.remaining > 0) cipherKinds.push(specs.u24());
  return { sessionIdHit, certificateType, version, certificate, cipherKinds, connectionId };
}
