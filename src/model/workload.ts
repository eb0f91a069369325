/**
 * The result model of `scan --inspect-local`: one combined verdict per workload, its endpoints'
 * scan outcomes beside the inspection of the process that owns them.
 */
import type { Subject, SubjectVerdict } from './inspect.js';

/** A scanned port: its policy verdict, or `not-tls` when it answered in another protocol. */
export interface EndpointOutcome {
  verdict: SubjectVerdict | 'not-tls';
  /** For `not-tls`: what it speaks (`HTTP`); for `error`: the error code. */
  note: string | null;
}

export interface WorkloadEndpoint extends EndpointOutcome {
  target: string;
}

export type WorkloadVerdict = SubjectVerdict | 'n/a';

export interface Workload {
  /** The owning process, or null for sockets whose owner could not be seen. */
  pid: number | null;
  process: Subject | null;
  /** Socket owners' uids, for sockets whose process could not be seen. */
  uids: number[];
  endpoints: WorkloadEndpoint[];
  /**
   * n/a when no port speaks TLS; else fail if any TLS endpoint or process check failed; else
   * error if anything could not be judged (an endpoint, or a process not visible); else pass.
   */
  verdict: WorkloadVerdict;
  /** Why the workload could not be judged completely, or null. */
  error: string | null;
  /** The pod (namespace/name) it runs in, when known. */
  pod?: string;
}
