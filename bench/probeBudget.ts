/**
 * The connection budget of issue 19, per endpoint, from the scan's own findings (a fipscan/v1
 * JSON endpoint): 6 + accepted suites + groups + offered protocols + 2, where groups counts
 * each (group, version) pair. Beside it, a proposed budget that also pays for the steps the
 * sweep has grown since (each term as the step costs on a well-behaved server):
 * - server order: one probe per offered version with two or more suites, and one per version
 *   with two or more groups;
 * - SRP/ECCPWD suites: one hello per offered version from TLS 1.0 to 1.2;
 * - RFC 7919 groups: per version below TLS 1.3 with DHE suites, one per ffdhe group taken + 1;
 * - signature schemes, TLS 1.2: per certificate type behind (EC)DHE suites, the schemes it signs
 *   with + 1 refusal (schemes the suite steps already saw are free, so this is an upper bound);
 * - signature schemes, TLS 1.3: the schemes + 1 refusal (full flights).
 * `beyond` names what a scan spent outside the issue's budget, from probeSteps.ts's step counts.
 */
import { IN_BUDGET, type StepCount } from './probeSteps.js';

/** The parts of a fipscan/v1 endpoint the budget reads. */
export interface ReportEndpoint {
  port: number;
  probes: number;
  durationMs: number;
  protocols: { name: string; offered: boolean | null; ciphers: { id: string; iana: string | null }[]; signatureSchemes?: unknown[] }[];
  groups: { id: string; name: string; protocols: string[] }[];
}

const LEGACY_WITH_SRP = new Set(['TLSv1.0', 'TLSv1.1', 'TLSv1.2']);

export interface Budgets {
  /** Issue 19: 6 + suites + groups + protocols + 2. */
  issue: number;
  suites: number;
  groups: number;
  protocols: number;
  /** The proposed budget and its added terms. */
  proposed: number;
  terms: { order: number; srp: number; ffdhe: number; signatures12: number; signatures13: number };
}

function authOf(iana: string | null): string | null {
  return /^TLS_(?:ECDHE|DHE)_(RSA|ECDSA|DSS)_/.exec(iana ?? '')?.[1] ?? null;
}

export function budgets(e: ReportEndpoint): Budgets {
  const tls = e.protocols.filter((p) => p.name !== 'SSLv2');
  const offered = e.protocols.filter((p) => p.offered === true);
  const suites = tls.reduce((n, p) => n + p.ciphers.length, 0);
  const pairs = e.groups.reduce((n, g) => n + g.protocols.length, 0);
  const groupsIn = (version: string) => e.groups.filter((g) => g.protocols.includes(version));
  const issue = 6 + suites + pairs + offered.length + 2;
  let order = 0;
  let srp = 0;
  let ffdhe = 0;
  let signatures12 = 0;
  let signatures13 = 0;
  for (const p of offered) {
    if (p.ciphers.length >= 2) order++;
    const ecGroups = groupsIn(p.name).filter((g) => !g.name.startsWith('ffdhe') || p.name === 'TLSv1.3');
    if (ecGroups.length >= 2) order++;
    if (LEGACY_WITH_SRP.has(p.name)) srp++;
    if (p.name !== 'TLSv1.3' && p.ciphers.some((c) => /^TLS_(?:DHE|DH_anon)_/.test(c.iana ?? ''))) {
      ffdhe += groupsIn(p.name).filter((g) => g.name.startsWith('ffdhe')).length + 1;
    }
    const schemes = p.signatureSchemes?.length ?? 0;
    if (p.name === 'TLSv1.2') signatures12 += schemes + new Set(p.ciphers.map((c) => authOf(c.iana)).filter((a) => a !== null)).size;
    if (p.name === 'TLSv1.3') signatures13 += schemes + 1;
  }
  const terms = { order, srp, ffdhe, signatures12, signatures13 };
  return { issue, suites, groups: pairs, protocols: offered.length, proposed: issue + order + srp + ffdhe + signatures12 + signatures13, terms };
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
