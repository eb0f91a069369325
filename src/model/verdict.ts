/**
 * The result model of a judgement: the verdict a policy gives one endpoint's scan, with every
 * violation, warning and unproven item named by rule and source. Produced by src/policy, read by
 * src/report and the CLI.
 */
import type { ProtocolName, ScanError } from './scan.js';

/**
 * The rules a verdict is made of, by stable id: each violation, warning and inconclusive item
 * names one, and each policy says where each comes from (`sources`).
 */
export const RULE_IDS = [
  'protocol',
  'suite',
  'group',
  'signature-scheme',
  'dh-group',
  'dh-size',
  'cert-key',
  'cert-signature',
  'ems',
  'renegotiation',
  'tls13-required',
  'protocol-violation',
  'plaintext',
  'inconclusive',
  'ssh-kex',
  'ssh-host-key',
  'ssh-cipher',
  'ssh-mac',
] as const;

export type RuleId = (typeof RULE_IDS)[number];

export interface Violation {
  /** Stable rule id (RULE_IDS). */
  rule: RuleId;
  protocol: ProtocolName | null;
  /** The item in words: 'TLSv1.0', 'TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA (0xc013)', 'x25519 (0x001d)'. */
  item: string | null;
  /** One plain sentence: what and why. */
  message: string;
  /** Where the rule comes from (the policy's `sources`), so that a report names it beside the finding. */
  source: string;
  /** Inconclusive findings: why it could not be proven, a catalogue code (model/errors.ts). */
  code?: string;
}

/**
 * `not-tls`: the port speaks another protocol in plaintext (HTTP, gRPC without TLS, a banner): no
 * TLS to judge, and no error either; with --require-tls such a port fails instead.
 */
export type Verdict = 'pass' | 'fail' | 'error' | 'not-tls';

export interface Evaluation {
  verdict: Verdict;
  /** Set when verdict is error because the scan itself failed. */
  error: ScanError | null;
  violations: Violation[];
  warnings: Violation[];
  /**
   * What the scan could not prove and the policy would care about (rule 'inconclusive'): an
   * untested denied protocol, an unresolved suite, an unknown EMS answer. Any of these without
   * a violation makes the verdict 'error' (code EINCONCLUSIVE), never 'pass'.
   */
  inconclusive: Violation[];
}
