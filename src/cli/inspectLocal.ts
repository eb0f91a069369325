/**
 * `fipscan scan --inspect-local`, run inside a pod: the pod's own listening TCP ports become
 * targets (each on the loopback address it can be reached at), and once they are scanned, the
 * processes holding them are inspected and each process with its ports is judged as one
 * workload. A port that answers in another protocol (a metrics or admin port speaking HTTP) is
 * left out of the report's endpoints and listed in its workload as not TLS, unless that protocol
 * upgrades (SMTP, IMAP, POP3, FTP, MySQL): the port is then scanned again through STARTTLS, and
 * stays not TLS only when the server does not offer the upgrade. With --require-tls such a port
 * fails instead (and stays in the report), unless it listens on loopback only: nothing outside
 * the pod reaches it (Envoy's admin port, 127.0.0.1:15000).
 *
 * Every result and workload carries the pod it came from (`podIdentity`), so that the reports
 * of many pods, each with its own 127.0.0.1:PORT, merge without colliding.
 */
import { readFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { parseTarget, type Endpoint } from '../index.js';
import { combineWorkloads, discoverListeners, inspectProcess, scanTarget, workloadPids, type Listener } from '../inspect/index.js';
import type { EndpointOutcome, Verdict, Workload } from '../model/index.js';
import { STARTTLS_UPGRADES } from '../probe/starttls.js';
import type { StarttlsProtocol } from '../probe/starttls.js';
import type { ScanResult } from '../model/scan.js';

/**
 * The STARTTLS dialogue to scan one of the pod's ports with, when its plain scan found it
 * greeting in a protocol that can upgrade (a mail server's 25, 143, 110): the pod's TLS is
 * judged there too. null for anything else, and for targets that are not the pod's own.
 */
export function upgradeFor(local: LocalWorkloads, result: ScanResult): StarttlsProtocol | null {
  if (!local.owns(result.target) || result.error?.code !== 'EOTHER_PROTOCOL') return null;
  return STARTTLS_UPGRADES.get(result.error.protocol ?? '') ?? null;
}

/** Where a pod's service account namespace is mounted (Kubernetes: projected service account token volume). */
const NAMESPACE_FILE = 'var/run/secrets/kubernetes.io/serviceaccount/namespace';

/**
 * The pod this runs in, as `namespace/name`: POD_NAMESPACE and POD_NAME from the downward API
 * (deploy/ sets them), else HOSTNAME (a pod's name by default) with the service account's
 * namespace file, else the host name alone.
 */
function podIdentity(env: NodeJS.ProcessEnv, root = '/'): string {
  const name = env.POD_NAME || env.HOSTNAME || hostname();
  let namespace = env.POD_NAMESPACE;
  if (!namespace) {
    try {
      namespace = readFileSync(join(root, NAMESPACE_FILE), 'utf8').trim();
    } catch {
      namespace = undefined;
    }
  }
  return namespace ? `${namespace}/${name}` : name;
}

const LOOPBACK = /^(127\.|::1$|::ffff:127\.)/;

/** The pod's own listening ports, their scan outcomes as they come, and (at the end) the workloads they make. */
export class LocalWorkloads {
  readonly listeners: Listener[];
  /** One endpoint per distinct scan target (a socket bound on 0.0.0.0 and one on 127.0.0.1 are one target). */
  readonly endpoints: Endpoint[];
  private readonly targets: Set<string>;
  private readonly outcomes = new Map<string, EndpointOutcome>();

  /** The listeners under `root` (default `/`: this process's network namespace), of pod `pod`. */
  constructor(
    root = '/',
    readonly pod: string = podIdentity(process.env, root),
  ) {
    this.listeners = discoverListeners(root);
    this.targets = new Set(this.listeners.map(scanTarget));
    this.endpoints = [...this.targets].map(parseTarget);
  }

  /** Whether `target` is one of the pod's own ports. */
  owns(target: string): boolean {
    return this.targets.has(target);
  }

  /** Whether every socket behind `target` is bound to a loopback address: only the pod itself reaches it. */
  loopbackOnly(target: string): boolean {
    const behind = this.listeners.filter((l) => scanTarget(l) === target);
    return behind.length > 0 && behind.every((l) => LOOPBACK.test(l.address));
  }

  /**
   * Records a scanned endpoint's outcome when it is one of the pod's ports. Returns false when
   * the port speaks another protocol and was not judged for it (`not-tls`): the endpoint is then
   * not part of the scan report. `upgraded` names the STARTTLS dialogue the scan went through, if any.
   */
  record(result: ScanResult, verdict: Verdict, upgraded: StarttlsProtocol | null = null): boolean {
    if (!this.targets.has(result.target)) return true;
    if (result.error?.code === 'EOTHER_PROTOCOL' && verdict === 'fail') {
      this.outcomes.set(result.target, { verdict, note: `plaintext ${result.error.protocol ?? 'another protocol'}` });
      return true;
    }
    if (result.error?.code === 'EOTHER_PROTOCOL') {
      this.outcomes.set(result.target, { verdict: 'not-tls', note: result.error.protocol ?? null });
      return false;
    }
    const note = verdict === 'error' ? (result.error?.code ?? null) : null;
    this.outcomes.set(result.target, { verdict, note: upgraded ? [`STARTTLS ${upgraded}`, note].filter(Boolean).join(', ') : note });
    return true;
  }

  /** Inspects each owning process (once) and combines everything into workloads. */
  workloads(root = '/'): Workload[] {
    const processes = new Map(workloadPids(this.listeners).map((pid) => [pid, inspectProcess(pid, { root })]));
    return combineWorkloads(this.listeners, this.outcomes, processes).map((w) => ({ ...w, pod: this.pod }));
  }
}
