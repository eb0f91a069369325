/**
 * Small factories for the renderer tests: a fixed test policy, scan results for the shapes a
 * report must handle (a compliant server, a service-mesh sidecar with Envoy's default lists, an
 * unreachable one, one the scan could not pin down, a hostile one), judged by the real
 * evaluator. Everything is deterministic: fixed dates, durations and fingerprints.
 */
import { evaluate } from '../../src/policy/evaluate.js';
import type { Policy } from '../../src/policy/types.js';
import type { CertificateChain, CertificateInfo, ProtocolName, ProtocolResult, ScanResult } from '../../src/model/scan.js';
import { RULE_IDS, type Evaluation } from '../../src/model/verdict.js';
import type { EndpointReport, RunReport } from '../../src/report/model.js';

/**
 * A policy of the report tests' own, so the goldens do not move when the built-in profiles'
 * data does: TLS 1.2/1.3, ECDHE/DHE AES-GCM (RSA key transport with a warning), NIST curves
 * and ffdhe, EMS required.
 */
export const POLICY: Policy = {
  id: 'test-fips',
  version: '1.0',
  title: 'Test FIPS policy: TLS 1.2/1.3, AES-GCM, NIST curves',
  basis: 'report tests',
  protocols: { SSLv2: 'deny', SSLv3: 'deny', 'TLSv1.0': 'deny', 'TLSv1.1': 'deny', 'TLSv1.2': 'allow', 'TLSv1.3': 'allow' },
  tls12Suites: { allow: [0xc02b, 0xc02c, 0xc02f, 0xc030, 0x009e, 0x009f], warn: [0x009c, 0x009d] },
  tls13Suites: { allow: [0x1301, 0x1302], warn: [] },
  groups: { allow: [0x0017, 0x0018, 0x0019, 0x0100, 0x0101, 0x0102], warn: [] },
  signatureSchemes: { allow: [0x0804, 0x0805, 0x0806, 0x0403, 0x0503], warn: [] },
  dhMinBits: 2048,
  dhNamedGroupsOnly: true,
  certificate: {
    rsaMinBits: 2048,
    ecCurves: ['P-256', 'P-384', 'P-521'],
    keyTypes: ['RSA', 'EC'],
    signatureHashes: ['SHA-256', 'SHA-384', 'SHA-512'],
    signatureHashesWarn: [],
    scope: 'chain',
  },
  require: { extendedMasterSecret: 'required', secureRenegotiation: true, tls13: false },
  ssh: null,
  sources: Object.fromEntries(RULE_IDS.map((rule) => [rule, `test source of ${rule}`])) as Policy['sources'],
};

export const STARTED_AT = '2025-06-01T12:00:00.000Z';

/** A 64-digit hex fingerprint made from one repeated byte: distinct, fixed, obviously fake. */
export function fingerprint(byte: number): string {
  return byte.toString(16).padStart(2, '0').repeat(32);
}

/** One protocol's result; by default refused, with nothing found. */
export function protocol(name: ProtocolName, fields: Partial<ProtocolResult> = {}): ProtocolResult {
  return {
    protocol: name,
    offered: false,
    reason: 'the server refused it with a protocol_version alert',
    reasonCode: 'REFUSED_ALERT',
    suites: [],
    suitesComplete: false,
    serverOrder: null,
    groups: [],
    groupsComplete: false,
    groupServerOrder: null,
    inconclusiveSuites: [],
    inconclusiveGroups: [],
    dhParameters: [],
    workarounds: [],
    ...fields,
  };
}

/** An accepted protocol: offered, lists complete unless said otherwise. */
export function offered(name: ProtocolName, fields: Partial<ProtocolResult>): ProtocolResult {
  return protocol(name, { offered: true, reason: null, reasonCode: null, suitesComplete: true, groupsComplete: true, ...fields });
}

export function certificate(fields: Partial<CertificateInfo> = {}): CertificateInfo {
  return {
    subject: 'CN=example',
    issuer: 'O=Example Corp, CN=Example Issuing CA',
    subjectAltNames: [],
    notBefore: '2025-03-01T00:00:00.000Z',
    notAfter: '2026-03-01T00:00:00.000Z',
    keyType: 'RSA',
    keyBits: 2048,
    curve: null,
    signatureAlgorithm: 'sha256WithRSAEncryption',
    signatureHash: 'SHA-256',
    fingerprintSha256: fingerprint(0x01),
    selfSigned: false,
    ...fields,
  };
}

