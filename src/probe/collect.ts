/**
 * What the accepted probes reveal besides the chosen suite or group: certificate chains,
 * DHE parameters, the first ECDHE curve, extended master secret, secure renegotiation,
 * ALPN and certificate requests. Every accepted TLS <= 1.2 outcome is passed through one
 * Collector per endpoint, so these facts cost no extra connection.
 */
import { cipherSuiteById } from '../registry/cipherSuites.js';
import { checkPrimeSync } from 'node:crypto';
import { ffdheGroupForPrime } from '../registry/groups.js';
import { modpGroupForPrime } from '../registry/modp.js';
import { WireVersion } from '../registry/versions.js';
import type { ProbeOutcome } from './probe.js';
import type { Flight13 } from './flight13.js';
import type { CertificateInfo, DhParameters, ProtocolName, Tri } from '../model/scan.js';
import { CURVE_GROUP, certificateFingerprint, describeCertificate } from './certificate.js';

type Hello = Extract<ProbeOutcome, { kind: 'hello' }>;

const ORDER: readonly ProtocolName[] = ['SSLv2', 'SSLv3', 'TLSv1.0', 'TLSv1.1', 'TLSv1.2', 'TLSv1.3'];

export class Collector {
  /** Chains by leaf fingerprint: the DER list and the highest protocol it was seen with. */
  readonly chains = new Map<string, { protocol: ProtocolName; protocols: ProtocolName[]; der: Uint8Array[] }>();
  readonly dh = new Map<ProtocolName, DhParameters[]>();
  /** First ECDHE group each version's suite probes were given (the server's top choice). */
  readonly firstEcdheGroup = new Map<ProtocolName, number>();
  /** Curve of an ECDSA leaf seen with an ECDHE_ECDSA suite, as a group codepoint. */
  ecdsaCertificateGroup: number | null = null;
  emsSeen: Tri = null;
  secureRenegotiation: Tri = null;
  alpn: string | null = null;
  certificateRequested: Tri = null;
  readonly caNames: Uint8Array[] = [];
  /**
   * TLS 1.2 ServerKeyExchange signature schemes seen so far, by the suites' authentication type,
   * each with the leaf certificate's fingerprint: the signature-scheme step starts from them.
   */
  readonly tls12Signatures = new Map<string, Map<number, string | null>>();
  /**
   * Leaves described so far, by fingerprint: every accepted TLS <= 1.2 hello carries the same
   * chain, and parsing it (X509Certificate, the self-signature check) costs more than the probe.
   */
  readonly #leaves = new Map<string, CertificateInfo>();

  /** describeCertificate, once per distinct certificate of this endpoint. */
  describe(der: Uint8Array): CertificateInfo {
    const fingerprint = certificateFingerprint(der);
    let info = this.#leaves.get(fingerprint);
    if (info === undefined) {
      info = describeCertificate(der);
      this.#leaves.set(fingerprint, info);
    }
    return info;
  }

  /** Records a chain the server sent with `protocol`; the same leaf seen with several versions is kept once, with each version. */
  addChain(protocol: ProtocolName, der: Uint8Array[]): CertificateInfo {
    const leaf = this.describe(der[0]!);
    const known = this.chains.get(leaf.fingerprintSha256);
    if (!known) this.chains.set(leaf.fingerprintSha256, { protocol, protocols: [protocol], der });
    else {
      if (!known.protocols.includes(protocol)) known.protocols.push(protocol);
      if (ORDER.indexOf(protocol) > ORDER.indexOf(known.protocol)) known.protocol = protocol;
    }
    return leaf;
  }

  /** Records what a TLS 1.3 flight showed: its chain, and whether it asked for a client certificate. */
  addFlight13(flight: Flight13): void {
    if (flight.certificates.length > 0) this.addChain('TLSv1.3', flight.certificates);
    if (flight.certificateRequested) this.certificateRequested = true;
  }

  /** Records what one accepted TLS <= 1.2 outcome shows; `emsOffered` says whether the hello offered extended_master_secret. */
  add(protocol: ProtocolName, o: Hello, emsOffered: boolean): void {
    const sh = o.serverHello;
    if (sh.version >= WireVersion['TLSv1.3'] || sh.isHelloRetryRequest) return;
    const suite = cipherSuiteById(sh.cipherSuite);
    if (protocol === 'TLSv1.2' && emsOffered) this.emsSeen = this.emsSeen === true || sh.extendedMasterSecret;
    this.secureRenegotiation = this.secureRenegotiation === true || sh.secureRenegotiation;
    if (sh.alpn) this.alpn = sh.alpn;
    if (o.flightComplete) this.certificateRequested = this.certificateRequested === true || o.certificateRequest !== null;
    else if (o.certificateRequest) this.certificateRequested = true;
    if (o.certificateRequest && this.caNames.length === 0) this.caNames.push(...o.certificateRequest.caNames);
    if (o.certificates?.length) {
      const leaf = this.addChain(protocol, o.certificates);
      if (suite?.auth === 'ECDSA' && leaf.curve) this.ecdsaCertificateGroup = CURVE_GROUP[leaf.curve] ?? null;
    }
    const kx = o.keyExchange;
    if (protocol === 'TLSv1.2' && suite && kx?.signatureScheme != null) {
      const seen = this.tls12Signatures.get(suite.auth) ?? new Map<number, string | null>();
      if (!seen.has(kx.signatureScheme)) seen.set(kx.signatureScheme, o.certificates?.length ? certificateFingerprint(o.certificates[0]!) : null);
      this.tls12Signatures.set(suite.auth, seen);
    }
    if (kx?.kind === 'ecdhe' && kx.namedGroup !== null && !this.firstEcdheGroup.has(protocol)) this.firstEcdheGroup.set(protocol, kx.namedGroup);
    if (kx?.kind === 'dhe') {
      const list = this.dh.get(protocol) ?? [];
      const params = dhParameters(kx.prime, kx.primeBits);
      if (!list.some((d) => d.primeBits === params.primeBits && d.namedGroup === params.namedGroup && d.modpGroup === params.modpGroup)) list.push(params);
      this.dh.set(protocol, list);
    }
  }
}

/** Safe-prime answers by prime, per process: a server sends the same prime to every probe. */
const safePrimes = new Map<string, boolean>();

/**
 * What a DHE prime is: an RFC 7919 or RFC 3526 group, or a server's own prime, then checked for
 * being safe ((p-1)/2 prime, SP 800-56A Rev. 3 §5.5.1.1 asks safe primes of FFC groups).
 */
function dhParameters(prime: Uint8Array, primeBits: number): DhParameters {
  const namedGroup = ffdheGroupForPrime(prime);
  const modpGroup = namedGroup === null ? (modpGroupForPrime(prime)?.group ?? null) : null;
  if (namedGroup !== null || modpGroup !== null) return { primeBits, namedGroup, modpGroup, safePrime: null };
  const hex = Buffer.from(prime).toString('hex');
  let safe = safePrimes.get(hex);
  if (safe === undefined) {
    const p = BigInt(`0x${hex}`);
    safe = p % 2n === 1n && checkPrimeSync((p - 1n) / 2n);
    safePrimes.set(hex, safe);
  }
  return { primeBits, namedGroup, modpGroup, safePrime: safe };
}
