/**
 * Certificate facts a FIPS verdict needs (key type and size, curve, signature algorithm and
 * hash, validity, names), from DER via node:crypto's X509Certificate plus our own reading of
 * the signature algorithm, which Node 20 does not expose. A certificate Node cannot parse is
 * still reported, as 'unknown', rather than dropped.
 */
import { X509Certificate, createHash, type KeyObject } from 'node:crypto';
import { SIGNATURE_OIDS, certificatePssHash, certificateSignatureOid, decodeDistinguishedName } from '../wire/asn1.js';
import { groupId } from '../registry/groups.js';
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
export const CURVE_GROUP: Readonly<Record<string, number>> = Object.freeze({
  'P-256': groupId('secp256r1'),
  'P-384': groupId('secp384r1'),
  'P-521': groupId('secp521r1'),
  'P-224': groupId('secp224r1'),
  secp256k1: groupId('secp256k1'),
  brainpoolP256r1: groupId('brainpoolP256r1'),
  brainpoolP384r1: groupId('brainpoolP384r1'),
  brainpoolP512r1: groupId('brainpoolP512r1'),
});

/** The OID of RSASSA-PSS (RFC 4055 §3.1), whose hash is in the algorithm's parameters. */
const RSASSA_PSS_OID = '1.2.840.113549.1.1.10';

/** The certificate's signature algorithm and hash, read from the DER ('unknown' when it cannot be read). */
function signatureOf(der: Uint8Array): { signatureAlgorithm: string; signatureHash: string | null } {
  const found: { signatureAlgorithm: string; signatureHash: string | null } = { signatureAlgorithm: 'unknown', signatureHash: null };
  try {
    const oid = certificateSignatureOid(der);
    const known = SIGNATURE_OIDS[oid];
    found.signatureAlgorithm = known?.name ?? oid;
    found.signatureHash = known?.hash ?? null;
    if (oid === RSASSA_PSS_OID) found.signatureHash = certificatePssHash(der);
  } catch {
    // What could be read is kept; a malformed certificate is a finding, not a crash.
  }
  return found;
}

/** The public key's type, size and curve as a FIPS verdict names them. */
function keyOf(key: KeyObject): Pick<CertificateInfo, 'keyType' | 'keyBits' | 'curve'> {
  const details = key.asymmetricKeyDetails ?? {};
  switch (key.asymmetricKeyType) {
    case 'rsa':
      return { keyType: 'RSA', keyBits: details.modulusLength ?? 0, curve: null };
    case 'rsa-pss':
      return { keyType: 'RSA-PSS', keyBits: details.modulusLength ?? 0, curve: null };
    case 'dsa':
      return { keyType: 'DSA', keyBits: details.modulusLength ?? 0, curve: null };
    case 'ec': {
      const c = CURVE_NAMES[details.namedCurve ?? ''];
      return { keyType: 'EC', keyBits: c?.bits ?? 0, curve: c?.name ?? details.namedCurve ?? null };
    }
    case 'ed25519':
      return { keyType: 'Ed25519', keyBits: 255, curve: null };
    case 'ed448':
      return { keyType: 'Ed448', keyBits: 448, curve: null };
    default:
      return { keyType: key.asymmetricKeyType ?? 'unknown', keyBits: 0, curve: null };
  }
}

/** The SHA-256 fingerprint of a DER certificate, lowercase hex: how a chain's leaf is named. */
export function certificateFingerprint(der: Uint8Array): string {
  return createHash('sha256').update(der).digest('hex');
}

/** Describes one DER certificate; one Node cannot parse is reported with what could be read. */
export function describeCertificate(der: Uint8Array): CertificateInfo {
  const fingerprintSha256 = certificateFingerprint(der);
  const unknown: CertificateInfo = { subject: '', issuer: '', subjectAltNames: [], notBefore: '', notAfter: '', keyType: 'unknown', keyBits: 0, curve: null, ...signatureOf(der), fingerprintSha256, selfSigned: false };
  let x509: X509Certificate;
  try {
    x509 = new X509Certificate(der);
  } catch {
    return unknown;
  }
  const names = { subject: safe(() => x509.subject.replace(/\n/g, ', '), ''), issuer: safe(() => x509.issuer.replace(/\n/g, ', '), '') };
  const described = { ...unknown, ...names, subjectAltNames: sans(x509), notBefore: isoDate(x509.validFrom), notAfter: isoDate(x509.validTo) };
  let key: KeyObject;
  try {
    // OpenSSL cannot load keys of algorithms it does not know: the certificate is still reported.
    key = x509.publicKey;
  } catch {
    return described;
  }
  return { ...described, ...keyOf(key), selfSigned: names.subject === names.issuer && safeVerify(x509) };
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
