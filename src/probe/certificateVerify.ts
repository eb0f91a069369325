/**
 * Checks a TLS 1.3 server's CertificateVerify signature against its leaf certificate's public key
 * (RFC 8446 §4.4.3), with node:crypto. The scheme decides the padding and hash (§4.2.3): RSASSA-PSS
 * with a salt as long as the digest for rsa_pss_rsae_* (rsaEncryption key) and rsa_pss_pss_*
 * (RSASSA-PSS key), ECDSA on the curve the scheme names, pure EdDSA. The answer is three-valued:
 * true or false when the scheme is one node:crypto can check, null when it is not (ML-DSA, SM2,
 * GOST, an unassigned codepoint) or the certificate's key cannot be read.
 */
import { X509Certificate, constants, verify, type KeyObject } from 'node:crypto';
import { NAMED_GROUPS } from '../registry/groups.js';
import { signatureSchemeById, type SignatureScheme } from '../registry/signatureSchemes.js';
import { serverCertificateVerifyContent } from '../wire/tls13Messages.js';

/** The key type (KeyObject.asymmetricKeyType) each checkable signature family needs. */
const KEY_TYPES: Readonly<Record<string, string>> = {
  rsa_pkcs1: 'rsa',
  rsa_pss_rsae: 'rsa',
  rsa_pss_pss: 'rsa-pss',
  ecdsa: 'ec',
  ed25519: 'ed25519',
  ed448: 'ed448',
};

/** Whether `signature` by the leaf's key over the transcript verifies under `scheme`; null when that cannot be checked here. */
export function verifyServerSignature(leafDer: Uint8Array, scheme: number, signature: Uint8Array, transcriptHash: Uint8Array): boolean | null {
  const s = signatureSchemeById(scheme);
  const keyType = s ? KEY_TYPES[s.signature] : undefined;
  if (!s || !keyType) return null;
  const key = leafPublicKey(leafDer);
  if (!key) return null;
  if (key.asymmetricKeyType !== keyType || !curveMatches(s, key)) return false;
  const pss = s.signature === 'rsa_pss_rsae' || s.signature === 'rsa_pss_pss';
  const algorithm = s.hash === 'intrinsic' ? null : s.hash;
  try {
    return verify(
      algorithm,
      serverCertificateVerifyContent(transcriptHash),
      pss ? { key, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: constants.RSA_PSS_SALTLEN_DIGEST } : { key },
      signature,
    );
  } catch {
    // A signature that is not even well-formed (bad DER for ECDSA, wrong length) does not verify.
    return false;
  }
}

/**
 * Leaf keys read lately, by the certificate's bytes: every flight of an endpoint carries the same
 * leaf, and parsing it costs more than checking the signature. A few endpoints' worth are kept
 * (a fleet scans several at once); public keys only.
 */
const recentKeys = new Map<string, KeyObject | null>();
const RECENT_KEYS = 32;

function leafPublicKey(der: Uint8Array): KeyObject | null {
  const id = Buffer.from(der.buffer, der.byteOffset, der.byteLength).toString('latin1');
  if (recentKeys.has(id)) return recentKeys.get(id) ?? null;
  let key: KeyObject | null;
  try {
    key = new X509Certificate(der).publicKey;
  } catch {
    key = null;
  }
  if (recentKeys.size >= RECENT_KEYS) recentKeys.delete(recentKeys.keys().next().value!);
  recentKeys.set(id, key);
  return key;
}

/**
 * TLS 1.3 ECDSA schemes name their curve (RFC 8446 §4.2.3): the part between "ecdsa_" and the
 * hash is the group's IANA name (secp256r1, brainpoolP256r1tls13), whose registry entry gives
 * OpenSSL's name for it. ecdsa_sha1 names no curve and takes any.
 */
function curveMatches(s: SignatureScheme, key: KeyObject): boolean {
  if (s.signature !== 'ecdsa') return true;
  const named = NAMED_GROUPS.find((g) => g.name === s.name.split('_')[1]);
  if (!named?.keyShare?.curve) return true;
  return key.asymmetricKeyDetails?.namedCurve === named.keyShare.curve;
}
