/**
 * Signature schemes for signature_algorithms and signature_algorithms_cert (RFC 8446 §4.2.3):
 * every scheme the IANA "TLS SignatureScheme" registry assigns, plus the TLS 1.2
 * SignatureAndHashAlgorithm pairs (RFC 5246 §7.4.1.4.1, RFC 9189) that the registry now
 * only reserves "for backward compatibility" but TLS 1.2 servers still sign with. The offer list
 * is ordered so that a server honouring client preference picks a modern scheme.
 */

import { idByName } from './lookup.js';
import type { ProtocolName } from './versions.js';

export interface SignatureScheme {
  readonly id: number;
  /** IANA name; sig_hash for the legacy TLS 1.2 pairs. */
  readonly name: string;
  /** 'md5', 'sha1', 'sha224', 'sha256', 'sha384', 'sha512', 'sm3', 'streebog256', 'streebog512', or 'intrinsic' where the scheme fixes its own hashing (EdDSA, ML-DSA, IBS, RFC 9189). */
  readonly hash: string;
  /** 'rsa_pkcs1', 'rsa_pss_rsae', 'rsa_pss_pss', 'ecdsa', 'ed25519', 'ed448', 'dsa', 'sm2', 'gostr34102012_256', 'gostr34102012_512', 'mldsa', 'eccsi', 'iso_ibs1', 'iso_ibs2', 'iso_chinese_ibs'. */
  readonly signature: string;
  readonly versions: readonly ProtocolName[];
  /** false for the legacy TLS 1.2 pairs the registry only reserves. */
  readonly iana_registered: boolean;
}

const TLS12: readonly ProtocolName[] = Object.freeze(['TLSv1.2']);
const TLS12_13: readonly ProtocolName[] = Object.freeze(['TLSv1.2', 'TLSv1.3']);
const TLS13: readonly ProtocolName[] = Object.freeze(['TLSv1.3']);

function scheme(id: number, name: string, hash: string, signature: string, versions: readonly ProtocolName[], registered = true): SignatureScheme {
  return Object.freeze({ id, name, hash, signature, versions, iana_registered: registered });
}

