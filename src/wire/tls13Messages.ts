/**
 * The TLS 1.3 server messages that travel encrypted after the ServerHello (RFC 8446 §4.3-4.4):
 * EncryptedExtensions, CertificateRequest, Certificate, CertificateVerify (and what it signs) and
 * Finished; and the pure byte work around their protection: the HkdfLabel of HKDF-Expand-Label
 * (§7.1), the message_hash that stands for a ClientHello answered by a HelloRetryRequest
 * (§4.4.1), TLSInnerPlaintext unpadding (§5.2), cutting decrypted handshake bytes into whole
 * messages (which may span records or share one, §5.1), and the server's key_share in the
 * ServerHello. The cryptography itself lives in probe/ (node:crypto); everything here is
 * synchronous and bounded, and fails with DecodeError only.
 */
import { DecodeError, Reader, Writer, concat, malformed } from './bytes.js';
import type { KeyShareEntry } from './clientHello.js';
import { ExtensionType } from '../registry/extensions.js';
import { MAX_HANDSHAKE_LENGTH } from './records.js';
import { HandshakeType } from '../registry/handshake.js';

/** RFC 8446 §5.1: a TLSPlaintext (and so a decrypted TLSInnerPlaintext's content) holds at most 2^14 bytes. */
const MAX_PLAINTEXT_LENGTH = 16384;

export interface EncryptedExtensions {
  /** Extension types in the order sent. */
  extensionTypes: number[];
  alpn: string | null;
  /** The server's supported_groups, in its order of preference (RFC 8446 §4.2.7), when sent. */
  supportedGroups: number[] | null;
}

export interface CertificateRequest13 {
  /** certificate_request_context: empty during the handshake (RFC 8446 §4.3.2). */
  context: Uint8Array;
  extensionTypes: number[];
  /** signature_algorithms: the schemes the server accepts from a client (absent only in a broken message). */
  signatureAlgorithms: number[] | null;
}

export interface CertificateVerify {
  /** The SignatureScheme the server signed with (RFC 8446 §4.2.3). */
  scheme: number;
  signature: Uint8Array;
}

/** A whole handshake message: `raw` is header plus body, what the transcript hash covers. */
export interface HandshakeMessage {
  msgType: number;
  body: Uint8Array;
  raw: Uint8Array;
}

/** Reads an extensions block, calling `read` for each; a repeated type is malformed (RFC 8446 §4.2). */
function readExtensions(r: Reader, what: string, read: (type: number, data: Reader) => void): number[] {
  const exts = r.vector(2, `${what} extensions`);
  const types: number[] = [];
  while (exts.remaining > 0) {
    const type = exts.u16();
    const data = exts.vector(2, `${what} extension ${type}`);
    if (types.includes(type)) malformed(`${what}: duplicate extension ${type}`);
    types.push(type);
    read(type, data);
  }
  return types;
}

/** A u16 list inside a 2-byte vector (supported_groups, signature_algorithms). */
function readU16List(data: Reader, what: string): number[] {
  const list = data.vector(2, what);
  data.done();
  if (list.remaining % 2 !== 0) malformed(`${what}: odd length`);
  const out: number[] = [];
  while (list.remaining > 0) out.push(list.u16());
  return out;
}

/** EncryptedExtensions (RFC 8446 §4.3.1): the extension types, ALPN (RFC 7301 §3.1) and the server's groups. */
export function decodeEncryptedExtensions(body: Uint8Array): EncryptedExtensions {
  const r = new Reader(body, 'EncryptedExtensions', true);
  const out: EncryptedExtensions = { extensionTypes: [], alpn: null, supportedGroups: null };
  out.extensionTypes = readExtensions(r, 'EncryptedExtensions', (type, data) => {
    if (type === ExtensionType.application_layer_protocol_negotiation) {
      const list = data.vector(2, 'ALPN list');
      out.alpn = new TextDecoder().decode(list.opaque(1));
      list.done();
      data.done();
    } else if (type === ExtensionType.supported_groups) {
      out.supportedGroups = readU16List(data, 'supported_groups');
    } else data.rest();
  });
  r.done();
  return out;
}

