/**
 * The machine-readable report, schema `fipscan/v1` (fixtures/schema/fipscan-v1.schema.json):
 * one document per run for --format json, or one endpoint object per line for --format jsonl,
 * written as each endpoint finishes. Every item carries the policy's view of it (`allowed`),
 * so a consumer needs neither the registry nor the policy to act on the report; an SSH
 * endpoint carries its offer the same way (sshJson.ts) and leaves its TLS fields empty. Field order
 * follows the schema, and the output is terminal-safe: JSON escapes C0 controls by itself,
 * and this module also escapes DEL, C1 controls and bidi controls, which JSON allows raw.
 */
import { groupDisposition, protocolDisposition, signatureSchemeDisposition, suiteDisposition } from '../policy/evaluate.js';
import { policyDigest } from '../policy/document.js';
import { signatureSchemeById } from '../registry/signatureSchemes.js';
import type { Disposition, Policy } from '../policy/types.js';
import type { CertificateChain, CertificateInfo, Features, Negotiated, ProtocolName, ProtocolResult, ScanError, ScanResult, Tri, PlaintextFinding } from '../model/scan.js';
import type { Verdict, Violation } from '../model/verdict.js';
import type { Workload, WorkloadVerdict } from '../model/workload.js';
import { PROTOCOL_NAMES, describeSuite, groupHex, groupName, schemeHex, suiteHex } from './describe.js';
import type { EndpointReport, RunHead, RunReport } from './model.js';
import { toJsonSsh, type JsonSsh } from './sshJson.js';
import { toJsonSubject, type JsonInspectSubject } from './subjectJson.js';

export const JSON_SCHEMA_ID = 'fipscan/v1';

export interface JsonCipher {
  /** 0x + 4 hex digits; 6 for SSLv2 cipher kinds. */
  id: string;
  iana: string | null;
  openssl: string | null;
  kx: string | null;
  encryption: string | null;
  bits: number | null;
  /** The policy allows the suite in this protocol (with or without a warning). */
  allowed: boolean;
}

export interface JsonProtocol {
  name: ProtocolName;
  offered: Tri;
  /** A version not offered or inconclusive: how that was decided, in words; absent when not told and in older reports. */
  reason?: string;
  /** The catalogue code of `reason` (`fipscan explain CODE`); absent when not told and in older reports. */
  reasonCode?: string;
  serverOrder: Tri;
  allowed: boolean;
  /** Accepted suites, in the server's order. */
  ciphers: JsonCipher[];
  inconclusiveCiphers: string[];
  /** TLS 1.2 and 1.3: the schemes the server signs its handshake with; absent otherwise and in older reports. */
  signatureSchemes?: JsonSignatureScheme[];
  signatureSchemesComplete?: boolean;
  inconclusiveSignatureSchemes?: string[];
  workarounds: string[];
}

export interface JsonGroup {
  id: string;
  name: string | null;
  /** The versions the group was accepted with. */
  protocols: ProtocolName[];
  allowed: boolean;
}

export interface JsonDhParameters {
  protocol: ProtocolName;
  primeBits: number;
  /** The RFC 7919 group name when the prime is an ffdhe prime. */
  group: string | null;
  /** The RFC 3526 MODP group number when the prime is one of those; absent in older reports. */
  modpGroup?: number | null;
  /** For a custom prime: whether (p-1)/2 is prime too; null for a named group. */
  safePrime?: Tri;
}

/** A signature scheme the server signs its handshake with. */
export interface JsonSignatureScheme {
  /** 0x + 4 hex digits. */
  id: string;
  name: string | null;
  allowed: boolean;
  /** SHA-256 fingerprint of the leaf certificate whose key signed. */
  certificate: string | null;
}

export type JsonCertificate = Omit<CertificateInfo, 'selfSigned'>;

export interface JsonCertificateChain {
  protocol: ProtocolName;
  /** Every version the chain was served with; absent in older reports. */
  protocols?: ProtocolName[];
  source: 'wire' | 'tls';
  chain: JsonCertificate[];
}

