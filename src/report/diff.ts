/**
 * What drifted between two fipscan/v1 reports of the same fleet (`fipscan diff`): per endpoint
 * (matched by host:port, as merge matches them) the protocol versions newly offered, withdrawn
 * or now inconclusive, cipher suites added and removed per protocol, groups added and removed,
 * SSH algorithms added and removed per category (diffSsh.ts), a port that changed from TLS to
 * SSH or back, the verdict, and violations new and resolved (keyed by rule, protocol and item,
 * so a reworded message is not a new violation). Endpoints that appeared or vanished are listed
 * too. The diff is "newly violating" when it holds a new violation or a verdict that became
 * fail: the condition `fipscan diff` exits 1 on. Pure data; diffText.ts prints it.
 */
import type { ProtocolName, ScanError, Tri } from '../model/scan.js';
import type { Verdict } from '../model/verdict.js';
import { sshDrift, type SshAlgorithmChanges } from './diffSsh.js';
import type { JsonDocument, JsonEndpoint, JsonViolation } from './json.js';
import { endpointKey } from './merge.js';

export const DIFF_SCHEMA_ID = 'fipscan-diff/v1';

/** A suite or group: its id (0x...) and IANA name (null when fipscan does not know it). */
export interface DiffItem {
  id: string;
  name: string | null;
}

export interface SuiteChanges {
  protocol: ProtocolName;
  added: DiffItem[];
  removed: DiffItem[];
}

export interface EndpointDiff {
  target: string;
  change: 'appeared' | 'vanished' | 'changed';
  /** Verdicts in the old and new report; null where the endpoint is absent. */
  verdict: { before: Verdict | null; after: Verdict | null };
  /** Why the new scan could not judge the endpoint, when it could not. */
  error: ScanError | null;
  /** Findings are compared only when both scans reached the endpoint (else these are empty). */
  compared: boolean;
  protocols: {
    /** Offered now, and not before (refused or inconclusive). */
    offered: ProtocolName[];
    /** Offered before, proven refused now. */
    withdrawn: ProtocolName[];
    /** Proven either way before, inconclusive now. */
    inconclusive: ProtocolName[];
  };
  /** Per protocol the new scan found offered: suites accepted now and not before, and the reverse. */
  suites: SuiteChanges[];
  groups: { added: DiffItem[]; removed: DiffItem[] };
  /** The port answers in another protocol than before (TLS to SSH, or back); null when not. */
  service: { before: Service; after: Service } | null;
  /** SSH endpoints whose offer both scans read: names added and removed per KEXINIT category. */
  sshAlgorithms: SshAlgorithmChanges[];
  newViolations: JsonViolation[];
  resolvedViolations: JsonViolation[];
  /** A new violation, or the verdict became fail. */
  newlyViolating: boolean;
}

export interface ReportDiff {
  schema: typeof DIFF_SCHEMA_ID;
  before: { startedAt: string; policy: { id: string; version: string } };
  after: { startedAt: string; policy: { id: string; version: string } };
  newlyViolating: boolean;
  summary: { changed: number; appeared: number; vanished: number; unchanged: number; newViolations: number; resolvedViolations: number };
  /** Endpoints that changed, appeared or vanished, in the new report's order, then the vanished ones. */
  endpoints: EndpointDiff[];
}

type Service = 'tls' | 'ssh';

function serviceOf(e: JsonEndpoint): Service {
  return e.service ?? 'tls';
}

function violationKey(v: JsonViolation): string {
  return JSON.stringify([v.rule, v.protocol, v.item]);
}

/** Items of `a` whose id `b` lacks. */
function minus(a: readonly DiffItem[], b: readonly DiffItem[]): DiffItem[] {
  const ids = new Set(b.map((x) => x.id));
  return a.filter((x) => !ids.has(x.id)).map((x) => ({ id: x.id, name: x.name }));
}

