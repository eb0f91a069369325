/**
 * The connection budget of one endpoint, from the scan's own findings (a fipscan/v1 JSON
 * endpoint), as issue 19 states it and as proposed here, each term named and each step of the
 * sweep given its share, so that every connection beyond it has a name.
 *
 * Issue 19: 6 + S + G + P + 2. Six versions (SSLv2 to TLS 1.3) each cost one refusal that ends
 * their suite step; S accepted suites one pick each; G accepted (group, version) pairs one pick
 * each; P offered versions one refusal that ends their group step; 2 for the extended-master-secret
 * probe and the node:tls handshake.
 *
 * Proposed: 6 + S + G + P + 2 + O + C + F + Σ12 + Σ13 + T, paying for the steps the sweep has
 * grown since, each as it costs on a server that answers plainly:
 * - O server order: per offered version, one reversed hello when it has two suites or more, and
 *   one when its group order is asked (two groups or more; TLS <= 1.2 ECDHE groups not pinned by
 *   an ECDSA certificate's curve); none where the enumeration's picks already showed the order
 *   (the budget is not lowered for that: a server's preference decides it);
 * - C SRP/ECCPWD hello: one per TLS 1.0-1.2 version that answered and was not refused as a version
 *   (protocol_version) or in a lower one;
 * - F RFC 7919 groups: per offered TLS <= 1.2 version with DHE suites, the refusal that ends that
 *   step (its picks are in G);
 * - Σ12 TLS 1.2 signature schemes: per certificate type behind (EC)DHE suites, one pick per
 *   scheme and one refusal, less the scheme the suite step's ServerKeyExchange already named:
 *   the number of TLS 1.2 schemes found;
 * - Σ13 TLS 1.3 signature schemes: one full flight per scheme and one refusal;
 * - T plaintext check: one connection per TLS port.
 * Everything else (a rung of the fallback ladder, a retry, a control hello, order recovery, the
 * real key-share check, the stalled-port check) is beyond the proposed budget, named by step.
 */
import { IN_BUDGET, type StepCount } from './probeSteps.js';

/** The parts of a fipscan/v1 JSON endpoint the budget reads. */
export interface ReportEndpoint {
  port: number;
  probes: number;
  durationMs: number;
  protocols: {
    name: string;
    offered: boolean | null;
    reason?: string;
    reasonCode?: string;
    serverOrder?: boolean | null;
    ciphers: { id: string; iana: string | null }[];
    signatureSchemes?: unknown[];
    workarounds?: string[];
  }[];
  groups: { id: string; name: string; protocols: string[] }[];
}

type Protocol = ReportEndpoint['protocols'][number];

export interface Budgets {
  /** Issue 19: 6 + S + G + P + 2. */
  issue: number;
  suites: number;
  groups: number;
  protocols: number;
  /** The proposed budget and its added terms. */
  proposed: number;
  terms: { order: number; clientSecret: number; ffdhe: number; signatures12: number; signatures13: number; plaintext: number };
  /** Each step's share of the proposed budget, keyed by stepKey(step, protocol). */
  perStep: Map<string, number>;
}

const CLIENT_SECRET_VERSIONS = new Set(['TLSv1.0', 'TLSv1.1', 'TLSv1.2']);
const PROTOCOL_VERSION_ALERT = 70;

/** The key of a step's share: the step's name as bench/probeSteps.ts gives it, and the version. */
export function stepKey(step: string, protocol: string): string {
  return `${step}\0${protocol}`;
}

/** Steps whose connections share one budget line per version (TLS 1.3 finds suites and groups together; TLS <= 1.2 groups by two steps). */
function shareOf(step: string, protocol: string): string {
  if (protocol === 'TLSv1.3' && (step === 'suites' || step === 'groups' || step === 'groups (TLS 1.3)')) return stepKey('suites and groups', protocol);
  if (step === 'ECDHE groups' || step === 'RFC 7919 groups (DHE)') return stepKey('groups', protocol);
  return stepKey(step, protocol);
}

function groupsIn(e: ReportEndpoint, version: string): ReportEndpoint['groups'] {
  return e.groups.filter((g) => g.protocols.includes(version));
}