export interface JsonFeatures {
  extendedMasterSecret: { supported: Tri; required: Tri };
  secureRenegotiation: Tri;
  alpn: string | null;
  clientCertificateRequested: Tri;
  /** A handshake without a client certificate is refused. */
  clientCertificateRequired: Tri;
  /** CA names of the TLS 1.2 CertificateRequest (`C=.., O=.., CN=..`). */
  clientCertificateCAs: string[];
}

/** What a real client (node:tls defaults, with the client identity when given) negotiated. */
export interface JsonNegotiated {
  protocol: ProtocolName | null;
  cipher: { id: string; iana: string | null; allowed: boolean } | null;
  group: { id: string; name: string | null; allowed: boolean } | null;
  alpn: string | null;
  clientIdentity: boolean;
  clientCertificateAccepted: Tri;
  serverChainVerified: Tri;
  serverChainError: string | null;
  error: ScanError | null;
}

export interface JsonViolation {
  rule: string;
  protocol: ProtocolName | null;
  item: string | null;
  message: string;
  /** Where the rule comes from (document, section, date), when the policy says. */
  source?: string;
  /** Inconclusive findings: why the item could not be proven, as a catalogue code; absent otherwise and in older reports. */
  code?: string;
}

export interface JsonEndpoint {
  target: string;
  /** scan --inspect-local: the pod whose own port this is (namespace/name); absent otherwise. */
  pod?: string;
  /** `ssh` for an SSH endpoint (its TLS fields are then empty); absent for TLS. */
  service?: 'tls' | 'ssh';
  host: string;
  port: number;
  address: string | null;
  sni: string | null;
  verdict: Verdict;
  error: ScanError | null;
  protocols: JsonProtocol[];
  groups: JsonGroup[];
  dhParameters: JsonDhParameters[];
  certificates: JsonCertificateChain[];
  features: JsonFeatures;
  /** null when no full handshake was made (skipped, unreachable, or neither TLS 1.2 nor 1.3). */
  negotiated: JsonNegotiated | null;
  /** SSH endpoints only: the server's offer; null when it could not be read (`error` says why). */
  ssh?: JsonSsh | null;
  /** TLS endpoints: the plaintext check (null when not made); absent in older reports. */
  plaintext?: PlaintextFinding | null;
  violations: JsonViolation[];
  warnings: JsonViolation[];
  /** What the scan could not prove that the policy judges (rule `inconclusive`), with why; absent in older reports. */
  inconclusive: JsonViolation[];
  probes: number;
  durationMs: number;
}

/** A document's head: everything but its endpoints and workloads. */
export type JsonHead = Omit<JsonDocument, 'endpoints' | 'workloads'>;

export interface JsonDocument {
  schema: typeof JSON_SCHEMA_ID;
  tool: { name: 'fipscan'; version: string };
  /** `sha256`: of the policy document, when the writer records it. */
  policy: { id: string; version: string; title: string; sha256?: string };
  startedAt: string;
  durationMs: number;
  /** The command line of the run, secrets removed (src/cli/commandLine.ts); absent in older and merged reports. */
  command?: string[];
  /** `not-tls`: ports that answered in another protocol, in plaintext (absent in older reports). */
  summary: { endpoints: number; pass: number; fail: number; error: number; 'not-tls': number };
  endpoints: JsonEndpoint[];
  /** Only from `scan --inspect-local`: the pod's listening ports grouped by owning process. */
  workloads?: JsonWorkload[];
}

/** A listening port of a workload: its endpoint verdict, or `not-tls` for another protocol. */
export interface JsonWorkloadEndpoint {
  target: string;
  verdict: Verdict | 'not-tls';
  /** What a not-tls port speaks (`HTTP`), or an error endpoint's code. */
  note: string | null;
}

/** One process of the pod with its listening ports, judged on both halves. */
export interface JsonWorkload {
  pid: number | null;
  /** The pod it runs in (namespace/name), when known. */
  pod?: string;
  verdict: WorkloadVerdict;
  error: string | null;
  endpoints: JsonWorkloadEndpoint[];
  process: JsonInspectSubject | null;
}

/** Warned items are allowed: they pass, and are listed among the warnings too. */
function allowed(disposition: Disposition): boolean {
  return disposition !== 'deny';
}

