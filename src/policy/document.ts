/**
 * A policy written out as JSON: the starting point for a custom policy (`fipscan policies show
 * <name>`). Every field is written, no "extends", and each codepoint as "NAME (0xhhhh)" so that a
 * person can read and edit it; parsePolicy reads the document back to the identical policy.
 */
import { createHash } from 'node:crypto';
import type { ProtocolName } from '../registry/index.js';
import { PROTOCOL_NAMES, describeItem, type ItemKind } from './names.js';
import type { CertificateRules, Disposition, ItemRules, Policy, SshPolicy } from './types.js';
import { RULE_IDS, type RuleId } from '../model/verdict.js';

/** The JSON shape of a policy: codepoints as "NAME (0xhhhh)" so that a person can read and edit it. */
export interface PolicyDocument {
  id: string;
  version: string;
  title: string;
  basis: string;
  protocols: Record<ProtocolName, Disposition>;
  tls12Suites: { allow: string[]; warn: string[] };
  tls13Suites: { allow: string[]; warn: string[] };
  groups: { allow: string[]; warn: string[] };
  signatureSchemes: { allow: string[]; warn: string[] };
  dhMinBits: number;
  dhNamedGroupsOnly: boolean;
  certificate: CertificateRules;
  require: Policy['require'];
  /** SSH rules by algorithm name; null when the policy does not judge SSH. */
  ssh: SshPolicy | null;
  /** Where each rule comes from, by rule id. */
  sources: Record<RuleId, string>;
}

function rulesDocument(kind: ItemKind, rules: ItemRules): { allow: string[]; warn: string[] } {
  return { allow: rules.allow.map((id) => describeItem(kind, id)), warn: rules.warn.map((id) => describeItem(kind, id)) };
}

function sshDocument(ssh: SshPolicy): SshPolicy {
  const rules = (r: SshPolicy['kex']): SshPolicy['kex'] => ({ allow: [...r.allow], warn: [...r.warn] });
  return { kex: rules(ssh.kex), hostKey: rules(ssh.hostKey), cipher: rules(ssh.cipher), mac: rules(ssh.mac), markers: [...ssh.markers], reasons: { ...ssh.reasons }, notes: { ...ssh.notes } };
}

/** A policy as a complete JSON document object (no "extends"); parsePolicy reads it back unchanged. */
export function policyToDocument(policy: Policy): PolicyDocument {
  const c = policy.certificate;
  return {
    id: policy.id,
    version: policy.version,
    title: policy.title,
    basis: policy.basis,
    protocols: Object.fromEntries(PROTOCOL_NAMES.map((p) => [p, policy.protocols[p]])) as Record<ProtocolName, Disposition>,
    tls12Suites: rulesDocument('suite', policy.tls12Suites),
    tls13Suites: rulesDocument('suite', policy.tls13Suites),
    groups: rulesDocument('group', policy.groups),
    signatureSchemes: rulesDocument('scheme', policy.signatureSchemes),
    dhMinBits: policy.dhMinBits,
    dhNamedGroupsOnly: policy.dhNamedGroupsOnly,
    certificate: {
      rsaMinBits: c.rsaMinBits,
      ecCurves: [...c.ecCurves],
      keyTypes: [...c.keyTypes],
      signatureHashes: [...c.signatureHashes],
      signatureHashesWarn: [...c.signatureHashesWarn],
      scope: c.scope,
    },
    require: { ...policy.require },
    ssh: policy.ssh === null ? null : sshDocument(policy.ssh),
    sources: Object.fromEntries(RULE_IDS.map((rule) => [rule, policy.sources[rule]])) as Record<RuleId, string>,
  };
}

/** A policy as pretty-printed JSON text ending in a newline (`fipscan policies show <name>`). */
export function policyToJson(policy: Policy): string {
  return `${JSON.stringify(policyToDocument(policy), null, 2)}\n`;
}

/**
 * The SHA-256 (hex) of the policy's document exactly as `fipscan policies show` prints it: a
 * report names it, so an auditor can check that a verdict was made by the rules they read.
 */
export function policyDigest(policy: Policy): string {
  return createHash('sha256').update(policyToJson(policy)).digest('hex');
}