const ISSUING_CA = certificate({
  subject: 'O=Example Corp, CN=Example Issuing CA',
  issuer: 'O=Example Corp, CN=Example Root CA',
  keyBits: 4096,
  signatureAlgorithm: 'sha384WithRSAEncryption',
  signatureHash: 'SHA-384',
  notBefore: '2024-01-01T00:00:00.000Z',
  notAfter: '2029-01-01T00:00:00.000Z',
  fingerprintSha256: fingerprint(0xca),
});

/** The same chain as seen over TLS 1.2 (our own probe) and TLS 1.3 (node:tls). */
function chains(chain: CertificateInfo[], protocols: ProtocolName[]): CertificateChain[] {
  return protocols.map((p) => ({ protocol: p, source: p === 'TLSv1.3' ? 'tls' : 'wire', chain }));
}

export function scanResult(fields: Partial<ScanResult> & Pick<ScanResult, 'target' | 'host' | 'port'>): ScanResult {
  return {
    address: null,
    sni: null,
    startedAt: STARTED_AT,
    durationMs: 0,
    probes: 0,
    error: null,
    protocols: (['SSLv2', 'SSLv3', 'TLSv1.0', 'TLSv1.1', 'TLSv1.2', 'TLSv1.3'] as const).map((p) => protocol(p)),
    certificates: [],
    features: { extendedMasterSecret: { supported: null, required: null }, secureRenegotiation: null, alpn: null, clientCertificateRequested: null },
    protocolViolations: [],
    ...fields,
  };
}

/** The six protocol results, refused unless given. */
function protocols(given: ProtocolResult[]): ProtocolResult[] {
  return (['SSLv2', 'SSLv3', 'TLSv1.0', 'TLSv1.1', 'TLSv1.2', 'TLSv1.3'] as const).map((name) => given.find((p) => p.protocol === name) ?? protocol(name));
}

/** A scan result judged by the real evaluator against POLICY. */
export function judged(result: ScanResult, policy: Policy = POLICY): EndpointReport {
  return { result, evaluation: evaluate(result, policy) };
}

/** TLS 1.2 and 1.3, AES-GCM only in server order, P-384/P-256, ffdhe3072, EMS required: PASS. */
export function strictEndpoint(): EndpointReport {
  const leaf = certificate({
    subject: 'O=Example Corp, CN=api.internal.example',
    subjectAltNames: ['DNS:api.internal.example', 'DNS:api', 'IP Address:10.0.0.5'],
    keyBits: 3072,
    fingerprintSha256: fingerprint(0xa1),
  });
  return judged(
    scanResult({
      target: 'api.internal.example:443',
      host: 'api.internal.example',
      port: 443,
      address: '10.0.0.5',
      sni: 'api.internal.example',
      durationMs: 812,
      probes: 41,
      protocols: protocols([
        offered('TLSv1.2', {
          suites: [0xc030, 0xc02f, 0x009f],
          serverOrder: true,
          groups: [0x0018, 0x0017],
          groupServerOrder: true,
          dhParameters: [{ primeBits: 3072, namedGroup: 0x0101 }],
        }),
        offered('TLSv1.3', { suites: [0x1302, 0x1301], serverOrder: true, groups: [0x0018, 0x0017], groupServerOrder: true }),
      ]),
      certificates: chains([leaf, ISSUING_CA], ['TLSv1.2', 'TLSv1.3']),
      features: {
        extendedMasterSecret: { supported: true, required: true },
        secureRenegotiation: true,
        alpn: 'h2',
        clientCertificateRequested: false,
        clientCertificateRequired: false,
        clientCertificateCAs: [],
      },
      negotiated: {
        protocol: 'TLSv1.3',
        suite: 0x1302,
        group: 0x0018,
        alpn: 'h2',
        identity: false,
        clientCertificateAccepted: null,
        serverChainVerified: null,
        serverChainError: null,
        error: null,
      },
    }),
  );
}

/**
 * An Istio/Envoy sidecar with Envoy's default lists: TLS 1.0 on, CBC and ChaCha20 suites,
 * X25519 first, client order, EMS not required, mTLS: FAIL.
 */
