/**
 * Server-side bytes for the scripted responders: TLS records (RFC 8446 §5.1), handshake
 * messages (§4), ServerHello and HelloRetryRequest (§4.1.3-4, RFC 5246 §7.4.1.3), Certificate,
 * ServerHelloDone, alerts (§6) and the SSLv2 SERVER-HELLO (draft-hickman-netscape-ssl-00).
 * Built with the codec's own Writer so they read like the grammar; every field can be set to a
 * wrong value on purpose, because the hostile tests need exactly the answers no real server sends.
 */
import { Writer, fromHex } from '../../src/wire/bytes.js';
import { HELLO_RETRY_REQUEST_RANDOM } from '../../src/wire/serverMessages.js';

import { ContentType } from '../../src/registry/handshake.js';

export { ContentType };

/** One TLS record; the length is whatever `payload` is, even past the RFC limits. */
export function record(contentType: number, payload: Uint8Array, version = 0x0303): Uint8Array {
  return new Writer().u8(contentType).u16(version).u16(payload.length).bytes(payload).finish();
}

/** A record header that claims `length` bytes, with no payload (for oversize and truncation cases). */
export function recordHeader(contentType: number, length: number, version = 0x0303): Uint8Array {
  return new Writer().u8(contentType).u16(version).u16(length).finish();
}

/** A handshake message: msg_type, uint24 length, body (RFC 8446 §4). */
export function handshake(msgType: number, body: Uint8Array): Uint8Array {
  return new Writer().u8(msgType).vector(3, (w) => w.bytes(body)).finish();
}

/** Handshake messages in records of at most `size` bytes each (1 makes the many-tiny-records case). */
export function handshakeRecords(messages: Uint8Array, size = 16384, version = 0x0303): Uint8Array {
  // Filled in place: a flood of 60,000 one-byte records built through Writer takes long enough to
  // stall the test's own event loop, which the tests measure.
  const count = Math.ceil(messages.length / size);
  const out = new Uint8Array(messages.length + 5 * count);
  for (let i = 0, at = 0; i < count; i++) {
    const fragment = messages.subarray(i * size, (i + 1) * size);
    out.set([ContentType.handshake, version >> 8, version & 0xff, fragment.length >> 8, fragment.length & 0xff], at);
    out.set(fragment, at + 5);
    at += 5 + fragment.length;
  }
  return out;
}

export interface Extension {
  type: number;
  data: Uint8Array;
}

export interface ServerHelloFields {
  /** legacy_version, also the negotiated version when no supported_versions is sent. */
  legacyVersion: number;
  cipherSuite: number;
  random?: Uint8Array;
  sessionId?: Uint8Array;
  compressionMethod?: number;
  /** undefined: no extensions block at all (RFC 5246 §7.4.1.3 allows that). */
  extensions?: readonly Extension[];
}

/** ServerHello handshake message (header included). */
export function serverHello(f: ServerHelloFields): Uint8Array {
  const w = new Writer();
  w.u16(f.legacyVersion);
  w.bytes(f.random ?? new Uint8Array(32).fill(0x5a));
  w.vector(1, (v) => v.bytes(f.sessionId ?? new Uint8Array(0)));
  w.u16(f.cipherSuite);
  w.u8(f.compressionMethod ?? 0);
  if (f.extensions !== undefined) {
    const exts = f.extensions;
    w.vector(2, (v) => exts.forEach((e) => v.u16(e.type).vector(2, (d) => d.bytes(e.data))));
  }
  return handshake(2, w.finish());
}