function groupsOf(result: ScanResult, policy: Policy): JsonGroup[] {
  const byId = new Map<number, JsonGroup>();
  for (const p of result.protocols) {
    for (const id of p.groups) {
      let group = byId.get(id);
      if (group === undefined) {
        group = { id: groupHex(id), name: groupName(id), protocols: [], allowed: allowed(groupDisposition(policy, id)) };
        byId.set(id, group);
      }
      if (!group.protocols.includes(p.protocol)) group.protocols.push(p.protocol);
    }
  }
  return [...byId.values()];
}

function certificate(info: CertificateInfo): JsonCertificate {
  return {
    subject: info.subject,
    issuer: info.issuer,
    subjectAltNames: [...info.subjectAltNames],
    notBefore: info.notBefore,
    notAfter: info.notAfter,
    keyType: info.keyType,
    keyBits: info.keyBits,
    curve: info.curve,
    signatureAlgorithm: info.signatureAlgorithm,
    signatureHash: info.signatureHash,
    fingerprintSha256: info.fingerprintSha256,
  };
}

function negotiatedOf(n: Negotiated | null | undefined, policy: Policy): JsonNegotiated | null {
  if (!n) return null;
  return {
    protocol: n.protocol,
    cipher:
      n.suite === null ? null
      : { id: suiteHex(n.protocol ?? 'TLSv1.2', n.suite), iana: describeSuite(n.protocol ?? 'TLSv1.2', n.suite).iana, allowed: n.protocol !== null && allowed(suiteDisposition(policy, n.protocol, n.suite)) },
    group: n.group === null ? null : { id: groupHex(n.group), name: groupName(n.group), allowed: allowed(groupDisposition(policy, n.group)) },
    alpn: n.alpn,
    clientIdentity: n.identity,
    clientCertificateAccepted: n.clientCertificateAccepted,
    serverChainVerified: n.serverChainVerified,
    serverChainError: n.serverChainError,
    error: n.error === null ? null : { code: n.error.code, message: n.error.message },
  };
}

function violation(v: Violation): JsonViolation {
  return { rule: v.rule, protocol: v.protocol, item: v.item, message: v.message, source: v.source, ...(v.code !== undefined ? { code: v.code } : {}) };
}

/** How a version that is not offered (or inconclusive) was decided; nothing for an offered one. */
function reasonOf(p: ProtocolResult | undefined): Pick<JsonProtocol, 'reason' | 'reasonCode'> {
  if (p === undefined || p.offered === true) return {};
  return { ...(p.reason !== null ? { reason: p.reason } : {}), ...(p.reasonCode ? { reasonCode: p.reasonCode } : {}) };
}

/** The signature-scheme fields of a version, only when the scan enumerated them. */
function signatureSchemesOf(p: ProtocolResult | undefined, policy: Policy): Pick<JsonProtocol, 'signatureSchemes' | 'signatureSchemesComplete' | 'inconclusiveSignatureSchemes'> {
  if (p?.signatureSchemes === undefined) return {};
  return {
    signatureSchemes: p.signatureSchemes.map((use) => ({
      id: schemeHex(use.scheme),
      name: signatureSchemeById(use.scheme)?.name ?? null,
      allowed: allowed(signatureSchemeDisposition(policy, use.scheme)),
      certificate: use.certificate,
    })),
    signatureSchemesComplete: p.signatureSchemesComplete ?? false,
    inconclusiveSignatureSchemes: (p.inconclusiveSignatureSchemes ?? []).map(schemeHex),
  };
}

function cipherOf(protocol: ProtocolName, id: number, policy: Policy): JsonCipher {
  const suite = describeSuite(protocol, id);
  return {
    id: suite.hex,
    iana: suite.iana,
    openssl: suite.openssl,
    kx: suite.kx,
    encryption: suite.encryption,
    bits: suite.bits,
    allowed: allowed(suiteDisposition(policy, protocol, id)),
  };
}

/** Every version in the schema's order, each with what the scan found of it (nothing: unknown); none for SSH. */
function protocolsOf(result: ScanResult, policy: Policy): JsonProtocol[] {
  if (result.service === 'ssh') return [];
  const byName = new Map(result.protocols.map((p) => [p.protocol, p]));
  return PROTOCOL_NAMES.map((name): JsonProtocol => {
    const p = byName.get(name);
    return {
      name,
      offered: p?.offered ?? null,
      ...reasonOf(p),
      serverOrder: p?.serverOrder ?? null,
      allowed: allowed(protocolDisposition(policy, name)),
      ciphers: (p?.suites ?? []).map((id) => cipherOf(name, id, policy)),
      inconclusiveCiphers: (p?.inconclusiveSuites ?? []).map((id) => suiteHex(name, id)),
      ...signatureSchemesOf(p, policy),
      workarounds: [...(p?.workarounds ?? [])],
    };
  });
}

