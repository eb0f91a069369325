/**
 * Judges one scan result against one policy: every protocol, suite, group, DH prime, certificate
 * and TLS 1.2 feature the server showed is allowed, warned about or a violation, and whatever the
 * scan could not prove but the policy would care about is listed as inconclusive; findings.ts
 * turns the lists into the verdict, certificates.ts holds the certificate rules.
 */
import { cipherSuiteById, type CipherSuite } from '../registry/index.js';
import type { DhParameters, ProtocolName, ProtocolResult, ScanResult } from '../model/scan.js';
import type { Evaluation } from '../model/verdict.js';
import { checkCertificates } from './certificates.js';
import { Findings } from './findings.js';
import { judgeSsh } from './sshPolicy.js';
import { describeItem, describeSslv2Kind } from './names.js';
import type { Disposition, ItemRules, Policy } from './types.js';

const LEGACY_TLS: readonly ProtocolName[] = ['SSLv3', 'TLSv1.0', 'TLSv1.1', 'TLSv1.2'];

function ruleDisposition(rules: ItemRules, id: number): Disposition {
  if (rules.allow.includes(id)) return 'allow';
  if (rules.warn.includes(id)) return 'warn';
  return 'deny';
}

/** What the policy says of a protocol version. */
export function protocolDisposition(policy: Policy, protocol: ProtocolName): Disposition {
  return policy.protocols[protocol];
}

/** What the policy says of a cipher suite in a version; SSLv2 cipher kinds are always denied. */
export function suiteDisposition(policy: Policy, protocol: ProtocolName, id: number): Disposition {
  if (protocol === 'SSLv2') return 'deny';
  return ruleDisposition(protocol === 'TLSv1.3' ? policy.tls13Suites : policy.tls12Suites, id);
}

/** What the policy says of a key-exchange group. */
export function groupDisposition(policy: Policy, id: number): Disposition {
  return ruleDisposition(policy.groups, id);
}

/** How a run judges, beside its policy. */
export interface EvaluateOptions {
  /** --require-tls, for an audit of a STRICT mesh: a port that takes plaintext fails, plaintext-only ones too. */
  requireTls?: boolean;
}

/** Judges a scan result against a policy. Pure: the same input always gives the same evaluation. */
export function evaluate(result: ScanResult, policy: Policy, options: EvaluateOptions = {}): Evaluation {
  if (result.service === 'ssh') return evaluateSsh(result, policy);
  if (result.error?.code === 'EOTHER_PROTOCOL') return evaluatePlaintextPort(result, policy, options);
  const f = new Findings(policy);
  checkProtocols(result, f);
  for (const p of result.protocols) {
    if (p.offered !== true) continue;
    checkSuites(p, f);
    checkGroups(p, f);
    checkDhParameters(p, f);
    checkSignatureSchemes(p, f);
  }
  checkCertificates(result, f);
  checkFeatures(result, f);
  checkPlaintext(result, f, options);
  for (const s of result.protocolViolations) {
    const protocol = /^(SSLv2|SSLv3|TLSv1\.[0-3]): /.exec(s)?.[1] as ProtocolName | undefined;
    f.violation('protocol-violation', protocol ?? null, null, `The server broke the TLS protocol: ${s.replace(/\.$/, '')}.`);
  }
  return f.evaluation(result.error);
}

/**
 * A port that answered the first hellos in another protocol, in plaintext: nothing TLS to judge.
 * It is `not-tls` (no verdict, no error), or with --require-tls a failure naming plaintext.
 */
function evaluatePlaintextPort(result: ScanResult, policy: Policy, options: EvaluateOptions): Evaluation {
  const protocol = result.error?.protocol ?? 'another protocol';
  if (!options.requireTls) return { verdict: 'not-tls', error: result.error, violations: [], warnings: [], inconclusive: [] };
  const f = new Findings(policy);
  f.violation('plaintext', null, `plaintext ${protocol}`, `The port answers in ${protocol} without TLS: --require-tls requires TLS on every port.`);
  return f.evaluation(null);
}