export const ext = {
  /** supported_versions in a ServerHello: one selected version (RFC 8446 §4.2.1). */
  supportedVersion: (version: number): Extension => ({ type: 43, data: new Writer().u16(version).finish() }),
  /** key_share in a HelloRetryRequest: the selected group only (RFC 8446 §4.2.8). */
  hrrKeyShare: (group: number): Extension => ({ type: 51, data: new Writer().u16(group).finish() }),
  /** key_share in a ServerHello: one KeyShareEntry (RFC 8446 §4.2.8). */
  keyShare: (group: number, keyExchange: Uint8Array): Extension => ({ type: 51, data: new Writer().u16(group).vector(2, (v) => v.bytes(keyExchange)).finish() }),
  /** renegotiation_info, empty for an initial handshake (RFC 5746 §3.6). */
  renegotiationInfo: (): Extension => ({ type: 0xff01, data: new Uint8Array([0]) }),
};

/** A TLS 1.3 HelloRetryRequest (RFC 8446 §4.1.4): a ServerHello with the special random. */
export function helloRetryRequest(cipherSuite: number, group: number, sessionId: Uint8Array = new Uint8Array(0), version = 0x0304): Uint8Array {
  return serverHello({
    legacyVersion: 0x0303,
    random: fromHex(HELLO_RETRY_REQUEST_RANDOM),
    sessionId,
    cipherSuite,
    extensions: [ext.supportedVersion(version), ext.hrrKeyShare(group)],
  });
}

/** A TLS 1.3 ServerHello with a (meaningless) key share of the right size for `group`. */
export function serverHello13(cipherSuite: number, group: number, sessionId: Uint8Array = new Uint8Array(0)): Uint8Array {
  const size = group === 29 ? 32 : group === 30 ? 56 : group === 23 ? 65 : group === 24 ? 97 : 133;
  const key = new Uint8Array(size).fill(0x42);
  if (size > 56) key[0] = 4; // uncompressed point marker, RFC 8446 §4.2.8.2
  return serverHello({ legacyVersion: 0x0303, sessionId, cipherSuite, extensions: [ext.supportedVersion(0x0304), ext.keyShare(group, key)] });
}

/** Certificate (TLS <= 1.2): certificate_list of DER certificates (RFC 5246 §7.4.2). */
export function certificate(ders: readonly Uint8Array[]): Uint8Array {
  return handshake(11, new Writer().vector(3, (l) => ders.forEach((d) => l.vector(3, (c) => c.bytes(d)))).finish());
}

/** ServerHelloDone (RFC 5246 §7.4.5): an empty body. */
export const serverHelloDone: Uint8Array = handshake(14, new Uint8Array(0));

/** An alert record (RFC 8446 §6): level, description. */
export function alert(description: number, level = 2, version = 0x0303): Uint8Array {
  return record(ContentType.alert, new Uint8Array([level, description]), version);
}

export interface Sslv2ServerHelloFields {
  cipherKinds: readonly number[];
  certificate?: Uint8Array;
  connectionId?: Uint8Array;
  /** Overrides of the length fields, to make the message lie about itself. */
  cipherSpecsLength?: number;
  connectionIdLength?: number;
}

/**
 * SSLv2 SERVER-HELLO record (message type 4) with a 2-byte header: session-id-hit,
 * certificate type 1 (X.509), version 0x0002, the three lengths, then the data.
 */
export function sslv2ServerHello(f: Sslv2ServerHelloFields): Uint8Array {
  const cert = f.certificate ?? new Uint8Array(0);
  const connectionId = f.connectionId ?? new Uint8Array(16).fill(0x11);
  const body = new Writer();
  body.u8(4).u8(0).u8(1).u16(0x0002);
  body.u16(cert.length).u16(f.cipherSpecsLength ?? f.cipherKinds.length * 3).u16(f.connectionIdLength ?? connectionId.length);
  body.bytes(cert);
  for (const k of f.cipherKinds) body.u24(k);
  body.bytes(connectionId);
  const message = body.finish();
  return new Writer().u16(0x8000 | message.length).bytes(message).finish();
}

/** GREASE values (RFC 8701): never a real choice, so never in a scanner's offer. */
export const GREASE: readonly number[] = Array.from({ length: 16 }, (_, i) => (i * 0x10 + 0x0a) * 0x101);