/** CertificateRequest (RFC 8446 §4.3.2): its context and signature_algorithms. */
export function decodeCertificateRequest13(body: Uint8Array): CertificateRequest13 {
  const r = new Reader(body, 'CertificateRequest', true);
  const context = r.opaque(1);
  let signatureAlgorithms: number[] | null = null;
  const extensionTypes = readExtensions(r, 'CertificateRequest', (type, data) => {
    if (type === ExtensionType.signature_algorithms) signatureAlgorithms = readU16List(data, 'signature_algorithms');
    else data.rest();
  });
  r.done();
  return { context, extensionTypes, signatureAlgorithms };
}

/**
 * Certificate (RFC 8446 §4.4.2): the cert_data of each CertificateEntry, leaf first; the
 * per-entry extensions (OCSP status, SCTs) are skipped. The request context is not judged: the
 * chain is what a scanner wants, even from a server that fills it in.
 */
export function decodeCertificate13(body: Uint8Array): Uint8Array[] {
  const r = new Reader(body, 'Certificate', true);
  r.opaque(1); // certificate_request_context
  const list = r.vector(3, 'certificate_list');
  r.done();
  const certificates: Uint8Array[] = [];
  while (list.remaining > 0) {
    const der = list.opaque(3);
    if (der.length === 0) malformed('Certificate: empty cert_data');
    list.opaque(2); // extensions of this entry
    certificates.push(der);
  }
  return certificates;
}

/** CertificateVerify (RFC 8446 §4.4.3): the scheme and the signature. */
export function decodeCertificateVerify(body: Uint8Array): CertificateVerify {
  const r = new Reader(body, 'CertificateVerify', true);
  const scheme = r.u16();
  const signature = r.opaque(2);
  r.done();
  if (signature.length === 0) malformed('CertificateVerify: empty signature');
  return { scheme, signature };
}

/** RFC 8446 §4.4.3: the context string of a server's signature. */
const SERVER_CERTIFICATE_VERIFY_CONTEXT = 'TLS 1.3, server CertificateVerify';

/**
 * What a server's CertificateVerify signs (RFC 8446 §4.4.3): 64 spaces, the context string, a
 * zero byte, then Transcript-Hash(ClientHello..Certificate).
 */
export function serverCertificateVerifyContent(transcriptHash: Uint8Array): Uint8Array {
  const context = new TextEncoder().encode(SERVER_CERTIFICATE_VERIFY_CONTEXT);
  return concat([new Uint8Array(64).fill(0x20), context, Uint8Array.of(0), transcriptHash]);
}

/** Finished (RFC 8446 §4.4.4): verify_data, exactly as long as the suite's hash. */
export function decodeFinished(body: Uint8Array, hashLength: number): Uint8Array {
  if (body.length !== hashLength) malformed(`Finished: verify_data of ${body.length} bytes, the hash has ${hashLength}`);
  return body;
}

/** The HkdfLabel that HKDF-Expand-Label expands with (RFC 8446 §7.1): length, "tls13 " + label, context. */
export function encodeHkdfLabel(length: number, label: string, context: Uint8Array): Uint8Array {
  const w = new Writer();
  w.u16(length);
  w.vector(1, (v) => v.bytes(new TextEncoder().encode(`tls13 ${label}`)));
  w.vector(1, (v) => v.bytes(context));
  return w.finish();
}

/** RFC 8446 §4.4.1: the synthetic handshake type that stands for ClientHello1 after a HelloRetryRequest. */

/** The message_hash message that replaces ClientHello1 in the transcript (RFC 8446 §4.4.1): header, then Hash(ClientHello1). */
export function encodeMessageHash(clientHello1Digest: Uint8Array): Uint8Array {
  return new Writer().u8(HandshakeType.messageHash).vector(3, (v) => v.bytes(clientHello1Digest)).finish();
}