function dhParametersOf(result: ScanResult): JsonDhParameters[] {
  return result.protocols.flatMap((p) =>
    p.dhParameters.map((dh) => ({
      protocol: p.protocol,
      primeBits: dh.primeBits,
      group: dh.namedGroup === null ? null : (groupName(dh.namedGroup) ?? groupHex(dh.namedGroup)),
      modpGroup: dh.modpGroup ?? null,
      safePrime: dh.safePrime ?? null,
    })),
  );
}

function certificateChainOf(c: CertificateChain): JsonCertificateChain {
  return { protocol: c.protocol, ...(c.protocols ? { protocols: [...c.protocols] } : {}), source: c.source, chain: c.chain.map(certificate) };
}

function featuresOf(f: Features): JsonFeatures {
  return {
    extendedMasterSecret: { supported: f.extendedMasterSecret.supported, required: f.extendedMasterSecret.required },
    secureRenegotiation: f.secureRenegotiation,
    alpn: f.alpn,
    clientCertificateRequested: f.clientCertificateRequested,
    clientCertificateRequired: f.clientCertificateRequired ?? null,
    clientCertificateCAs: [...(f.clientCertificateCAs ?? [])],
  };
}

/** One endpoint as the `endpoints[]` entry of a fipscan/v1 document (and a jsonl line). */
export function toJsonEndpoint(endpoint: EndpointReport, policy: Policy): JsonEndpoint {
  const { result, evaluation } = endpoint;
  const ssh = result.service === 'ssh';
  return {
    target: result.target,
    ...(result.pod !== undefined ? { pod: result.pod } : {}),
    ...(ssh ? { service: 'ssh' as const } : {}),
    host: result.host,
    port: result.port,
    address: result.address,
    sni: result.sni,
    verdict: evaluation.verdict,
    error: evaluation.error ?? result.error,
    protocols: protocolsOf(result, policy),
    groups: groupsOf(result, policy),
    dhParameters: dhParametersOf(result),
    certificates: result.certificates.map(certificateChainOf),
    features: featuresOf(result.features),
    negotiated: negotiatedOf(result.negotiated, policy),
    ...(ssh ? { ssh: result.ssh ? toJsonSsh(result.ssh, policy.ssh) : null } : {}),
    ...(!ssh && result.plaintext !== undefined ? { plaintext: result.plaintext } : {}),
    violations: evaluation.violations.map(violation),
    warnings: evaluation.warnings.map(violation),
    inconclusive: evaluation.inconclusive.map(violation),
    probes: result.probes,
    durationMs: result.durationMs,
  };
}

/** One workload as a `workloads[]` entry. */
export function toJsonWorkload(w: Workload): JsonWorkload {
  return {
    pid: w.pid,
    ...(w.pod !== undefined ? { pod: w.pod } : {}),
    verdict: w.verdict,
    error: w.error,
    endpoints: w.endpoints.map((e) => ({ target: e.target, verdict: e.verdict, note: e.note })),
    process: w.process === null ? null : toJsonSubject(w.process),
  };
}

/** The policy a document was judged by: id, version, title and the SHA-256 of its document (policyDigest). */
function jsonPolicy(policy: Policy): JsonDocument['policy'] {
  return { id: policy.id, version: policy.version, title: policy.title, sha256: policyDigest(policy) };
}

/** A document's `summary`: the endpoints counted by verdict. */
export function jsonSummary(verdicts: readonly Verdict[]): JsonDocument['summary'] {
  const count = (verdict: Verdict) => verdicts.filter((v) => v === verdict).length;
  return { endpoints: verdicts.length, pass: count('pass'), fail: count('fail'), error: count('error'), 'not-tls': count('not-tls') };
}