export function meshSidecarEndpoint(): EndpointReport {
  const workload = certificate({
    subject: '',
    issuer: 'O=cluster.local',
    subjectAltNames: ['URI:spiffe://cluster.local/ns/bookinfo/sa/bookinfo-reviews'],
    notBefore: '2025-06-01T10:00:00.000Z',
    notAfter: '2025-06-02T10:00:00.000Z',
    fingerprintSha256: fingerprint(0xb2),
  });
  const meshCa = certificate({ subject: 'O=cluster.local', issuer: 'O=cluster.local', selfSigned: true, fingerprintSha256: fingerprint(0xb3) });
  return judged(
    scanResult({
      target: 'reviews.bookinfo.svc.cluster.local:9080',
      host: 'reviews.bookinfo.svc.cluster.local',
      port: 9080,
      address: '10.244.1.17',
      sni: 'outbound_.9080_._.reviews.bookinfo.svc.cluster.local',
      durationMs: 2310,
      probes: 96,
      protocols: protocols([
        offered('TLSv1.0', { suites: [0xc013, 0xc014, 0x002f, 0x0035], serverOrder: false, groupsComplete: false }),
        offered('TLSv1.2', {
          suites: [0xc02f, 0xcca8, 0xc030, 0xc013, 0x009c, 0x002f, 0x009d, 0x0035],
          serverOrder: false,
          groups: [0x001d, 0x0017],
          groupServerOrder: false,
        }),
        offered('TLSv1.3', { suites: [0x1301, 0x1303, 0x1302], serverOrder: false, groups: [0x001d, 0x0017], groupServerOrder: false }),
      ]),
      certificates: chains([workload, meshCa], ['TLSv1.0', 'TLSv1.2', 'TLSv1.3']),
      features: {
        extendedMasterSecret: { supported: true, required: false },
        secureRenegotiation: true,
        alpn: 'h2',
        clientCertificateRequested: true,
        clientCertificateRequired: true,
        clientCertificateCAs: ['O=cluster.local'],
      },
      // Scanned with the workload's own identity (--spiffe): Envoy accepts it, X25519 is what a default client gets.
      negotiated: {
        protocol: 'TLSv1.3',
        suite: 0x1301,
        group: 0x001d,
        alpn: 'h2',
        identity: true,
        clientCertificateAccepted: true,
        serverChainVerified: true,
        serverChainError: null,
        error: null,
      },
    }),
  );
}

/** Nothing listens: ERROR, and no protocol could be probed. */
export function unreachableEndpoint(): EndpointReport {
  return judged(
    scanResult({
      target: 'payments.example:8443',
      host: 'payments.example',
      port: 8443,
      sni: 'payments.example',
      durationMs: 3,
      probes: 1,
      error: { code: 'ECONNREFUSED', message: 'connect to 10.0.0.9:8443 (payments.example) refused: nothing listens there' },
      protocols: (['SSLv2', 'SSLv3', 'TLSv1.0', 'TLSv1.1', 'TLSv1.2', 'TLSv1.3'] as const).map((p) =>
        protocol(p, { offered: null, reason: 'not probed: the endpoint could not be reached', reasonCode: null }),
      ),
    }),
  );
}

/**
 * A load balancer that drops some hellos: TLS 1.0 never answered, one denied suite and one
 * denied group neither confirmed nor refused, EMS enforcement unknown: ERROR (EINCONCLUSIVE).
 */
export function inconclusiveEndpoint(): EndpointReport {
  const leaf = certificate({
    subject: 'C=US, O=Example Corp, CN=legacy-lb.example',
    subjectAltNames: ['DNS:legacy-lb.example'],
    fingerprintSha256: fingerprint(0xc1),
  });
  return judged(
    scanResult({
      target: 'legacy-lb.example',
      host: 'legacy-lb.example',
      port: 443,
      address: '192.0.2.10',
      sni: 'legacy-lb.example',
      durationMs: 30000,
      probes: 230,
      protocols: protocols([
        protocol('TLSv1.0', { offered: null, reason: 'every ClientHello timed out without an answer (3 tries)', reasonCode: 'ENO_ANSWER' }),
        offered('TLSv1.2', {
          suites: [0xc030, 0xc02f],
          serverOrder: true,
          inconclusiveSuites: [0xc014],
          suitesComplete: false,
          groups: [0x0017],
          inconclusiveGroups: [0x001d],
          groupsComplete: false,
          workarounds: ['retry', 'max-64-suites'],
        }),
      ]),
      certificates: chains([leaf, ISSUING_CA], ['TLSv1.2']),
      features: { extendedMasterSecret: { supported: true, required: null }, secureRenegotiation: true, alpn: null, clientCertificateRequested: false },
    }),
  );
}

