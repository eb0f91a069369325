/**
 * Real TLS 1.3 key shares made with node:crypto, for servers that do not answer an empty
 * key_share with a HelloRetryRequest. Only the public half is sent: a probe never finishes
 * the handshake, so the private key is thrown away. Shares are cached per group because
 * generating finite-field keys is slow and the key is never used.
 */
import { createDiffieHellman, createECDH, generateKeyPairSync } from 'node:crypto';
import { groupById } from '../registry/groups.js';
import type { KeyShareEntry } from '../wire/clientHello.js';

const cache = new Map<number, KeyShareEntry | null>();

function generate(group: number): KeyShareEntry | null {
  const g = groupById(group);
  if (!g) return null;
  if (g.keyShare?.ffdhePrime) {
    // Node 20 has no named ffdhe groups: build them from the RFC 7919 prime (generator 2).
    const dh = createDiffieHellman(g.keyShare.ffdhePrime, 'hex', 2);
    const prime = dh.getPrime();
    const pub = dh.generateKeys();
    // RFC 8446 §4.2.8.1: left-padded to the size of the prime.
    const padded = new Uint8Array(prime.length);
    padded.set(pub, prime.length - pub.length);
    return { group, keyExchange: padded };
  }
  if (g.keyShare?.okp) {
    const { publicKey } = g.keyShare.okp === 'x25519' ? generateKeyPairSync('x25519') : generateKeyPairSync('x448');
    const spki = publicKey.export({ format: 'der', type: 'spki' });
    const size = g.keyShare.okp === 'x25519' ? 32 : 56;
    return { group, keyExchange: new Uint8Array(spki.subarray(spki.length - size)) };
  }
  if (g.keyShare?.curve) {
    try {
      const ecdh = createECDH(g.keyShare.curve);
      return { group, keyExchange: new Uint8Array(ecdh.generateKeys()) };
    } catch {
      return null;
    }
  }
  return null;
}

/** A key share for `group`, or null when node:crypto cannot make one (ML-KEM, GOST, ...). */
export function makeKeyShare(group: number): KeyShareEntry | null {
  if (!cache.has(group)) cache.set(group, generate(group));
  return cache.get(group) ?? null;
}
