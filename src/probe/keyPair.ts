/**
 * TLS 1.3 key shares whose private half is kept, for a probe that decrypts the server's flight:
 * the share goes into the ClientHello, and `secret` turns the server's share into the (EC)DHE
 * shared secret of RFC 8446 §7.4. keyShares.ts makes throwaway shares for probes that stop at the
 * ServerHello; these are made fresh for every call and never cached, since a private key that
 * outlives its probe is one more secret to keep. x25519, x448, secp256r1/384/521, the RFC 7919
 * groups and, where node:crypto has ML-KEM (Node 24: generateKeyPair('ml-kem-768'), decapsulate),
 * ML-KEM-512/768/1024 and the draft-ietf-tls-ecdhe-mlkem hybrids.
 */
import * as cryptoModule from 'node:crypto';
import { createECDH, createPublicKey, diffieHellman, generateKeyPairSync, randomBytes, type KeyObject } from 'node:crypto';
import { concat } from '../wire/bytes.js';
import { groupById, groupId } from '../registry/groups.js';
import type { KeyShareEntry } from '../wire/clientHello.js';
import { ProbeError } from './errors.js';

export interface KeyPair {
  /** The KeyShareEntry to put in the ClientHello. */
  share: KeyShareEntry;
  /** The shared secret with the server's share; EBAD_KEY_SHARE when the share is not a valid one of this group. */
  secret(serverShare: KeyShareEntry): Uint8Array;
}

/** A fresh key pair for `group`, or null when none can be made here (GOST, ML-KEM before Node 24, ...). */
export function makeKeyPair(group: number): KeyPair | null {
  const hybrid = HYBRIDS.get(group);
  if (hybrid !== undefined) return mlkemAvailable() ? hybridKeyPair(group, hybrid) : null;
  const named = groupById(group);
  const recipe = named?.keyShare;
  if (!recipe || !named.versions.includes('TLSv1.3')) return null;
  let pair: Omit<KeyPair, 'secret'> & { secret(serverShare: Uint8Array): Uint8Array };
  if (recipe.okp) pair = okpKeyPair(group, recipe.okp);
  else if (recipe.curve) pair = ecKeyPair(group, recipe.curve);
  else if (recipe.ffdhePrime) pair = ffdheKeyPair(group, recipe.ffdhePrime);
  else return null;
  return {
    share: pair.share,
    secret(serverShare) {
      if (serverShare.group !== group) throw badShare(group, `the server's share is for group 0x${serverShare.group.toString(16)}`);
      return pair.secret(serverShare.keyExchange);
    },
  };
}

function badShare(group: number, why: string, cause?: unknown): ProbeError {
  return new ProbeError('EBAD_KEY_SHARE', `group 0x${group.toString(16).padStart(4, '0')}: ${why}`, { cause });
}

/** RFC 8446 §4.2.8.2 and RFC 7748 §6: the raw 32- or 56-byte public key; an all-zero secret is refused (§7.4.2). */
function okpKeyPair(group: number, curve: 'x25519' | 'x448') {
  const size = curve === 'x25519' ? 32 : 56;
  const { publicKey, privateKey } = curve === 'x25519' ? generateKeyPairSync('x25519') : generateKeyPairSync('x448');
  const spki = publicKey.export({ format: 'der', type: 'spki' });
  return {
    share: { group, keyExchange: new Uint8Array(spki.subarray(spki.length - size)) },
    secret(serverShare: Uint8Array): Uint8Array {
      if (serverShare.length !== size) throw badShare(group, `a ${curve} share has ${size} bytes, the server sent ${serverShare.length}`);
      const peer = createPublicKey({ key: { kty: 'OKP', crv: curve === 'x25519' ? 'X25519' : 'X448', x: Buffer.from(serverShare).toString('base64url') }, format: 'jwk' });
      const secret = okpAgree(group, privateKey, peer);
      if (secret.every((b) => b === 0)) throw badShare(group, 'the shared secret is all zeros (a small-order point)');
      return secret;
    },
  };
}