/** An old appliance with SSLv2 (24-bit cipher kinds) and SSLv3 only: FAIL. */
export function legacyEndpoint(): EndpointReport {
  const leaf = certificate({ subject: 'CN=old-appliance.example', keyBits: 1024, signatureAlgorithm: 'sha1WithRSAEncryption', signatureHash: 'SHA-1', selfSigned: true, fingerprintSha256: fingerprint(0xd1) });
  return judged(
    scanResult({
      target: 'old-appliance.example:443',
      host: 'old-appliance.example',
      port: 443,
      address: '192.0.2.20',
      sni: 'old-appliance.example',
      durationMs: 640,
      probes: 37,
      protocols: protocols([
        offered('SSLv2', { suites: [0x0700c0, 0x010080, 0x020080] }),
        offered('SSLv3', { suites: [0x000a, 0x0005, 0x0004], serverOrder: true }),
      ]),
      certificates: chains([leaf], ['SSLv3']),
      features: { extendedMasterSecret: { supported: false, required: false }, secureRenegotiation: false, alpn: null, clientCertificateRequested: false },
    }),
  );
}

/** What a hostile server can put in front of a terminal. */
export const HOSTILE = {
  subject: 'O=Evil, CN=evil.example\x1b[2J\x1b[H\x1b[32mPASS\x07\r\n  PASS  all good\x1b]0;pwned\x07\u202egnp.exe',
  san: 'DNS:evil.example\x1b[8m',
  alpn: 'h2\x1b[31m\x9b31m',
  errorMessage: 'expected a TLS record from 198.51.100.66:443, got "HTTP/1.1 400\r\n\x1b[0mFAKE\x1b[1A"',
} as const;

/** A server whose certificate and ALPN carry terminal escapes: FAIL on its 1024-bit key. */
export function hostileEndpoint(): EndpointReport {
  const leaf = certificate({
    subject: HOSTILE.subject,
    issuer: HOSTILE.subject,
    subjectAltNames: [HOSTILE.san],
    keyBits: 1024,
    selfSigned: true,
    fingerprintSha256: fingerprint(0xee),
  });
  return judged(
    scanResult({
      target: 'evil.example:443',
      host: 'evil.example',
      port: 443,
      address: '198.51.100.66',
      sni: 'evil.example',
      durationMs: 120,
      probes: 20,
      protocols: protocols([offered('TLSv1.2', { suites: [0xc02f], groups: [0x0017] })]),
      certificates: chains([leaf], ['TLSv1.2']),
      features: { extendedMasterSecret: { supported: true, required: true }, secureRenegotiation: true, alpn: HOSTILE.alpn, clientCertificateRequested: false },
    }),
  );
}

/** A server that answers in plain text with escapes in it: ERROR quoting the server. */
export function hostileErrorEndpoint(): EndpointReport {
  const result = scanResult({
    target: 'evil-http.example:443',
    host: 'evil-http.example',
    port: 443,
    address: '198.51.100.66',
    durationMs: 15,
    probes: 1,
    error: { code: 'ENOTTLS', message: HOSTILE.errorMessage },
    protocols: (['SSLv2', 'SSLv3', 'TLSv1.0', 'TLSv1.1', 'TLSv1.2', 'TLSv1.3'] as const).map((p) => protocol(p, { offered: null, reason: null, reasonCode: null })),
  });
  const evaluation: Evaluation = { verdict: 'error', error: result.error, violations: [], warnings: [], inconclusive: [] };
  return { result, evaluation };
}

/** A run over the given endpoints. */
export function run(endpoints: EndpointReport[], policy: Policy = POLICY): RunReport {
  return {
    tool: { name: 'fipscan', version: '0.1.0' },
    policy,
    startedAt: STARTED_AT,
    durationMs: endpoints.reduce((sum, e) => sum + e.result.durationMs, 0),
    endpoints,
  };
}

/** The four endpoints of the golden reports. */
export function goldenRun(): RunReport {
  return run([strictEndpoint(), meshSidecarEndpoint(), unreachableEndpoint(), inconclusiveEndpoint()]);
}
