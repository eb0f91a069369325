/**
 * The inspect layer in one import: FIPS diagnostics of the host, of binaries and of running
 * processes (`fipscan inspect`), and the pod's own listeners with their owning processes
 * (`fipscan scan --inspect-local`). Like probe/, this layer reads the system (files under a
 * root, /proc); its parsers (ELF, Go build info, OpenSSL configuration, /proc formats) are
 * pure and take bytes or text.
 */
import type { InspectRun, Subject } from '../model/inspect.js';
import { inspectBinary } from './binary.js';
import { inspectHost, type HostOptions } from './host.js';
import { inspectProcess } from './process.js';

export { InspectError, type InspectErrorCode } from './errors.js';
export { inspectBinary } from './binary.js';
export { inspectHost, currentNodeFips, type HostOptions } from './host.js';
export { inspectProcess } from './process.js';
export { discoverListeners, scanTarget, type Listener } from './listeners.js';
export { combineWorkloads, workloadPids } from './workload.js';

export interface InspectRequest {
  host?: boolean;
  binaries?: readonly string[];
  pids?: readonly number[];
  /** Root for the host checks, /proc and library resolution; default `/`. */
  root?: string;
  env?: HostOptions['env'];
  nodeFips?: HostOptions['nodeFips'];
  tool: { name: string; version: string };
}

/** Inspects the host (if asked), each binary and each process, in that order. */
export function inspect(request: InspectRequest): InspectRun {
  const started = Date.now();
  const root = request.root ?? '/';
  const subjects: Subject[] = [];
  if (request.host) {
    subjects.push(inspectHost({ root, ...(request.env ? { env: request.env } : {}), ...(request.nodeFips !== undefined ? { nodeFips: request.nodeFips } : {}) }));
  }
  for (const path of request.binaries ?? []) subjects.push(inspectBinary(path, { root }));
  for (const pid of request.pids ?? []) subjects.push(inspectProcess(pid, { root }));
  return { tool: request.tool, startedAt: new Date(started).toISOString(), durationMs: Date.now() - started, subjects };
}