function okpAgree(group: number, privateKey: KeyObject, publicKey: KeyObject): Uint8Array {
  try {
    return new Uint8Array(diffieHellman({ privateKey, publicKey }));
  } catch (err) {
    // OpenSSL itself refuses a small-order point, before our all-zero check would.
    throw badShare(group, `no shared secret: ${(err as Error).message}`, err);
  }
}

/** RFC 8446 §4.2.8.2: an uncompressed point; the secret is the x-coordinate, as long as the field (§7.4.2). */
function ecKeyPair(group: number, curve: string) {
  const ecdh = createECDH(curve);
  const share = new Uint8Array(ecdh.generateKeys());
  return {
    share: { group, keyExchange: share },
    secret(serverShare: Uint8Array): Uint8Array {
      if (serverShare.length !== share.length || serverShare[0] !== 0x04) {
        throw badShare(group, `expected an uncompressed point of ${share.length} bytes, got ${serverShare.length} starting 0x${(serverShare[0] ?? 0).toString(16)}`);
      }
      try {
        return new Uint8Array(ecdh.computeSecret(serverShare));
      } catch (err) {
        throw badShare(group, `the point is not on ${curve}`, err);
      }
    },
  };
}

/**
 * RFC 7919 groups (generator 2): Y = 2^x mod p with a random 512-bit x, and Z = Ys^x mod p,
 * both left-padded to the prime's length (RFC 8446 §4.2.8.1, §7.4.1). BigInt rather than
 * crypto.createDiffieHellman, which on OpenSSL 3.5 checks the prime first (seconds; see keyShares.ts).
 */
function ffdheKeyPair(group: number, primeHex: string) {
  const p = BigInt(`0x${primeHex}`);
  const size = primeHex.length / 2;
  const x = BigInt(`0x${randomBytes(64).toString('hex')}`) | 2n;
  return {
    share: { group, keyExchange: toFixedBytes(modPow(2n, x, p), size) },
    secret(serverShare: Uint8Array): Uint8Array {
      if (serverShare.length !== size) throw badShare(group, `a share is the prime's ${size} bytes, the server sent ${serverShare.length}`);
      const ys = BigInt(`0x${Buffer.from(serverShare).toString('hex')}`);
      // RFC 7919 §5.1: 1 < Ys < p - 1, else the secret is 0, 1 or ±1 and worth nothing.
      if (ys <= 1n || ys >= p - 1n) throw badShare(group, 'the server\'s value is not in 2..p-2');
      return toFixedBytes(modPow(ys, x, p), size);
    },
  };
}

/** base^exponent mod modulus, square-and-multiply. */
function modPow(base: bigint, exponent: bigint, modulus: bigint): bigint {
  let result = 1n;
  let b = base % modulus;
  for (let e = exponent; e > 0n; e >>= 1n) {
    if (e & 1n) result = (result * b) % modulus;
    b = (b * b) % modulus;
  }
  return result;
}

function toFixedBytes(n: bigint, size: number): Uint8Array {
  return new Uint8Array(Buffer.from(n.toString(16).padStart(size * 2, '0'), 'hex'));
}

// ---------------------------------------------------------------------------------------------
// ML-KEM (FIPS 203) and the hybrids of draft-ietf-tls-ecdhe-mlkem

interface Hybrid {
  /** ML-KEM parameter set. */
  kem: 'ml-kem-512' | 'ml-kem-768' | 'ml-kem-1024';
  /** The classical half: an ECDH curve or x25519; none for plain ML-KEM. */
  classical: 'x25519' | 'prime256v1' | 'secp384r1' | null;
  /** Whether the ML-KEM half comes first in shares and secret (X25519MLKEM768 and plain ML-KEM), or the ECDH half. */
  kemFirst: boolean;
}