/** A TLS port that also answered plaintext (plaintext.ts): a warning, or with --require-tls a violation. */
function checkPlaintext(result: ScanResult, f: Findings, options: EvaluateOptions): void {
  const p = result.plaintext;
  if (!p || p.accepted !== true) return;
  const item = `plaintext ${p.protocol ?? p.sent}`;
  const what = `The port also answers plaintext (${p.sent} request answered with ${p.evidence})`;
  if (options.requireTls) f.violation('plaintext', null, item, `${what}: --require-tls requires TLS only.`);
  else f.warning('plaintext', null, item, `${what}: a mesh port in PERMISSIVE mode does this; STRICT takes mTLS only.`);
}

/**
 * An SSH endpoint: every key exchange, host-key, cipher and MAC algorithm its KEXINIT offers,
 * judged by the policy's SSH rules (sshPolicy.ts). One KEXINIT lists the whole offer, so nothing
 * is inconclusive: the scan either read it (a verdict) or did not (its error).
 */
function evaluateSsh(result: ScanResult, policy: Policy): Evaluation {
  const f = new Findings(policy);
  if (result.error !== null || !result.ssh) return f.evaluation(result.error ?? { code: 'ENO_ANSWER', message: `${result.target}: no SSH offer was read` });
  if (policy.ssh === null) return f.evaluation({ code: 'ENO_SSH_RULES', message: `${policy.id} has no SSH rules: an SSH endpoint cannot be judged by it` });
  const ssh = result.ssh;
  const lists = {
    kexAlgorithms: ssh.kex,
    serverHostKeyAlgorithms: ssh.hostKey,
    encryptionClientToServer: ssh.cipher.clientToServer,
    encryptionServerToClient: ssh.cipher.serverToClient,
    macClientToServer: ssh.mac.clientToServer,
    macServerToClient: ssh.mac.serverToClient,
  };
  const { violations, warnings } = judgeSsh(lists, { ...policy, ssh: policy.ssh });
  for (const v of violations) f.violation(v.rule, null, v.item, v.message);
  for (const w of warnings) f.warning(w.rule, null, w.item, w.message);
  return f.evaluation(null);
}

function checkProtocols(result: ScanResult, f: Findings): void {
  const { id } = f.policy;
  for (const p of result.protocols) {
    const disposition = protocolDisposition(f.policy, p.protocol);
    const why = p.reason !== null ? ` (${p.reason})` : '';
    if (p.offered === true && disposition === 'deny') {
      f.violation('protocol', p.protocol, p.protocol, `The server offers ${p.protocol}: ${id} does not allow it.`);
    } else if (p.offered === true && disposition === 'warn') {
      f.warning('protocol', p.protocol, p.protocol, `The server offers ${p.protocol}: ${id} allows it only with a warning.`);
    } else if (p.offered === null && disposition === 'deny') {
      f.unproven(p.protocol, p.protocol, `Could not tell whether the server offers ${p.protocol}${why}; ${id} does not allow it.`, p.reasonCode ?? 'ENO_ANSWER');
    } else if (p.offered === null) {
      // An allowed version that may be offered may also carry suites and groups the policy denies.
      f.unproven(p.protocol, p.protocol, `Could not tell whether the server offers ${p.protocol}${why}, so its suites and groups could not be checked.`, p.reasonCode ?? 'ENO_ANSWER');
    }
  }
  const permitted = result.protocols.filter((p) => protocolDisposition(f.policy, p.protocol) !== 'deny');
  if (result.error === null && permitted.every((p) => p.offered === false)) {
    const names = permitted.map((p) => p.protocol).join(', ') || 'none';
    f.violation('protocol', null, null, `The server offers no protocol ${id} allows (${names}).`);
  }
}

