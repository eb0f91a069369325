/**
 * Which signature schemes a TLS 1.2 server signs its ServerKeyExchange with, per certificate it
 * serves, by elimination over signature_algorithms (RFC 5246 §7.4.1.4.1): the accepted (EC)DHE
 * suites of one authentication type, every scheme that type's key can sign with; the
 * ServerKeyExchange names the scheme taken, which leaves the list for the next hello, until the
 * server refuses (OpenSSL: handshake_failure when no offered scheme fits its key). Static RSA
 * suites sign nothing, so a server with no (EC)DHE suite signs with no scheme. The schemes the
 * suite and group steps' ServerKeyExchanges already showed are known; then one probe per scheme
 * taken and one refusal per certificate: an OpenSSL RSA server costs 7 (RSA-PSS and PKCS#1 with
 * SHA-256/384/512, and SHA-224 when asked, less the one already seen; SHA-1 is refused at its
 * security level 1).
 */
import { cipherSuiteById } from '../registry/cipherSuites.js';
import { SIGNATURE_SCHEMES } from '../registry/signatureSchemes.js';
import type { Hello } from './answer.js';
import { describeCertificate } from './certificate.js';
import { eliminate } from './eliminate.js';
import type { LadderState, Rung } from './ladder.js';
import type { EndpointContext, HelloSpec } from './probe.js';
import type { Collector } from './collect.js';
import type { ProtocolResult, SignatureSchemeUse } from './types.js';

/** The signature algorithms each TLS 1.2 authentication type's certificate can sign with (RFC 8422 §5.1.3 adds EdDSA to ECDSA suites). */
const SIGNERS: Readonly<Record<string, readonly string[]>> = {
  RSA: ['rsa_pkcs1', 'rsa_pss_rsae', 'rsa_pss_pss'],
  ECDSA: ['ecdsa', 'ed25519', 'ed448'],
  DSS: ['dsa'],
};

/** The TLS 1.2 schemes a key behind `auth` suites may sign with, strongest first as offered. */
function candidatesFor(auth: string): number[] {
  const signers = SIGNERS[auth] ?? [];
  return SIGNATURE_SCHEMES.filter((s) => s.versions.includes('TLSv1.2') && signers.includes(s.signature)).map((s) => s.id);
}

/** (EC)DHE suites: the ones whose ServerKeyExchange carries a signature. */
function signedSuite(id: number): boolean {
  const s = cipherSuiteById(id);
  return s !== undefined && (s.kx === 'ECDHE' || s.kx === 'DHE') && s.auth !== 'anon';
}

export interface SignatureSchemeSweep {
  uses: SignatureSchemeUse[];
  inconclusive: number[];
  complete: boolean;
  violations: string[];
}

/** Signature schemes of a TLS 1.2 server (see the module comment); `spec` shapes hellos as the version's other steps do. */
export async function sweepSignatureSchemes(
  ctx: EndpointContext,
  ladder: LadderState,
  result: ProtocolResult,
  spec: (suites: readonly number[], rung: Rung, extra?: Partial<HelloSpec>) => HelloSpec,
  collector: Collector,
): Promise<SignatureSchemeSweep> {
  const sweep: SignatureSchemeSweep = { uses: [], inconclusive: [], complete: true, violations: [] };
  const signed = result.suites.filter(signedSuite);
  for (const auth of [...new Set(signed.map((id) => cipherSuiteById(id)!.auth))]) {
    const suites = signed.filter((id) => cipherSuiteById(id)!.auth === auth);
    // The suite and group steps' ServerKeyExchanges already named a scheme or two: no probe for those.
    const leaves = new Map(collector.tls12Signatures.get(auth) ?? []);
    const known = [...leaves.keys()].filter((id) => candidatesFor(auth).includes(id));
    const run = await eliminate(ctx, ladder, {
      protocol: result.protocol,
      known,
      candidates: candidatesFor(auth).filter((id) => !known.includes(id)),
      spec: (offer, rung) => spec(suites, rung, { signatureSchemes: offer }),
      pick: (o) => (o.keyExchange?.signatureScheme ?? null),
      onPicked: (o) => leaves.set(o.keyExchange!.signatureScheme!, leafOf(o)),
    });
    for (const scheme of run.accepted) sweep.uses.push({ scheme, certificate: leaves.get(scheme) ?? null });
    sweep.inconclusive.push(...run.inconclusive);
    sweep.complete &&= run.complete;
    sweep.violations.push(...run.violations);
  }
  return sweep;
}

function leafOf(o: Hello): string | null {
  const der = o.certificates?.[0];
  return der === undefined ? null : describeCertificate(der).fingerprintSha256;
}