/** Codepoints (IANA) of the groups whose shares have an ML-KEM half, and their layout. */
const HYBRIDS: ReadonlyMap<number, Hybrid> = new Map([
  [groupId('MLKEM512'), { kem: 'ml-kem-512', classical: null, kemFirst: true }],
  [groupId('MLKEM768'), { kem: 'ml-kem-768', classical: null, kemFirst: true }],
  [groupId('MLKEM1024'), { kem: 'ml-kem-1024', classical: null, kemFirst: true }],
  [groupId('SecP256r1MLKEM768'), { kem: 'ml-kem-768', classical: 'prime256v1', kemFirst: false }],
  [groupId('X25519MLKEM768'), { kem: 'ml-kem-768', classical: 'x25519', kemFirst: true }],
  [groupId('SecP384r1MLKEM1024'), { kem: 'ml-kem-1024', classical: 'secp384r1', kemFirst: false }],
]);

/** FIPS 203 ciphertext sizes by parameter set. */
const CIPHERTEXT_BYTES = { 'ml-kem-512': 768, 'ml-kem-768': 1088, 'ml-kem-1024': 1568 } as const;

type MlkemCrypto = {
  generateKeyPairSync(type: string): { publicKey: KeyObject; privateKey: KeyObject };
  decapsulate(key: KeyObject, ciphertext: Uint8Array): Buffer;
};

/** node:crypto as seen where it has ML-KEM (Node 24). */
function mlkem(): MlkemCrypto {
  return cryptoModule as unknown as MlkemCrypto;
}

/** Whether this Node can make and open ML-KEM shares (node:crypto decapsulate, Node 24). */
export function mlkemAvailable(): boolean {
  return typeof (cryptoModule as unknown as { decapsulate?: unknown }).decapsulate === 'function';
}

/** The classical half of a hybrid, as a key pair of its own group (x25519 or a NIST curve). */
function classicalPair(h: Hybrid): ReturnType<typeof ecKeyPair> | null {
  if (h.classical === null) return null;
  return h.classical === 'x25519' ? okpKeyPair(groupId('x25519'), 'x25519') : ecKeyPair(groupId(h.classical === 'prime256v1' ? 'secp256r1' : 'secp384r1'), h.classical);
}

function hybridKeyPair(group: number, h: Hybrid): KeyPair {
  const { publicKey, privateKey } = mlkem().generateKeyPairSync(h.kem);
  const ek = new Uint8Array(publicKey.export({ format: 'raw-public' } as never) as unknown as Buffer);
  const ecdh = classicalPair(h);
  const ecdhShare = ecdh?.share.keyExchange ?? new Uint8Array(0);
  const ctBytes = CIPHERTEXT_BYTES[h.kem];
  const join = (kem: Uint8Array, classical: Uint8Array): Uint8Array => (h.kemFirst ? concat([kem, classical]) : concat([classical, kem]));
  return {
    share: { group, keyExchange: join(ek, ecdhShare) },
    secret(serverShare) {
      if (serverShare.group !== group) throw badShare(group, `the server's share is for group 0x${serverShare.group.toString(16)}`);
      const bytes = serverShare.keyExchange;
      if (bytes.length !== ctBytes + ecdhShare.length) throw badShare(group, `expected ${ctBytes + ecdhShare.length} bytes, the server sent ${bytes.length}`);
      const ct = h.kemFirst ? bytes.subarray(0, ctBytes) : bytes.subarray(ecdhShare.length);
      const theirs = h.kemFirst ? bytes.subarray(ctBytes) : bytes.subarray(0, ecdhShare.length);
      let kemSecret: Uint8Array;
      try {
        kemSecret = new Uint8Array(mlkem().decapsulate(privateKey, ct));
      } catch (err) {
        throw badShare(group, 'the ML-KEM ciphertext does not decapsulate', err);
      }
      return ecdh === null ? kemSecret : join(kemSecret, ecdh.secret(theirs));
    },
  };
}