/** Plain words for what sets a suite apart, e.g. "CBC mode, HMAC-SHA-1". */
function suiteTraits(suite: CipherSuite | undefined): string {
  if (suite === undefined) return 'not a suite fipscan knows';
  const traits: string[] = [];
  if (suite.export) traits.push('export grade');
  if (suite.auth === 'anon') traits.push('no authentication');
  else if (suite.kx === 'RSA') traits.push('RSA key transport, no forward secrecy');
  else if (suite.kx === 'DH' || suite.kx === 'ECDH') traits.push(`static ${suite.kx} key exchange, no forward secrecy`);
  else if (suite.kx === 'DHE') traits.push('finite-field DHE key exchange');
  else if (!['ECDHE', 'ANY', 'RSA_EXPORT'].includes(suite.kx)) traits.push(`${suite.kx} key exchange`);
  if (suite.encryption === 'NULL') traits.push('no encryption');
  else if (suite.encryption === 'CHACHA20') traits.push('ChaCha20-Poly1305');
  else if (suite.encryption !== 'AES') traits.push(`${suite.encryption} encryption`);
  else if (suite.mode === 'CBC') traits.push('CBC mode');
  else if (suite.mode === 'CCM') traits.push('AES-CCM');
  else if (suite.mode === 'CCM_8') traits.push('AES-CCM with an 8-byte tag');
  if (suite.mac === 'SHA') traits.push('HMAC-SHA-1');
  else if (suite.mac === 'MD5') traits.push('HMAC-MD5');
  return traits.join(', ');
}

function isDhe(id: number): boolean {
  const s = cipherSuiteById(id);
  return s !== undefined && (s.kx === 'DHE' || s.kx === 'DHE_PSK' || (s.kx === 'DH' && s.auth === 'anon'));
}

function isEcdhe(id: number): boolean {
  const s = cipherSuiteById(id);
  return s !== undefined && (s.kx === 'ECDHE' || s.kx === 'ECDHE_PSK' || (s.kx === 'ECDH' && s.auth === 'anon'));
}

function checkSuites(p: ProtocolResult, f: Findings): void {
  const { id } = f.policy;
  const protocolDenied = protocolDisposition(f.policy, p.protocol) === 'deny';
  // SSLv2 and SSLv3 are broken whatever the suite: one violation for the version says it all.
  if (protocolDenied && (p.protocol === 'SSLv2' || p.protocol === 'SSLv3')) return;
  if (p.protocol === 'SSLv2') {
    for (const kind of p.suites) {
      f.violation('suite', p.protocol, describeSslv2Kind(kind), `SSLv2 accepts ${describeSslv2Kind(kind)}: no policy can allow an SSLv2 cipher kind.`);
    }
    return;
  }
  for (const suite of p.suites) {
    const item = describeItem('suite', suite);
    const traits = suiteTraits(cipherSuiteById(suite));
    const because = traits ? ` (${traits})` : '';
    const disposition = suiteDisposition(f.policy, p.protocol, suite);
    if (disposition === 'deny') f.violation('suite', p.protocol, item, `${p.protocol} accepts ${item}: ${id} does not allow this suite${because}.`);
    else if (disposition === 'warn') f.warning('suite', p.protocol, item, `${p.protocol} accepts ${item}: ${id} allows this suite only with a warning${because}.`);
  }
  // Once the version itself is a violation, what else it might accept changes nothing.
  if (protocolDenied) return;
  for (const suite of p.inconclusiveSuites) {
    if (suiteDisposition(f.policy, p.protocol, suite) !== 'deny') continue;
    const item = describeItem('suite', suite);
    f.unproven(p.protocol, item, `Could not tell whether ${p.protocol} accepts ${item}; ${id} does not allow it.`, 'EUNPROVEN_ITEM');
  }
  if (!p.suitesComplete && p.inconclusiveSuites.length === 0) {
    f.unproven(p.protocol, `${p.protocol} suites`, `The list of suites ${p.protocol} accepts is not proven complete.`, 'EUNPROVEN_LIST');
  }
}

/**
 * Groups are swept for TLS 1.2 (ECDHE curves) and TLS 1.3 only; TLS 1.0/1.1 servers use the
 * same curve code as their TLS 1.2, so the TLS 1.2 list stands for them.
 */
