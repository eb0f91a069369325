/**
 * One combined verdict per workload for `scan --inspect-local`: the pod's listening endpoints
 * grouped by the process that owns them, each group judged on both halves of "is this FIPS?"
 * (the scan verdicts of its TLS endpoints and the inspection of its process). Pure: the caller
 * runs the scans and the inspections and hands in their verdicts.
 */
import { subjectVerdict, type Subject, type SubjectVerdict } from './checks.js';
import { scanTarget, type Listener } from './listeners.js';

export interface WorkloadEndpoint {
  target: string;
  /** The scan's policy verdict for this endpoint. */
  verdict: SubjectVerdict;
}

export interface Workload {
  /** The owning process, or null for sockets whose owner could not be seen. */
  pid: number | null;
  process: Subject | null;
  endpoints: WorkloadEndpoint[];
  /** fail if any endpoint or check failed; else error if anything could not be judged; else pass. */
  verdict: SubjectVerdict;
}

/** The processes to inspect for these listeners: each owning pid once, in port order. */
export function workloadPids(listeners: readonly Listener[]): number[] {
  return [...new Set(listeners.map((l) => l.pids[0]).filter((p): p is number => p !== undefined))];
}

/**
 * Groups listeners by owning process (the first pid holding the socket) and combines the
 * endpoint verdicts (keyed by `scanTarget(listener)`) with each process's inspection.
 * A listener whose endpoint has no verdict counts as error: it was not scanned.
 */
export function combineWorkloads(listeners: readonly Listener[], endpointVerdicts: ReadonlyMap<string, SubjectVerdict>, processes: ReadonlyMap<number, Subject>): Workload[] {
  const groups = new Map<number | null, Workload>();
  for (const listener of listeners) {
    const pid = listener.pids[0] ?? null;
    const group = groups.get(pid) ?? { pid, process: pid === null ? null : (processes.get(pid) ?? null), endpoints: [], verdict: 'pass' };
    const target = scanTarget(listener);
    group.endpoints.push({ target, verdict: endpointVerdicts.get(target) ?? 'error' });
    groups.set(pid, group);
  }
  for (const group of groups.values()) {
    const verdicts = [...group.endpoints.map((e) => e.verdict), group.process ? subjectVerdict(group.process) : 'error'];
    group.verdict = verdicts.includes('fail') ? 'fail' : verdicts.includes('error') ? 'error' : 'pass';
  }
  return [...groups.values()];
}
