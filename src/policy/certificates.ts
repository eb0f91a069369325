/**
 * Certificate rules: key type, size and curve for every certificate in scope, and the hash of
 * each signature that protects something. Key rules apply to roots too (Go+BoringCrypto checks
 * them, fips-policies.md §7.5); signature rules skip a self-signed root that is not the leaf,
 * because a root is trusted for being in the trust store, so its self-signature protects nothing.
 * A self-signed leaf is still judged, since nothing else vouches for it.
 */
import type { CertificateInfo, ProtocolName, ScanResult } from '../model/scan.js';
import type { Findings } from './findings.js';
import { canonicalHash, canonicalKeyType } from './names.js';

/** "leaf certificate CN=example.com" and friends. */
function certificateItem(cert: CertificateInfo, role: string): string {
  const name = cert.subject !== '' ? cert.subject : `sha256:${cert.fingerprintSha256.slice(0, 16)}`;
  return `${role} certificate ${name}`;
}

/** Judges every certificate the server sent, each once however many chains it appears in. */
export function checkCertificates(result: ScanResult, f: Findings): void {
  const chains = result.certificates.filter((c) => c.chain.length > 0);
  const handshakes = result.protocols.some((p) => p.protocol !== 'SSLv2' && p.offered === true);
  if (handshakes && chains.length === 0) {
    f.unproven(null, 'certificates', 'The scan got no certificate from the server, so the certificate rules could not be checked.', 'EUNPROVEN_CERTIFICATE');
    return;
  }
  const seen = new Set<string>();
  for (const { protocol, chain } of chains) {
    const inScope = f.policy.certificate.scope === 'leaf' ? chain.slice(0, 1) : chain;
    inScope.forEach((cert, position) => {
      if (seen.has(cert.fingerprintSha256)) return;
      seen.add(cert.fingerprintSha256);
      const role = position === 0 ? 'leaf' : cert.selfSigned ? 'root' : 'intermediate';
      const item = certificateItem(cert, role);
      checkCertificateKey(cert, protocol, item, f);
      if (role !== 'root') checkCertificateSignature(cert, protocol, item, f);
    });
  }
}

const MODULUS_KEYS: ReadonlySet<string> = new Set(['RSA', 'RSA-PSS', 'DSA']);

function checkCertificateKey(cert: CertificateInfo, protocol: ProtocolName, item: string, f: Findings): void {
  const { id, certificate: rules } = f.policy;
  const The = `The ${item}`;
  const keyType = canonicalKeyType(cert.keyType);
  if (keyType === undefined && cert.keyType === 'unknown') {
    f.unproven(protocol, item, `${The} has a key the scan could not read, so its type and size could not be checked.`, 'EUNPROVEN_CERTIFICATE');
  } else if (keyType === undefined || !rules.keyTypes.includes(keyType)) {
    f.violation('cert-key', protocol, item, `${The} has a ${cert.keyType} key: ${id} allows ${rules.keyTypes.join(', ')} keys only.`);
  } else if (MODULUS_KEYS.has(keyType)) {
    if (cert.keyBits <= 0) f.unproven(protocol, item, `${The} has a ${keyType} key of unknown size.`, 'EUNPROVEN_CERTIFICATE');
    else if (cert.keyBits < rules.rsaMinBits) {
      f.violation('cert-key', protocol, item, `${The} has a ${cert.keyBits}-bit ${keyType} key: ${id} requires at least ${rules.rsaMinBits} bits.`);
    }
  } else if (keyType === 'EC') {
    if (cert.curve === null) f.unproven(protocol, item, `${The} has an EC key on a curve the scan could not name.`, 'EUNPROVEN_CERTIFICATE');
    else if (!rules.ecCurves.includes(cert.curve)) {
      f.violation('cert-key', protocol, item, `${The} has an EC key on ${cert.curve}: ${id} allows ${rules.ecCurves.join(', ')} only.`);
    }
  }
}

function checkCertificateSignature(cert: CertificateInfo, protocol: ProtocolName, item: string, f: Findings): void {
  const { id, certificate: rules } = f.policy;
  const The = `The ${item}`;
  const algorithm = cert.signatureAlgorithm;
  if (cert.signatureHash === null) {
    // EdDSA and ML-DSA hash internally: the algorithm is judged as the key type that signed.
    const signer = canonicalKeyType(algorithm);
    if (signer === undefined) {
      f.unproven(protocol, item, `${The} is signed with ${algorithm}, whose hash the scan could not determine.`, 'EUNPROVEN_CERTIFICATE');
    } else if (!rules.keyTypes.includes(signer)) {
      f.violation('cert-signature', protocol, item, `${The} is signed with ${algorithm}: ${id} does not allow ${signer} signatures.`);
    }
    return;
  }
  const hash = canonicalHash(cert.signatureHash) ?? cert.signatureHash;
  if (rules.signatureHashes.includes(hash)) return;
  if (rules.signatureHashesWarn.includes(hash)) {
    f.warning('cert-signature', protocol, item, `${The} is signed with ${algorithm}: ${id} allows ${hash} signatures only with a warning.`);
  } else {
    const allowed = rules.signatureHashes.join(', ') || 'no hash';
    f.violation('cert-signature', protocol, item, `${The} is signed with ${algorithm}: ${id} requires ${allowed}.`);
  }
}
