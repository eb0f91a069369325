/**
 * TLS 1.3 key shares whose private half is kept, for a probe that decrypts the server's flight:
 * the share goes into the ClientHello, and `secret` turns the server's share into the (EC)DHE
 * shared secret of RFC 8446 §7.4. keyShares.ts makes throwaway shares for probes that stop at the
 * ServerHello; these are made fresh for every call and never cached, since a private key that
 * outlives its probe is one more secret to keep. x25519, x448, secp256r1/384/521 and the RFC 7919
 * groups; no ML-KEM (the flight reader is not needed for post-quantum groups yet).
 */
import { createECDH, createPublicKey, diffieHellman, generateKeyPairSync, randomBytes, type KeyObject } from 'node:crypto';
import { groupById } from '../registry/groups.js';
import type { KeyShareEntry } from '../wire/clientHello.js';
import { ProbeError } from './errors.js';

export interface KeyPair {
  /** The KeyShareEntry to put in the ClientHello. */
  share: KeyShareEntry;
  /** The shared secret with the server's share; EBAD_KEY_SHARE when the share is not a valid one of this group. */
  secret(serverShare: KeyShareEntry): Uint8Array;
}

/** A fresh key pair for `group`, or null when none can be made here (ML-KEM, GOST, brainpool for TLS 1.2 only, ...). */
export function makeKeyPair(group: number): KeyPair | null {
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
export function modPow(base: bigint, exponent: bigint, modulus: bigint): bigint {
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