/**
 * TLSInnerPlaintext (RFC 8446 §5.2): content, then the real content type, then zero padding.
 * A plaintext of zeros only has no content type (§5.4: unexpected_message).
 */
export function unpadInnerPlaintext(plaintext: Uint8Array): { contentType: number; content: Uint8Array } {
  let end = plaintext.length - 1;
  while (end >= 0 && plaintext[end] === 0) end--;
  if (end < 0) malformed('TLSInnerPlaintext: no content type, only padding');
  if (end > MAX_PLAINTEXT_LENGTH) malformed(`TLSInnerPlaintext: ${end} bytes of content exceed 2^14 (record_overflow)`);
  return { contentType: plaintext[end]!, content: plaintext.subarray(0, end) };
}

/**
 * The server's KeyShareEntry from a TLS 1.3 ServerHello body (RFC 8446 §4.2.8): the fixed
 * fields are walked past, then the key_share extension is read. The rest of the hello is
 * decodeServerHello's business.
 */
export function decodeServerKeyShare(serverHelloBody: Uint8Array): KeyShareEntry {
  const r = new Reader(serverHelloBody, 'ServerHello', true);
  r.bytes(2 + 32); // legacy_version, random
  r.opaque(1); // legacy_session_id_echo
  r.bytes(2 + 1); // cipher_suite, legacy_compression_method
  let share: KeyShareEntry | null = null;
  readExtensions(r, 'ServerHello', (type, data) => {
    if (type !== ExtensionType.key_share) return void data.rest();
    const group = data.u16();
    const keyExchange = data.opaque(2);
    data.done();
    if (keyExchange.length === 0) malformed('ServerHello: empty key_exchange');
    share = { group, keyExchange };
  });
  r.done();
  if (!share) malformed('ServerHello: no key_share extension');
  return share;
}

/**
 * Cuts handshake bytes into whole messages as records deliver them. Fragments are kept apart
 * and joined only when a message completes, so tiny records cost linear time; a header claiming
 * more than MAX_HANDSHAKE_LENGTH is malformed before anything is buffered for it.
 */
export class HandshakeSplitter {
  private parts: Uint8Array[] = [];
  private buffered = 0;

  /** Adds one record's content; returns the messages it completed, in order. */
  push(content: Uint8Array): HandshakeMessage[] {
    // RFC 8446 §5.1: zero-length fragments of handshake content are not allowed.
    if (content.length === 0) malformed('zero-length handshake fragment');
    this.parts.push(content);
    this.buffered += content.length;
    const out: HandshakeMessage[] = [];
    for (let m = this.take(); m; m = this.take()) out.push(m);
    return out;
  }

  /** Bytes of a message begun but not finished. */
  get pendingBytes(): number {
    return this.buffered;
  }

  /** Throws truncated when a message was begun and never finished. */
  end(): void {
    if (this.buffered > 0) throw new DecodeError('truncated', `handshake message cut short (${this.buffered} bytes buffered)`);
  }

  private take(): HandshakeMessage | null {
    if (this.buffered < 4) return null;
    const [, a, b, c] = this.peekHeader();
    const length = (a << 16) | (b << 8) | c;
    if (length > MAX_HANDSHAKE_LENGTH) malformed(`handshake message claims ${length} bytes (limit ${MAX_HANDSHAKE_LENGTH})`);
    if (this.buffered < 4 + length) return null;
    const all = this.parts.length === 1 ? this.parts[0]! : concat(this.parts);
    const raw = all.slice(0, 4 + length);
    const rest = all.subarray(4 + length);
    this.parts = rest.length ? [rest] : [];
    this.buffered = rest.length;
    return { msgType: raw[0]!, body: raw.subarray(4), raw };
  }

  /** The 4 header bytes, read across fragments without joining them. */
  private peekHeader(): [number, number, number, number] {
    const out: number[] = [];
    for (const part of this.parts) {
      for (let i = 0; i < part.length && out.length < 4; i++) out.push(part[i]!);
      if (out.length === 4) break;
    }
    return out as [number, number, number, number];
  }
}
