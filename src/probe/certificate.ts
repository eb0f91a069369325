/**
 * Certificate facts a FIPS verdict needs (key type and size, curve, signature algorithm and
 * hash, validity, names), from DER via node:crypto's X509Certificate plus our own reading of
 * the signature algorithm, which Node 20 does not expose. A certificate Node cannot parse is
 * still reported, as 'unknown', rather than dropped.
 */
import { X509Certificate, createHash, type KeyObject } from 'node:crypto';
import { SIGNATURE_OIDS, certificatePssHash, certificateSignatureOid, decodeDistinguishedName } from '../wire/asn1.js';
import type { CertificateInfo } from '../model/scan.js';

const CURVE_NAMES: Readonly<Record<string, { name: string; bits: number }>> = {
  prime256v1: { name: 'P-256', bits: 256 },
  secp384r1: { name: 'P-384', bits: 384 },
  secp521r1: { name: 'P-521', bits: 521 },
  secp224r1: { name: 'P-224', bits: 224 },
  prime192v1: { name: 'P-192', bits: 192 },
  secp256k1: { name: 'secp256k1', bits: 256 },
  brainpoolP256r1: { name: 'brainpoolP256r1', bits: 256 },
  brainpoolP384r1: { name: 'brainpoolP384r1', bits: 384 },
  brainpoolP512r1: { name: 'brainpoolP512r1', bits: 512 },
};

/** The TLS group codepoint of a certificate curve (for keeping it in TLS 1.2 group probes). */
export const CURVE_GROUP: Readonly<Record<string, number>> = { 'P-256': 23, 'P-384': 24, 'P-521': 25, 'P-224': 21, secp256k1: 22, brainpoolP256r1: 26, brainpoolP384r1: 27, brainpoolP512r1: 28 };

export function describeCertificate(der: Uint8Array): CertificateInfo {
  const fingerprintSha256 = createHash('sha256').update(der).digest('hex');
  let signatureAlgorithm = 'unknown';
  let signatureHash: string | null = null;
  try {
    const oid = certificateSignatureOid(der);
    const known = SIGNATURE_OIDS[oid];
    signatureAlgorithm = known?.name ?? oid;
    signatureHash = known?.hash ?? null;
    if (oid === '1.2.840.113549.1.1.10') signatureHash = certificatePssHash(der);
  } catch {
    // Reported as 'unknown' below; a malformed certificate is a finding, not a crash.
  }
  const unknown: CertificateInfo = { subject: '', issuer: '', subjectAltNames: [], notBefore: '', notAfter: '', keyType: 'unknown', keyBits: 0, curve: null, signatureAlgorithm, signatureHash, fingerprintSha256, selfSigned: false };
  let x509: X509Certificate;
  try {
    x509 = new X509Certificate(der);
  } catch {
    return unknown;
  }
  const names = { subject: safe(() => x509.subject.replace(/\n/g, ', '), ''), issuer: safe(() => x509.issuer.replace(/\n/g, ', '), '') };
  let key: KeyObject;
  try {
    // OpenSSL cannot load keys of algorithms it does not know: the certificate is still reported.
    key = x509.publicKey;
  } catch {
    return { ...unknown, ...names, subjectAltNames: sans(x509), notBefore: isoDate(x509.validFrom), notAfter: isoDate(x509.validTo) };
  }
  const details = key.asymmetricKeyDetails ?? {};
  let keyType = 'unknown';
  let keyBits = 0;
  let curve: string | null = null;
  switch (key.asymmetricKeyType) {
    case 'rsa':
    case 'rsa-pss':
      keyType = key.asymmetricKeyType === 'rsa' ? 'RSA' : 'RSA-PSS';
      keyBits = details.modulusLength ?? 0;
      break;
    case 'dsa':
      keyType = 'DSA';
      keyBits = details.modulusLength ?? 0;
      break;
    case 'ec': {
      keyType = 'EC';
      const c = CURVE_NAMES[details.namedCurve ?? ''];
      curve = c?.name ?? details.namedCurve ?? null;
      keyBits = c?.bits ?? 0;
      break;
    }
    case 'ed25519':
      keyType = 'Ed25519';
      keyBits = 255;
      break;
    case 'ed448':
      keyType = 'Ed448';
      keyBits = 448;
      break;
    default:
      keyType = key.asymmetricKeyType ?? 'unknown';
  }
  return {
    ...names,
    subjectAltNames: sans(x509),
    notBefore: isoDate(x509.validFrom),
    notAfter: isoDate(x509.validTo),
    keyType,
    keyBits,
    curve,
    signatureAlgorithm,
    signatureHash,
    fingerprintSha256,
    selfSigned: names.subject === names.issuer && safeVerify(x509),
  };
}

function safe<T>(fn: () => T, fallback: T): T {
  try {
    return fn();
  } catch {
    return fallback;
  }
}

function sans(x509: X509Certificate): string[] {
  return safe(() => (x509.subjectAltName ?? '').split(', ').filter((s) => s.length > 0), []);
}

/** ISO 8601 for a date Node could parse; the raw text otherwise (a finding, not a crash). */
function isoDate(text: string): string {
  const d = new Date(text);
  return Number.isNaN(d.getTime()) ? text : d.toISOString();
}

function safeVerify(x509: X509Certificate): boolean {
  try {
    return x509.verify(x509.publicKey);
  } catch {
    return false;
  }
}

/** A CertificateRequest CA name as one readable line; a name that does not decode is shown as hex. */
export function caNameText(der: Uint8Array): string {
  try {
    return decodeDistinguishedName(der);
  } catch {
    return `#${Buffer.from(der).toString('hex')}`;
  }
}