function checkGroups(p: ProtocolResult, f: Findings): void {
  const { id } = f.policy;
  for (const group of p.groups) {
    const item = describeItem('group', group);
    const disposition = groupDisposition(f.policy, group);
    if (disposition === 'deny') f.violation('group', p.protocol, item, `${p.protocol} accepts ${item}: ${id} does not allow this group.`);
    else if (disposition === 'warn') f.warning('group', p.protocol, item, `${p.protocol} accepts ${item}: ${id} allows this group only with a warning.`);
  }
  if (protocolDisposition(f.policy, p.protocol) === 'deny') return;
  if (p.protocol !== 'TLSv1.2' && p.protocol !== 'TLSv1.3') return;
  for (const group of p.inconclusiveGroups) {
    if (groupDisposition(f.policy, group) !== 'deny') continue;
    const item = describeItem('group', group);
    f.unproven(p.protocol, item, `Could not tell whether ${p.protocol} accepts ${item}; ${id} does not allow it.`, 'EUNPROVEN_ITEM');
  }
  const groupsMatter = p.protocol === 'TLSv1.3' || p.suites.some(isEcdhe);
  if (groupsMatter && !p.groupsComplete && p.inconclusiveGroups.length === 0) {
    f.unproven(p.protocol, `${p.protocol} groups`, `The list of groups ${p.protocol} accepts is not proven complete.`, 'EUNPROVEN_LIST');
  }
}

/** 'ffdhe2048 (0x0100)', 'RFC 3526 MODP group 14 (2048 bits)' or 'a custom 2048-bit prime (safe)'. */
export function describeDhParameters(dh: DhParameters): string {
  if (dh.namedGroup !== null) return describeItem('group', dh.namedGroup);
  const modp = dh.modpGroup ?? null;
  if (modp !== null) return `RFC 3526 MODP group ${modp} (${dh.primeBits} bits)`;
  const safe = dh.safePrime === true ? 'safe prime' : dh.safePrime === false ? 'not a safe prime' : 'safe prime unchecked';
  return `a custom ${dh.primeBits}-bit prime (${safe})`;
}

function checkDhParameters(p: ProtocolResult, f: Findings): void {
  const { id, dhMinBits, dhNamedGroupsOnly } = f.policy;
  // DHE itself denied: the suite violations say it all; a DH rule judges DHE a policy allows.
  const judgedDhe = p.suites.some((s) => isDhe(s) && suiteDisposition(f.policy, p.protocol, s) !== 'deny');
  for (const dh of p.dhParameters) {
    const item = describeDhParameters(dh);
    if (dhMinBits > 0 && dh.primeBits < dhMinBits) {
      f.violation('dh-size', p.protocol, item, `${p.protocol} uses ${item} for DHE: ${id} requires at least ${dhMinBits} bits.`);
    } else if (dhNamedGroupsOnly && judgedDhe && dh.namedGroup === null && (dh.modpGroup ?? null) === null) {
      f.violation('dh-group', p.protocol, item, `${p.protocol} uses ${item} for DHE: ${id} allows only the approved safe-prime groups (RFC 7919 ffdhe, RFC 3526 MODP).`);
    }
  }
  if (judgedDhe && p.dhParameters.length === 0 && protocolDisposition(f.policy, p.protocol) !== 'deny') {
    f.unproven(p.protocol, `${p.protocol} DH parameters`, `${p.protocol} accepts DHE suites, but the scan saw no DH parameters to measure.`, 'EUNPROVEN_DH');
  }
}

/** What the policy says of a signature scheme. */
export function signatureSchemeDisposition(policy: Policy, id: number): Disposition {
  return ruleDisposition(policy.signatureSchemes, id);
}

/**
 * The schemes the server signs its TLS 1.2 ServerKeyExchange and TLS 1.3 CertificateVerify with.
 * Results without the enumeration (older reports) have no list and are not judged on it.
 */
