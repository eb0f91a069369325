/**
 * Small factories for scan results the policy tests judge. `compliantResult()` is what a
 * fips-strict server looks like (TLS 1.2 and 1.3, ECDHE AES-GCM, P-256, RSA-2048 leaf signed
 * with SHA-256 under a self-signed CA, EMS and secure renegotiation); each test changes only
 * the part it is about.
 */
import type { CertificateInfo, ProtocolName, ProtocolResult, ScanResult } from '../../src/model/scan.js';

const ALL: readonly ProtocolName[] = ['SSLv2', 'SSLv3', 'TLSv1.0', 'TLSv1.1', 'TLSv1.2', 'TLSv1.3'];

/** A protocol the server refused; `overrides` turn it into anything else. */
export function protocolResult(protocol: ProtocolName, overrides: Partial<ProtocolResult> = {}): ProtocolResult {
  return {
    protocol,
    offered: false,
    reason: 'refused every suite with an alert',
    suites: [],
    suitesComplete: true,
    serverOrder: null,
    groups: [],
    groupsComplete: true,
    groupServerOrder: null,
    inconclusiveSuites: [],
    inconclusiveGroups: [],
    dhParameters: [],
    workarounds: [],
    ...overrides,
  };
}

/** An accepted protocol with these suites and groups, both lists complete. */
export function offered(protocol: ProtocolName, suites: number[], groups: number[] = [], overrides: Partial<ProtocolResult> = {}): ProtocolResult {
  return protocolResult(protocol, { offered: true, reason: null, suites, groups, ...overrides });
}

export function certificate(overrides: Partial<CertificateInfo> = {}): CertificateInfo {
  return {
    subject: 'CN=server.test',
    issuer: 'CN=fipscan test CA',
    subjectAltNames: ['DNS:server.test'],
    notBefore: '2026-01-01T00:00:00.000Z',
    notAfter: '2027-01-01T00:00:00.000Z',
    keyType: 'RSA',
    keyBits: 2048,
    curve: null,
    signatureAlgorithm: 'sha256WithRSAEncryption',
    signatureHash: 'SHA-256',
    fingerprintSha256: 'aa'.repeat(32),
    selfSigned: false,
    ...overrides,
  };
}

/** The self-signed test CA: RSA-2048, SHA-256. */
export function rootCertificate(overrides: Partial<CertificateInfo> = {}): CertificateInfo {
  return certificate({ subject: 'CN=fipscan test CA', fingerprintSha256: 'cc'.repeat(32), selfSigned: true, ...overrides });
}

/** A result fips-strict passes; `protocols` replace the default entries of the same version. */
export function compliantResult(protocols: ProtocolResult[] = [], overrides: Partial<ScanResult> = {}): ScanResult {
  const defaults = new Map<ProtocolName, ProtocolResult>([
    ['TLSv1.2', offered('TLSv1.2', [0xc02f, 0xc030], [0x0017])],
    ['TLSv1.3', offered('TLSv1.3', [0x1301, 0x1302], [0x0017])],
  ]);
  for (const p of protocols) defaults.set(p.protocol, p);
  return {
    target: 'server.test:443',
    host: 'server.test',
    port: 443,
    address: '127.0.0.1',
    sni: 'server.test',
    startedAt: '2026-11-01T00:00:00.000Z',
    durationMs: 1200,
    probes: 40,
    error: null,
    protocols: ALL.map((name) => defaults.get(name) ?? protocolResult(name)),
    certificates: [{ protocol: 'TLSv1.2', source: 'wire', chain: [certificate(), rootCertificate()] }],
    features: {
      extendedMasterSecret: { supported: true, required: true },
      secureRenegotiation: true,
      alpn: null,
      clientCertificateRequested: false,
    },
    protocolViolations: [],
    ...overrides,
  };
}

/** compliantResult with the certificate chain replaced. */
export function withChain(chain: CertificateInfo[]): ScanResult {
  return compliantResult([], { certificates: [{ protocol: 'TLSv1.2', source: 'wire', chain }] });
}

/** compliantResult with the EMS answers replaced. */
export function withEms(supported: boolean | null, required: boolean | null): ScanResult {
  const r = compliantResult();
  r.features.extendedMasterSecret = { supported, required };
  return r;
}