/** Violations of `a` whose rule, protocol and item `b` lacks. */
function newIn(a: readonly JsonViolation[], b: readonly JsonViolation[]): JsonViolation[] {
  const keys = new Set(b.map(violationKey));
  const seen = new Set<string>();
  return a.filter((v) => {
    const key = violationKey(v);
    if (keys.has(key) || seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

/** The scan reached the endpoint: no error, or only "could not prove everything". */
function reached(e: JsonEndpoint): boolean {
  return e.error === null || e.error.code === 'EINCONCLUSIVE';
}

function offeredOf(e: JsonEndpoint, name: ProtocolName): Tri {
  return e.protocols.find((p) => p.name === name)?.offered ?? null;
}

function suitesOf(e: JsonEndpoint, name: ProtocolName): DiffItem[] {
  return (e.protocols.find((p) => p.name === name)?.ciphers ?? []).map((c) => ({ id: c.id, name: c.iana ?? c.openssl }));
}

function groupsOf(e: JsonEndpoint): DiffItem[] {
  return e.groups.map((g) => ({ id: g.id, name: g.name }));
}

function empty(target: string, change: EndpointDiff['change'], before: JsonEndpoint | undefined, after: JsonEndpoint | undefined): EndpointDiff {
  return {
    target,
    change,
    verdict: { before: before?.verdict ?? null, after: after?.verdict ?? null },
    error: after?.error ?? null,
    compared: false,
    protocols: { offered: [], withdrawn: [], inconclusive: [] },
    suites: [],
    groups: { added: [], removed: [] },
    service: null,
    sshAlgorithms: [],
    newViolations: [],
    resolvedViolations: [],
    newlyViolating: false,
  };
}

/** The endpoint's drift, or null when nothing the diff looks at changed. */
function endpointDiff(before: JsonEndpoint, after: JsonEndpoint): EndpointDiff | null {
  const d = empty(after.target, 'changed', before, after);
  if (reached(before) && reached(after)) {
    d.compared = true;
    for (const p of after.protocols) {
      const [was, now] = [offeredOf(before, p.name), p.offered];
      if (now === true && was !== true) d.protocols.offered.push(p.name);
      else if (now === false && was === true) d.protocols.withdrawn.push(p.name);
      else if (now === null && was !== null) d.protocols.inconclusive.push(p.name);
      if (now !== true) continue;
      const [old, current] = [suitesOf(before, p.name), suitesOf(after, p.name)];
      const added = minus(current, old);
      const removed = minus(old, current);
      if (added.length + removed.length > 0) d.suites.push({ protocol: p.name, added, removed });
    }
    d.groups = { added: minus(groupsOf(after), groupsOf(before)), removed: minus(groupsOf(before), groupsOf(after)) };
    if (before.ssh && after.ssh) d.sshAlgorithms = sshDrift(before.ssh, after.ssh);
  }
  if (serviceOf(before) !== serviceOf(after)) d.service = { before: serviceOf(before), after: serviceOf(after) };
  d.newViolations = newIn(after.violations, before.violations);
  d.resolvedViolations = newIn(before.violations, after.violations);
  d.newlyViolating = d.newViolations.length > 0 || (after.verdict === 'fail' && before.verdict !== 'fail');
  const changed =
    before.verdict !== after.verdict ||
    d.protocols.offered.length + d.protocols.withdrawn.length + d.protocols.inconclusive.length > 0 ||
    d.suites.length > 0 ||
    d.groups.added.length + d.groups.removed.length > 0 ||
    d.service !== null ||
    d.sshAlgorithms.length > 0 ||
    d.newViolations.length + d.resolvedViolations.length > 0;
  return changed ? d : null;
}

/** What drifted from report `before` to report `after`. */
export function diffReports(before: JsonDocument, after: JsonDocument): ReportDiff {
  const old = new Map<string, JsonEndpoint>();
  for (const e of before.endpoints) if (!old.has(endpointKey(e))) old.set(endpointKey(e), e);
  const current = new Set<string>();
  const endpoints: EndpointDiff[] = [];
  let unchanged = 0;
  for (const e of after.endpoints) {
    const key = endpointKey(e);
    if (current.has(key)) continue;
    current.add(key);
    const was = old.get(key);
    if (was === undefined) {
      const d = empty(e.target, 'appeared', undefined, e);
      d.newViolations = newIn(e.violations, []);
      d.newlyViolating = d.newViolations.length > 0 || e.verdict === 'fail';
      endpoints.push(d);
      continue;
    }
    const d = endpointDiff(was, e);
    if (d === null) unchanged++;
    else endpoints.push(d);
  }
  for (const [key, e] of old) if (!current.has(key)) endpoints.push(empty(e.target, 'vanished', e, undefined));
  const count = (change: EndpointDiff['change']) => endpoints.filter((d) => d.change === change).length;
  return {
    schema: DIFF_SCHEMA_ID,
    before: { startedAt: before.startedAt, policy: { id: before.policy.id, version: before.policy.version } },
    after: { startedAt: after.startedAt, policy: { id: after.policy.id, version: after.policy.version } },
    newlyViolating: endpoints.some((d) => d.newlyViolating),
    summary: {
      changed: count('changed'),
      appeared: count('appeared'),
      vanished: count('vanished'),
      unchanged,
      newViolations: endpoints.reduce((n, d) => n + d.newViolations.length, 0),
      resolvedViolations: endpoints.reduce((n, d) => n + d.resolvedViolations.length, 0),
    },
    endpoints,
  };
}
