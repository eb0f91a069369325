/**
 * A policy as an auditor reads it (`fipscan policies show NAME --format text`): each rule in the
 * words a report uses (the rule ids of its findings), what it allows, warns about and denies,
 * and where it comes from, with the SHA-256 of the policy document a report names, so that the
 * two can be read side by side. `--format json` (the default) is the editable document.
 */
import { policyDigest } from '../policy/document.js';
import { describeItem, type ItemKind } from '../policy/names.js';
import type { ItemRules, Policy } from '../policy/types.js';
import type { RuleId } from '../model/verdict.js';
import { PROTOCOL_NAMES } from './describe.js';
import { wrap } from './text.js';

const WIDTH = 100;
const INDENT = '    ';

function items(kind: ItemKind, ids: readonly number[]): string {
  return ids.length === 0 ? 'none' : ids.map((id) => describeItem(kind, id)).join(', ');
}

function lists(kind: ItemKind, rules: ItemRules): string[] {
  return [`allowed: ${items(kind, rules.allow)}`, `with a warning: ${items(kind, rules.warn)}`, 'anything else: denied'];
}

function sshLines(p: Policy, key: 'kex' | 'hostKey' | 'cipher' | 'mac', extra: string[] = []): string[] {
  if (p.ssh === null) return ['SSH endpoints are not judged by this policy (their verdict is error)'];
  const r = p.ssh[key];
  const names = (list: readonly string[]): string => list.join(', ') || 'none';
  return [`allowed: ${names(r.allow)}`, `with a warning: ${names(r.warn)}`, 'anything else: denied', ...extra];
}

/** What each rule says, in a line or three. */
function ruleLines(p: Policy): Record<RuleId, string[]> {
  const c = p.certificate;
  const versions = (d: string): string => PROTOCOL_NAMES.filter((v) => p.protocols[v] === d).join(', ') || 'none';
  return {
    protocol: [`allowed: ${versions('allow')}`, `with a warning: ${versions('warn')}`, `denied: ${versions('deny')}`],
    suite: [...lists('suite', p.tls12Suites).map((l) => `TLS 1.2 and older, ${l}`), ...lists('suite', p.tls13Suites).map((l) => `TLS 1.3, ${l}`)],
    group: lists('group', p.groups),
    'signature-scheme': lists('scheme', p.signatureSchemes),
    'dh-group': [p.dhNamedGroupsOnly ? 'DHE only over an RFC 7919 ffdhe or RFC 3526 MODP group; a custom prime is a violation' : 'no rule'],
    'dh-size': [p.dhMinBits > 0 ? `DHE primes of at least ${p.dhMinBits} bits` : 'no rule'],
    'cert-key': [`key types: ${c.keyTypes.join(', ')}`, `RSA of at least ${c.rsaMinBits} bits; EC curves: ${c.ecCurves.join(', ')}`, `applies to: ${c.scope === 'chain' ? 'every certificate of the chain' : 'the leaf'}`],
    'cert-signature': [`hashes: ${c.signatureHashes.join(', ')}`, `with a warning: ${c.signatureHashesWarn.join(', ') || 'none'}`],
    ems: [`extended_master_secret (RFC 7627) in TLS 1.2: ${p.require.extendedMasterSecret}`],
    renegotiation: [p.require.secureRenegotiation ? 'renegotiation_info (RFC 5746) required with TLS 1.2 and older' : 'no rule'],
    'tls13-required': [p.require.tls13 ? 'TLS 1.3 must be offered' : 'no rule'],
    'protocol-violation': ['a server that breaks the TLS protocol fails'],
    plaintext: ['a TLS port that also answers plaintext: a warning; with --require-tls a violation, as is a port that answers plaintext only (else reported as not TLS)'],
    inconclusive: ['what the scan cannot prove and this policy cares about makes the verdict error, never pass'],
    'ssh-kex': sshLines(p, 'kex', p.ssh ? [`markers, never judged: ${p.ssh.markers.join(', ') || 'none'} (${p.ssh.notes.markers})`] : []),
    'ssh-host-key': sshLines(p, 'hostKey'),
    'ssh-cipher': sshLines(p, 'cipher', p.ssh ? [`compression: ${p.ssh.notes.compression}`] : []),
    'ssh-mac': sshLines(p, 'mac'),
  };
}

/** The policy as text: header, then one block per rule with its source. */
export function renderPolicyText(p: Policy): string {
  const out = [`${p.id} ${p.version}: ${p.title}`, `sha256 ${policyDigest(p)}`, ...wrap(`basis: ${p.basis}`, WIDTH, '', '  '), ''];
  const rules = ruleLines(p);
  for (const [rule, lines] of Object.entries(rules) as [RuleId, string[]][]) {
    out.push(`rule ${rule}`);
    for (const line of lines) out.push(...wrap(line, WIDTH, INDENT, `${INDENT}  `));
    out.push(...wrap(`source: ${p.sources[rule]}`, WIDTH, INDENT, `${INDENT}  `), '');
  }
  return `${out.join('\n').trimEnd()}\n`;
}
