/**
 * One combined verdict per workload for `scan --inspect-local`: the pod's listening endpoints
 * grouped by the process that owns them, each group judged on both halves of "is this FIPS?"
 * (the scan verdicts of its TLS endpoints and the inspection of its process). Ports that speak
 * another protocol (a metrics or admin port answering in HTTP) are listed but judge nothing: a
 * workload with no TLS port at all is n/a. Pure: the caller runs the scans and the inspections
 * and hands in their outcomes.
 */
import { subjectVerdict, type Subject } from '../model/inspect.js';
import type { EndpointOutcome, Workload } from '../model/workload.js';
import { scanTarget, type Listener } from './listeners.js';

/** The processes to inspect for these listeners: each owning pid once, in port order. */
export function workloadPids(listeners: readonly Listener[]): number[] {
  return [...new Set(listeners.map((l) => l.pids[0]).filter((p): p is number => p !== undefined))];
}

const NOT_VISIBLE =
  'the process holding these sockets is not visible from here: another container of the pod (without shareProcessNamespace; ' +
  'use kubectl debug --target=<container>), or another user (needs CAP_SYS_PTRACE)';

/**
 * Groups listeners by owning process (the first pid holding the socket) and combines the
 * endpoint outcomes (keyed by `scanTarget(listener)`) with each process's inspection.
 * A listener whose endpoint has no outcome counts as error: it was not scanned.
 */
export function combineWorkloads(listeners: readonly Listener[], outcomes: ReadonlyMap<string, EndpointOutcome>, processes: ReadonlyMap<number, Subject>): Workload[] {
  const groups = new Map<number | null, Workload>();
  for (const listener of listeners) {
    const pid = listener.pids[0] ?? null;
    const group = groups.get(pid) ?? { pid, process: pid === null ? null : (processes.get(pid) ?? null), uids: [], endpoints: [], verdict: 'pass', error: null };
    const target = scanTarget(listener);
    const outcome = outcomes.get(target) ?? { verdict: 'error', note: 'ENOTSCANNED' };
    group.endpoints.push({ target, verdict: outcome.verdict, note: outcome.note });
    if (pid === null && !group.uids.includes(listener.uid)) group.uids.push(listener.uid);
    groups.set(pid, group);
  }
  for (const group of groups.values()) {
    const tls = group.endpoints.flatMap((e) => (e.verdict === 'not-tls' ? [] : [e.verdict]));
    if (group.pid === null) group.error = `${NOT_VISIBLE}; socket owner uid ${group.uids.join(', ')}`;
    else if (group.process === null) group.error = `pid ${group.pid} was not inspected`;
    else if (group.process.error) group.error = group.process.error.message;
    if (tls.length === 0) {
      group.verdict = 'n/a';
      continue;
    }
    const verdicts = [...tls, group.process ? subjectVerdict(group.process) : 'error'];
    group.verdict = verdicts.includes('fail') ? 'fail' : verdicts.includes('error') ? 'error' : 'pass';
  }
  return [...groups.values()];
}