/**
 * The report header of a run: tool, policy with its sha256, startedAt, durationMs, the command
 * line and the summary of `verdicts`. Built here only, for the document made whole
 * (toJsonDocument) and for the one the CLI writes an endpoint at a time (renderJsonFrame).
 */
export function toJsonHead(run: RunHead, verdicts: readonly Verdict[]): JsonHead {
  return {
    schema: JSON_SCHEMA_ID,
    tool: { name: run.tool.name, version: run.tool.version },
    policy: jsonPolicy(run.policy),
    startedAt: run.startedAt,
    durationMs: run.durationMs,
    ...(run.command ? { command: [...run.command] } : {}),
    summary: jsonSummary(verdicts),
  };
}

/** The whole run as a fipscan/v1 document. */
export function toJsonDocument(run: RunReport): JsonDocument {
  return {
    ...toJsonHead(run, run.endpoints.map((e) => e.evaluation.verdict)),
    endpoints: run.endpoints.map((e) => toJsonEndpoint(e, run.policy)),
    ...(run.workloads ? { workloads: run.workloads.map(toJsonWorkload) } : {}),
  };
}

/**
 * Characters JSON may carry raw that a terminal would act on or reorder: DEL, C1 controls
 * (0x9b is CSI), bidi controls, line/paragraph separators. They only occur inside strings, so
 * escaping them keeps the document equal.
 */
const TERMINAL_UNSAFE = /[\u007f-\u009f\p{Bidi_Control}\u2028\u2029]/gu;

/** JSON.stringify with the terminal-unsafe characters JSON allows raw escaped as well. */
export function stringify(value: unknown, indent?: number): string {
  return JSON.stringify(value, null, indent).replace(TERMINAL_UNSAFE, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/** The run as a fipscan/v1 document: 2-space indented, with a trailing newline. */
export function renderJson(run: RunReport): string {
  return renderJsonDocument(toJsonDocument(run));
}

/** A fipscan/v1 document (a run's, or one merged from several) as `renderJson` writes it. */
export function renderJsonDocument(doc: JsonDocument): string {
  return `${stringify(doc, 2)}\n`;
}

/** One endpoint exactly as it appears in a rendered document's `endpoints` array: indented, no comma. */
export function renderJsonEntry(endpoint: EndpointReport, policy: Policy): string {
  // Pretty-printed JSON has no raw line breaks inside strings, so indenting every line nests it.
  return stringify(toJsonEndpoint(endpoint, policy), 2).replace(/^/gm, '    ');
}

/** The text of a document around its endpoint entries (see renderJsonFrame). */
export interface JsonFrame {
  /** The whole document when it has no endpoints. */
  empty: string;
  /** Up to and including the `[` of `endpoints`, with its line break. */
  open: string;
  /** Between two entries. */
  separator: string;
  /** After the last entry, to the end of the document. */
  close: string;
}

/**
 * A document's frame, for writing it one endpoint at a time: `open`, the entries (renderJsonEntry)
 * joined by `separator`, then `close` are the very bytes renderJsonDocument writes for the
 * document, without the whole document (and its objects) in memory at once. `workloads`, when
 * given, follow the endpoints inside `close`.
 */
export function renderJsonFrame(head: JsonHead, workloads?: JsonWorkload[]): JsonFrame {
  const empty = `${stringify({ ...head, endpoints: [], ...(workloads ? { workloads } : {}) }, 2)}\n`;
  // The only top-level "endpoints" line: strings inside are escaped, so no value can hold it.
  const marker = '\n  "endpoints": [';
  const at = empty.indexOf(marker) + marker.length;
  return { empty, open: `${empty.slice(0, at)}\n`, separator: ',\n', close: `\n  ${empty.slice(at)}` };
}

/**
 * One endpoint as a single line (with its newline) for --format jsonl: the same object as the
 * document's `endpoints[]` entry (`$defs/endpoint` in the schema), so one jq filter reads both.
 */
export function renderJsonLine(endpoint: EndpointReport, policy: Policy): string {
  return `${stringify(toJsonEndpoint(endpoint, policy))}\n`;
}

/** A workload as a single jsonl line: `{"workload": {...}}`, after the endpoint lines. */
export function renderJsonWorkloadLine(workload: Workload): string {
  return `${stringify({ workload: toJsonWorkload(workload) })}\n`;
}
