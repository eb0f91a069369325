/**
 * `fipscan scan --inspect-local`, run inside a pod: the pod's own listening TCP ports become
 * targets (each on the loopback address it can be reached at), and once they are scanned, the
 * processes holding them are inspected and each process with its ports is judged as one
 * workload. A port that answers in another protocol (a metrics or admin port speaking HTTP) is
 * left out of the report's endpoints and listed in its workload as not TLS.
 */
import { parseTarget, type Endpoint } from '../index.js';
import { combineWorkloads, discoverListeners, inspectProcess, scanTarget, workloadPids, type EndpointOutcome, type Listener, type Workload } from '../inspect/index.js';
import type { Verdict } from '../policy/index.js';
import type { ScanResult } from '../probe/types.js';

export class LocalWorkloads {
  readonly listeners: Listener[];
  /** One endpoint per distinct scan target (a socket bound on 0.0.0.0 and one on 127.0.0.1 are one target). */
  readonly endpoints: Endpoint[];
  private readonly targets: Set<string>;
  private readonly outcomes = new Map<string, EndpointOutcome>();

  /** The listeners under `root` (default `/`: this process's network namespace). */
  constructor(root = '/') {
    this.listeners = discoverListeners(root);
    this.targets = new Set(this.listeners.map(scanTarget));
    this.endpoints = [...this.targets].map(parseTarget);
  }

  /**
   * Records a scanned endpoint's outcome when it is one of the pod's ports. Returns false when
   * the port speaks another protocol: the endpoint is then not part of the scan report.
   */
  record(result: ScanResult, verdict: Verdict): boolean {
    if (!this.targets.has(result.target)) return true;
    if (result.error?.code === 'EOTHER_PROTOCOL') {
      this.outcomes.set(result.target, { verdict: 'not-tls', note: result.error.protocol ?? null });
      return false;
    }
    this.outcomes.set(result.target, { verdict, note: verdict === 'error' ? (result.error?.code ?? null) : null });
    return true;
  }

  /** Inspects each owning process (once) and combines everything into workloads. */
  workloads(root = '/'): Workload[] {
    const processes = new Map(workloadPids(this.listeners).map((pid) => [pid, inspectProcess(pid, { root })]));
    return combineWorkloads(this.listeners, this.outcomes, processes);
  }
}