/** Every known signature scheme, sorted by codepoint. */
export const SIGNATURE_SCHEMES: readonly SignatureScheme[] = Object.freeze([
  scheme(0x0101, 'rsa_pkcs1_md5', 'md5', 'rsa_pkcs1', TLS12, false),
  scheme(0x0201, 'rsa_pkcs1_sha1', 'sha1', 'rsa_pkcs1', TLS12_13),
  scheme(0x0202, 'dsa_sha1', 'sha1', 'dsa', TLS12, false),
  scheme(0x0203, 'ecdsa_sha1', 'sha1', 'ecdsa', TLS12_13),
  scheme(0x0301, 'rsa_pkcs1_sha224', 'sha224', 'rsa_pkcs1', TLS12, false),
  scheme(0x0302, 'dsa_sha224', 'sha224', 'dsa', TLS12, false),
  scheme(0x0303, 'ecdsa_sha224', 'sha224', 'ecdsa', TLS12, false),
  scheme(0x0401, 'rsa_pkcs1_sha256', 'sha256', 'rsa_pkcs1', TLS12_13),
  scheme(0x0402, 'dsa_sha256', 'sha256', 'dsa', TLS12, false),
  scheme(0x0403, 'ecdsa_secp256r1_sha256', 'sha256', 'ecdsa', TLS12_13),
  // draft-davidben-tls13-pkcs1: PKCS#1 v1.5 in TLS 1.3 CertificateVerify, client certificates only.
  scheme(0x0420, 'rsa_pkcs1_sha256_legacy', 'sha256', 'rsa_pkcs1', TLS13),
  scheme(0x0501, 'rsa_pkcs1_sha384', 'sha384', 'rsa_pkcs1', TLS12_13),
  scheme(0x0502, 'dsa_sha384', 'sha384', 'dsa', TLS12, false),
  scheme(0x0503, 'ecdsa_secp384r1_sha384', 'sha384', 'ecdsa', TLS12_13),
  scheme(0x0520, 'rsa_pkcs1_sha384_legacy', 'sha384', 'rsa_pkcs1', TLS13),
  scheme(0x0601, 'rsa_pkcs1_sha512', 'sha512', 'rsa_pkcs1', TLS12_13),
  scheme(0x0602, 'dsa_sha512', 'sha512', 'dsa', TLS12, false),
  scheme(0x0603, 'ecdsa_secp521r1_sha512', 'sha512', 'ecdsa', TLS12_13),
  scheme(0x0620, 'rsa_pkcs1_sha512_legacy', 'sha512', 'rsa_pkcs1', TLS13),
  // draft-wang-tls-raw-public-key-with-ibc: identity-based signatures with raw public keys.
  scheme(0x0704, 'eccsi_sha256', 'sha256', 'eccsi', TLS13),
  scheme(0x0705, 'iso_ibs1', 'intrinsic', 'iso_ibs1', TLS13),
  scheme(0x0706, 'iso_ibs2', 'intrinsic', 'iso_ibs2', TLS13),
  scheme(0x0707, 'iso_chinese_ibs', 'intrinsic', 'iso_chinese_ibs', TLS13),
  scheme(0x0708, 'sm2sig_sm3', 'sm3', 'sm2', TLS13), // RFC 8998
  scheme(0x0709, 'gostr34102012_256a', 'streebog256', 'gostr34102012_256', TLS13), // RFC 9367
  scheme(0x070a, 'gostr34102012_256b', 'streebog256', 'gostr34102012_256', TLS13),
  scheme(0x070b, 'gostr34102012_256c', 'streebog256', 'gostr34102012_256', TLS13),
  scheme(0x070c, 'gostr34102012_256d', 'streebog256', 'gostr34102012_256', TLS13),
  scheme(0x070d, 'gostr34102012_512a', 'streebog512', 'gostr34102012_512', TLS13),
  scheme(0x070e, 'gostr34102012_512b', 'streebog512', 'gostr34102012_512', TLS13),
  scheme(0x070f, 'gostr34102012_512c', 'streebog512', 'gostr34102012_512', TLS13),
  scheme(0x0804, 'rsa_pss_rsae_sha256', 'sha256', 'rsa_pss_rsae', TLS12_13),
  scheme(0x0805, 'rsa_pss_rsae_sha384', 'sha384', 'rsa_pss_rsae', TLS12_13),
  scheme(0x0806, 'rsa_pss_rsae_sha512', 'sha512', 'rsa_pss_rsae', TLS12_13),
  scheme(0x0807, 'ed25519', 'intrinsic', 'ed25519', TLS12_13), // RFC 8422 §5.1.3 brings EdDSA to TLS 1.2
  scheme(0x0808, 'ed448', 'intrinsic', 'ed448', TLS12_13),
  scheme(0x0809, 'rsa_pss_pss_sha256', 'sha256', 'rsa_pss_pss', TLS12_13),
  scheme(0x080a, 'rsa_pss_pss_sha384', 'sha384', 'rsa_pss_pss', TLS12_13),
  scheme(0x080b, 'rsa_pss_pss_sha512', 'sha512', 'rsa_pss_pss', TLS12_13),
  scheme(0x081a, 'ecdsa_brainpoolP256r1tls13_sha256', 'sha256', 'ecdsa', TLS13), // RFC 8734
  scheme(0x081b, 'ecdsa_brainpoolP384r1tls13_sha384', 'sha384', 'ecdsa', TLS13),
  scheme(0x081c, 'ecdsa_brainpoolP512r1tls13_sha512', 'sha512', 'ecdsa', TLS13),
  // RFC 9189: GOST signatures in TLS 1.2, hash "intrinsic" (8); now reserved in the registry.
  scheme(0x0840, 'gostr34102012_256', 'intrinsic', 'gostr34102012_256', TLS12, false),
  scheme(0x0841, 'gostr34102012_512', 'intrinsic', 'gostr34102012_512', TLS12, false),
  scheme(0x0904, 'mldsa44', 'intrinsic', 'mldsa', TLS13), // draft-ietf-tls-mldsa
  scheme(0x0905, 'mldsa65', 'intrinsic', 'mldsa', TLS13),
  scheme(0x0906, 'mldsa87', 'intrinsic', 'mldsa', TLS13),
]);

const BY_ID: ReadonlyMap<number, SignatureScheme> = new Map(SIGNATURE_SCHEMES.map((s) => [s.id, s]));

/** The signature scheme with this codepoint, or undefined. */
export function signatureSchemeById(id: number): SignatureScheme | undefined {
  return BY_ID.get(id);
}

/** The codepoint of the scheme with this IANA name (`ecdsa_secp256r1_sha256`); an unknown name is a programming error. */
export const signatureSchemeId: (name: string) => number = idByName(SIGNATURE_SCHEMES, (s) => s.name, 'signature scheme');

/** Offer order: ECDSA and RSA-PSS first, then EdDSA, PKCS#1, SHA-224, SHA-1, DSA, MD5, the rest. */
const OFFER_ORDER: readonly number[] = [
  0x0403, 0x0503, 0x0603, 0x0804, 0x0805, 0x0806, 0x0807, 0x0808, 0x0809, 0x080a, 0x080b,
  0x0401, 0x0501, 0x0601, 0x0303, 0x0301, 0x0203, 0x0201, 0x0402, 0x0502, 0x0602, 0x0302,
  0x0202, 0x0101, 0x0904, 0x0905, 0x0906, 0x081a, 0x081b, 0x081c, 0x0708, 0x0709, 0x070a,
  0x070b, 0x070c, 0x070d, 0x070e, 0x070f, 0x0840, 0x0841, 0x0420, 0x0520, 0x0620, 0x0704,
  0x0705, 0x0706, 0x0707,
];

/**
 * Every known scheme, in the order a scanner's ClientHello offers them: a server that follows
 * the client's order signs with the strongest scheme it has, and one that can only do SHA-1,
 * DSA or a national scheme still finds it offered.
 */
export const OFFERED_SIGNATURE_SCHEMES: readonly SignatureScheme[] = Object.freeze(
  OFFER_ORDER.map((id) => {
    const s = BY_ID.get(id);
    if (!s) throw new Error(`offer order names unknown signature scheme 0x${id.toString(16)}`);
    return s;
  }),
);