const isDhe = (c: { iana: string | null }): boolean => /^TLS_(?:DHE|DH_anon)_/.test(c.iana ?? '');
const isEcdhe = (c: { iana: string | null }): boolean => /^TLS_(?:ECDHE|ECDH_anon)_/.test(c.iana ?? '');

/** Whether the version's group order is asked: TLS 1.3 with two groups, TLS <= 1.2 with two ECDHE groups and an RSA-signed ECDHE suite. */
function groupOrderAsked(e: ReportEndpoint, p: Protocol): boolean {
  const groups = groupsIn(e, p.name).filter((g) => p.name === 'TLSv1.3' || !g.name.startsWith('ffdhe'));
  if (groups.length < 2) return false;
  return p.name === 'TLSv1.3' || p.ciphers.some((c) => isEcdhe(c) && !/_ECDSA_/.test(c.iana ?? ''));
}

/** Whether the SRP/ECCPWD hello is sent for this version: it answered, and not with protocol_version or a lower version. */
function clientSecretAsked(p: Protocol): boolean {
  if (!CLIENT_SECRET_VERSIONS.has(p.name)) return false;
  if (p.offered === true) return true;
  const alert = Number(/\(alert (\d+)\)/.exec(p.reason ?? '')?.[1] ?? NaN);
  return p.offered === false && p.reasonCode === 'REFUSED_ALERT' && alert !== PROTOCOL_VERSION_ALERT;
}

/** One version's shares of the budget, added into `perStep`; returns its proposed terms. */
function versionShares(e: ReportEndpoint, p: Protocol, perStep: Map<string, number>): Budgets['terms'] {
  const terms = { order: 0, clientSecret: 0, ffdhe: 0, signatures12: 0, signatures13: 0, plaintext: 0 };
  const add = (step: string, n: number): void => {
    if (n > 0) perStep.set(shareOf(step, p.name), (perStep.get(shareOf(step, p.name)) ?? 0) + n);
  };
  if (p.name === 'SSLv2') add('SSLv2 hello', 1);
  else add('suites', 1 + (p.offered === true ? p.ciphers.length : 0));
  if (clientSecretAsked(p)) add('SRP/ECCPWD suites hello', (terms.clientSecret = 1));
  if (p.offered !== true || p.name === 'SSLv2') return terms;
  const schemes = p.signatureSchemes?.length ?? 0;
  add('groups', groupsIn(e, p.name).length + 1);
  terms.order = (p.ciphers.length >= 2 ? 1 : 0) + (groupOrderAsked(e, p) ? 1 : 0);
  add('server order', terms.order);
  if (p.name !== 'TLSv1.3' && p.ciphers.some(isDhe)) add('groups', (terms.ffdhe = 1));
  if (p.name === 'TLSv1.2') add('signature schemes (TLS 1.2)', (terms.signatures12 = schemes));
  if (p.name === 'TLSv1.3') add('signature schemes (TLS 1.3 flights)', (terms.signatures13 = schemes + 1));
  return terms;
}

/** The issue's budget and the proposed one for an endpoint, with each step's share. */
export function budgets(e: ReportEndpoint): Budgets {
  const offered = e.protocols.filter((p) => p.offered === true);
  const suites = e.protocols.filter((p) => p.name !== 'SSLv2').reduce((n, p) => n + p.ciphers.length, 0);
  const pairs = e.groups.reduce((n, g) => n + g.protocols.length, 0);
  const issue = 6 + suites + pairs + offered.length + 2;
  const perStep = new Map<string, number>();
  const terms = { order: 0, clientSecret: 0, ffdhe: 0, signatures12: 0, signatures13: 0, plaintext: 1 };
  for (const p of e.protocols) {
    const t = versionShares(e, p, perStep);
    for (const k of Object.keys(t) as (keyof typeof t)[]) terms[k] += t[k];
  }
  perStep.set(stepKey('extended master secret required', 'TLSv1.2'), 1);
  for (const step of ['node:tls handshake', 'plaintext check']) perStep.set(stepKey(step, 'TLS'), 1);
  const added = terms.order + terms.clientSecret + terms.ffdhe + terms.signatures12 + terms.signatures13 + terms.plaintext;
  return { issue, suites, groups: pairs, protocols: offered.length, proposed: issue + added, terms, perStep };
}

