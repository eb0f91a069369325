/**
 * Real TLS 1.3 key shares made with node:crypto, for servers that do not answer an empty
 * key_share with a HelloRetryRequest. Only the public half is sent: a probe never finishes
 * the handshake, so the private key is thrown away (ML-KEM keys have none: see
 * mlkemEncapsulationKey). Shares are cached per process: the key is never used.
 */
import { createECDH, generateKeyPairSync, randomBytes } from 'node:crypto';
import { groupById, groupId } from '../registry/groups.js';
import { concat } from '../wire/bytes.js';
import type { KeyShareEntry } from '../wire/clientHello.js';

const cache = new Map<number, KeyShareEntry | null>();

function generate(group: number): KeyShareEntry | null {
  if (POST_QUANTUM.has(group)) return postQuantum(group);
  const g = groupById(group);
  if (!g) return null;
  if (g.keyShare?.ffdhePrime) return { group, keyExchange: ffdhePublicValue(g.keyShare.ffdhePrime) };
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

/**
 * Y = 2^x mod p for an RFC 7919 prime, with a random 512-bit x (at least twice the security of
 * the largest group, RFC 7919 §5.2), left-padded to the prime's length (RFC 8446 §4.2.8.1).
 * Computed here rather than with crypto.createDiffieHellman, which on OpenSSL 3.5 (Node 24)
 * checks the prime first: 0.4 s for ffdhe2048 and 33 s for ffdhe8192, against milliseconds here.
 */
function ffdhePublicValue(primeHex: string): Uint8Array {
  const p = BigInt(`0x${primeHex}`);
  let x = BigInt(`0x${randomBytes(64).toString('hex')}`) | 2n;
  let y = 1n;
  let b = 2n;
  while (x > 0n) {
    if (x & 1n) y = (y * b) % p;
    b = (b * b) % p;
    x >>= 1n;
  }
  const size = primeHex.length / 2;
  return new Uint8Array(Buffer.from(y.toString(16).padStart(size * 2, '0'), 'hex'));
}

/** FIPS 203 q: every coefficient of an encapsulation key is below it. */
const MLKEM_Q = 3329;

/**
 * A well-formed ML-KEM (FIPS 203) encapsulation key with k = 2, 3 or 4: k·256 coefficients below
 * q, 12 bits each, then a 32-byte seed rho: 800, 1184 or 1568 bytes. It is not derived from a
 * decapsulation key: the probe never decapsulates, and a server accepts any key that passes the
 * FIPS 203 §7.2 modulus check. The same layout serves the Kyber-768 drafts.
 */
function mlkemEncapsulationKey(k: 2 | 3 | 4): Uint8Array {
  const n = k * 256;
  const out = new Uint8Array((n * 12) / 8 + 32);
  const random = randomBytes(n * 2);
  for (let i = 0; i < n; i += 2) {
    const a = random.readUInt16LE(i * 2) % MLKEM_Q;
    const b = random.readUInt16LE(i * 2 + 2) % MLKEM_Q;
    const at = (i / 2) * 3;
    out[at] = a & 0xff;
    out[at + 1] = (a >> 8) | ((b & 0x0f) << 4);
    out[at + 2] = b >> 4;
  }
  out.set(randomBytes(32), (n * 12) / 8);
  return out;
}

/** ML-KEM and hybrid groups: the parts of the share, in wire order (draft-ietf-tls-ecdhe-mlkem, draft-kwiatkowski-tls-ecdhe-mlkem). */
const POST_QUANTUM: ReadonlyMap<number, readonly (number | 'mlkem512' | 'mlkem768' | 'mlkem1024')[]> = new Map([
  [groupId('MLKEM512'), ['mlkem512']],
  [groupId('MLKEM768'), ['mlkem768']],
  [groupId('MLKEM1024'), ['mlkem1024']],
  [groupId('SecP256r1MLKEM768'), [groupId('secp256r1'), 'mlkem768']], // the ECDH share first
  [groupId('X25519MLKEM768'), ['mlkem768', groupId('x25519')]], // the ML-KEM share first
  [groupId('SecP384r1MLKEM1024'), [groupId('secp384r1'), 'mlkem1024']],
  [groupId('X25519Kyber768Draft00'), [groupId('x25519'), 'mlkem768']],
  [groupId('SecP256r1Kyber768Draft00'), [groupId('secp256r1'), 'mlkem768']],
]);

function postQuantum(group: number): KeyShareEntry | null {
  const parts = POST_QUANTUM.get(group);
  if (!parts) return null;
  const bytes: Uint8Array[] = [];
  for (const part of parts) {
    if (typeof part === 'number') {
      const classic = makeKeyShare(part);
      if (!classic) return null;
      bytes.push(classic.keyExchange);
    } else {
      bytes.push(mlkemEncapsulationKey(part === 'mlkem512' ? 2 : part === 'mlkem768' ? 3 : 4));
    }
  }
  return { group, keyExchange: concat(bytes) };
}

/** A key share for `group`, or null when none can be made here (GOST curves, ...). */
export function makeKeyShare(group: number): KeyShareEntry | null {
  if (!cache.has(group)) cache.set(group, generate(group));
  return cache.get(group) ?? null;
}