function checkSignatureSchemes(p: ProtocolResult, f: Findings): void {
  if (p.signatureSchemes === undefined) return;
  const { id } = f.policy;
  for (const use of p.signatureSchemes) {
    const item = describeItem('scheme', use.scheme);
    const disposition = signatureSchemeDisposition(f.policy, use.scheme);
    if (disposition === 'deny') f.violation('signature-scheme', p.protocol, item, `${p.protocol} signs its handshake with ${item}: ${id} does not allow this signature scheme.`);
    else if (disposition === 'warn') f.warning('signature-scheme', p.protocol, item, `${p.protocol} signs its handshake with ${item}: ${id} allows this signature scheme only with a warning.`);
  }
  if (protocolDisposition(f.policy, p.protocol) === 'deny') return;
  for (const scheme of p.inconclusiveSignatureSchemes ?? []) {
    if (signatureSchemeDisposition(f.policy, scheme) !== 'deny') continue;
    const item = describeItem('scheme', scheme);
    f.unproven(p.protocol, item, `Could not tell whether ${p.protocol} signs with ${item}; ${id} does not allow it.`, 'EUNPROVEN_ITEM');
  }
  if (p.signatureSchemesComplete === false && (p.inconclusiveSignatureSchemes ?? []).length === 0) {
    f.unproven(p.protocol, `${p.protocol} signature schemes`, `The list of signature schemes ${p.protocol} signs with is not proven complete.`, 'EUNPROVEN_LIST');
  }
}

function checkFeatures(result: ScanResult, f: Findings): void {
  const { id, require } = f.policy;
  const offered = (name: ProtocolName): boolean | null => result.protocols.find((p) => p.protocol === name)?.offered ?? null;

  const tls12Judged = offered('TLSv1.2') === true && protocolDisposition(f.policy, 'TLSv1.2') !== 'deny';
  if (require.extendedMasterSecret !== 'off' && tls12Judged) {
    const { supported, required } = result.features.extendedMasterSecret;
    const ask = require.extendedMasterSecret === 'required' ? 'requires every TLS 1.2 handshake to use it' : 'requires the server to support it';
    if (supported === false) {
      f.violation('ems', 'TLSv1.2', 'extended_master_secret', `TLSv1.2 does not support extended_master_secret (RFC 7627): ${id} ${ask}.`);
    } else if (supported === null) {
      f.unproven('TLSv1.2', 'extended_master_secret', `Could not tell whether TLSv1.2 supports extended_master_secret; ${id} ${ask}.`, 'EUNPROVEN_FEATURE');
    } else if (require.extendedMasterSecret === 'required' && required === false) {
      f.violation('ems', 'TLSv1.2', 'extended_master_secret', `TLSv1.2 completes handshakes without extended_master_secret: ${id} ${ask} (FIPS 140-3 IG D.Q).`);
    } else if (require.extendedMasterSecret === 'required' && required === null) {
      f.unproven('TLSv1.2', 'extended_master_secret', `Could not tell whether TLSv1.2 refuses handshakes without extended_master_secret; ${id} ${ask}.`, 'EUNPROVEN_FEATURE');
    }
  }

  const legacyOffered = LEGACY_TLS.some((p) => offered(p) === true);
  if (require.secureRenegotiation && legacyOffered) {
    if (result.features.secureRenegotiation === false) {
      f.violation('renegotiation', null, 'renegotiation_info', `The server does not support secure renegotiation (RFC 5746 renegotiation_info): ${id} requires it.`);
    } else if (result.features.secureRenegotiation === null) {
      f.unproven(null, 'renegotiation_info', `Could not tell whether the server supports secure renegotiation (RFC 5746); ${id} requires it.`, 'EUNPROVEN_FEATURE');
    }
  }

  // TLS 1.3 offered null is already inconclusive as a protocol.
  if (require.tls13 && offered('TLSv1.3') === false) {
    f.violation('tls13-required', 'TLSv1.3', 'TLSv1.3', `The server does not offer TLSv1.3: ${id} requires it.`);
  }
}
