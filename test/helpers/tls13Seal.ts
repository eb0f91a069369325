/**
 * The server side of TLS 1.3 record protection, for tests that need flights no real server sends
 * (a message split over many records, padding, an alert, a bad signature, messages out of order):
 * TLSInnerPlaintext records sealed under the server handshake traffic keys (RFC 8446 §5.2), with
 * node:crypto's ciphers. The keys come from src/probe/tls13Keys.ts, which the RFC 8448 test
 * checks against the trace, so what this seals is what a server would send.
 */
import { createCipheriv, type CipherCCM, type CipherChaCha20Poly1305, type CipherGCM } from 'node:crypto';
import { recordNonce, trafficKeys, type Tls13Suite } from '../../src/probe/tls13Keys.js';

export interface InnerPlaintext {
  contentType: number;
  content: Uint8Array;
  /** Zero bytes after the content type (RFC 8446 §5.4). */
  padding?: number;
}

function createAeadCipher(suite: Tls13Suite, key: Uint8Array, nonce: Uint8Array): CipherGCM | CipherCCM | CipherChaCha20Poly1305 {
  const options = { authTagLength: suite.tagLength };
  switch (suite.aead) {
    case 'aes-128-ccm':
      return createCipheriv(suite.aead, key, nonce, options);
    case 'chacha20-poly1305':
      return createCipheriv(suite.aead, key, nonce, options);
    default:
      return createCipheriv(suite.aead, key, nonce, options);
  }
}

/** Seals each plaintext as one record (sequence numbers from 0); returns the encrypted_record payloads. */
export function sealRecords(suite: Tls13Suite, trafficSecret: Uint8Array, plaintexts: readonly InnerPlaintext[]): Uint8Array[] {
  const { key, iv } = trafficKeys(suite, trafficSecret);
  return plaintexts.map((p, sequence) => {
    const inner = new Uint8Array(p.content.length + 1 + (p.padding ?? 0));
    inner.set(p.content);
    inner[p.content.length] = p.contentType;
    const length = inner.length + suite.tagLength;
    const cipher = createAeadCipher(suite, key, recordNonce(iv, sequence));
    cipher.setAAD(Uint8Array.of(23, 3, 3, length >> 8, length & 0xff), { plaintextLength: inner.length });
    const body = Buffer.concat([cipher.update(inner), cipher.final(), cipher.getAuthTag()]);
    return new Uint8Array(body);
  });
}

/** Cuts `bytes` into pieces of `size` bytes (the last one shorter). */
export function chunks(bytes: Uint8Array, size: number): Uint8Array[] {
  const out: Uint8Array[] = [];
  for (let at = 0; at < bytes.length; at += size) out.push(bytes.subarray(at, at + size));
  return out;
}
