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
import { cipherSuiteById, suiteId } from '../registry/cipherSuites.js';
import { groupId } from '../registry/groups.js';
import { SIGNATURE_SCHEMES } from '../registry/signatureSchemes.js';
import type { Hello } from './answer.js';
import { certificateFingerprint } from './certificate.js';
import { eliminate } from './eliminate.js';
import type { LadderState, Rung } from './ladder.js';
import type { EndpointContext, HelloSpec } from './probe.js';
import type { Collector } from './collect.js';
import type { ProtocolResult, SignatureSchemeUse } from '../model/scan.js';
import { probeFlight13, type Flight13 } from './flight13.js';
import { makeKeyPair } from './keyPair.js';

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
      // JSSE takes the suite, sends its Certificate, then internal_error when no offered scheme fits its key.
      confirmByControl: true,
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
  return der === undefined ? null : certificateFingerprint(der);
}

// ---------------------------------------------------------------------------------------------
// TLS 1.3: CertificateVerify

/** What a TLS 1.3 CertificateVerify can be signed with (RFC 8446 §4.2.3: no PKCS#1 v1.5). */
const TLS13_SIGNERS = ['ecdsa', 'rsa_pss_rsae', 'rsa_pss_pss', 'ed25519', 'ed448', 'sm2', 'gostr34102012_256', 'gostr34102012_512', 'mldsa'];

/** Suites whose records can be opened here, in preference order. */
const OPENABLE_SUITES: readonly number[] = ['TLS_AES_128_GCM_SHA256', 'TLS_AES_256_GCM_SHA384', 'TLS_CHACHA20_POLY1305_SHA256', 'TLS_AES_128_CCM_SHA256', 'TLS_AES_128_CCM_8_SHA256'].map(suiteId);

/** Groups to complete a key exchange with, cheapest first. */
const KEY_EXCHANGE_PREFERENCE: readonly number[] = [
  'x25519',
  'secp256r1',
  'secp384r1',
  'secp521r1',
  'x448',
  'X25519MLKEM768',
  'SecP256r1MLKEM768',
  'SecP384r1MLKEM1024',
  'ffdhe2048',
  'ffdhe3072',
  'ffdhe4096',
  'ffdhe6144',
  'ffdhe8192',
].map(groupId);

/** Chains and CertificateRequests the TLS 1.3 flights showed, for the collector. */
export type OnFlight = (flight: Flight13) => void;

/**
 * TLS 1.3 signature schemes by elimination over signature_algorithms, each hello a full server
 * flight read up to CertificateVerify (flight13.ts), with one accepted suite and one accepted
 * group a key exchange can be completed with here. Without either (a server that takes only
 * groups this Node cannot compute, like ML-KEM before Node 24), nothing is proven: inconclusive.
 */
export async function sweepSignatureSchemes13(ctx: EndpointContext, ladder: LadderState, result: ProtocolResult, onFlight: OnFlight): Promise<SignatureSchemeSweep> {
  // SHA-1 schemes are for certificates only in TLS 1.3 (RFC 8446 §4.2.3), never a CertificateVerify.
  const candidates = SIGNATURE_SCHEMES.filter((s) => s.versions.includes('TLSv1.3') && TLS13_SIGNERS.includes(s.signature) && s.hash !== 'sha1').map((s) => s.id);
  const suite = OPENABLE_SUITES.find((id) => result.suites.includes(id));
  const group = [...KEY_EXCHANGE_PREFERENCE, ...result.groups].find((g) => result.groups.includes(g) && makeKeyPair(g) !== null);
  if (suite === undefined || group === undefined) return { uses: [], inconclusive: candidates, complete: false, violations: [] };
  const leaves = new Map<number, string | null>();
  // Its own copy of the ladder: a full handshake that fails here says nothing about the shape of
  // the version's hellos, which the other steps already settled, so it neither climbs nor retries.
  const run = await eliminate(ctx, { ...ladder, workarounds: new Set() }, {
    protocol: 'TLSv1.3',
    noLadder: true,
    confirmByControl: true,
    candidates,
    spec: (offer, rung) => ({ protocol: 'TLSv1.3', suites: [suite], groups: [group], keyShares: [group], signatureSchemes: offer, small: rung.small, minimal: rung.minimal }),
    ask: (spec) => probeFlight13(ctx, spec, [group]),
    pick: (o) => o.flight13?.scheme ?? null,
    onPicked: (o) => {
      const flight = o.flight13!;
      onFlight(flight);
      const der = flight.certificates[0];
      leaves.set(flight.scheme!, der === undefined ? null : certificateFingerprint(der));
    },
  });
  return { uses: run.accepted.map((scheme) => ({ scheme, certificate: leaves.get(scheme) ?? null })), inconclusive: run.inconclusive, complete: run.complete, violations: run.violations };
}