/** A step's connections beyond its share of the proposed budget. */
export interface Overrun {
  share: string;
  protocol: string;
  used: number;
  budget: number;
  /** The version's fallback rungs, which explain most overruns of its suite and group steps. */
  workarounds: string[];
}

/** Every step (by its budget share) that used more connections than its share; steps with no share at all have a budget of 0. */
export function overruns(e: ReportEndpoint, b: Budgets, steps: readonly StepCount[]): Overrun[] {
  const used = new Map<string, number>();
  for (const s of steps) {
    const key = s.step.endsWith(': control hello') ? stepKey(s.step, s.protocol) : shareOf(s.step, s.protocol);
    used.set(key, (used.get(key) ?? 0) + s.probes);
  }
  const out: Overrun[] = [];
  for (const [key, n] of used) {
    const budget = b.perStep.get(key) ?? 0;
    if (n <= budget) continue;
    const [share, protocol] = key.split('\0') as [string, string];
    out.push({ share, protocol, used: n, budget, workarounds: e.protocols.find((p) => p.name === protocol)?.workarounds ?? [] });
  }
  return out;
}

/** "suites TLSv1.0 5 for 1 (+4: no-optional-extensions, ...)" for each overrun. */
export function describeOverruns(list: readonly Overrun[]): string {
  return list
    .map((o) => `${o.share}${o.protocol === 'TLS' ? '' : ` ${o.protocol}`} ${o.used} for ${o.budget} (+${o.used - o.budget}${o.workarounds.length > 0 ? `: ${o.workarounds.join(', ')}` : ''})`)
    .join('; ');
}

/** The proposed formula with this endpoint's numbers. */
export function describeBudget(b: Budgets): string {
  const t = b.terms;
  return `6 + S ${b.suites} + G ${b.groups} + P ${b.protocols} + 2 = ${b.issue}; + O ${t.order} + C ${t.clientSecret} + F ${t.ffdhe} + Σ12 ${t.signatures12} + Σ13 ${t.signatures13} + T ${t.plaintext} = ${b.proposed}`;
}

export interface Beyond {
  /** Probes of the steps the issue's budget pays for. */
  inBudgetSteps: number;
  /** budget - inBudgetSteps: negative when those steps alone overran it (retries, ladder rungs, a version refused in several hellos). */
  slack: number;
  /** Every probe of a step the budget does not pay for, by step and version. */
  outside: StepCount[];
  /** Repeated hellos (retries, rungs) inside the budgeted steps. */
  repeats: number;
}

export function beyond(steps: readonly StepCount[], issueBudget: number): Beyond {
  const inside = steps.filter((s) => IN_BUDGET.has(s.step));
  const inBudgetSteps = inside.reduce((n, s) => n + s.probes, 0);
  return {
    inBudgetSteps,
    slack: issueBudget - inBudgetSteps,
    outside: steps.filter((s) => !IN_BUDGET.has(s.step)),
    repeats: inside.reduce((n, s) => n + s.repeats, 0),
  };
}

/** "server order 4 (TLSv1.2 2, TLSv1.3 2), ..." with versions folded per step. */
export function describeSteps(steps: readonly StepCount[]): string {
  const byStep = new Map<string, StepCount[]>();
  for (const s of steps) byStep.set(s.step, [...(byStep.get(s.step) ?? []), s]);
  return [...byStep]
    .map(([step, list]) => {
      const total = list.reduce((n, s) => n + s.probes, 0);
      const versions = list.length > 1 || list[0]!.protocol === 'TLS' ? '' : ` ${list[0]!.protocol}`;
      const split = list.length > 1 ? ` (${list.map((s) => `${s.protocol} ${s.probes}`).join(', ')})` : '';
      return `${step}${versions} ${total}${split}`;
    })
    .join('; ');
}
