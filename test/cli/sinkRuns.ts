/**
 * The runs the streamed report sink is checked on (report-sink-streamed.test.ts, in process and
 * through sinkToStdout.ts in a child): every kind of endpoint, hostile strings, SSH, one endpoint,
 * none, workloads and an index never added; each fed to the sink out of input order, as a fleet
 * scan finishes them, and rendered whole by the report renderers for the bytes to expect.
 */
import type { ReportSink } from '../../src/cli/reportSink.js';
import { TOOL_VERSION } from '../../src/cli/version.js';
import type { Workload } from '../../src/model/workload.js';
import { renderJson, renderJunit, renderTable, toJsonDocument, type RunReport } from '../../src/report/index.js';
import { hostileEndpoint, hostileErrorEndpoint, inconclusiveEndpoint, legacyEndpoint, meshSidecarEndpoint, run, STARTED_AT, strictEndpoint, unreachableEndpoint } from '../report/factories.js';
import { sshGoldenRun } from '../report/sshFactories.js';

export const STREAMED_FORMATS = ['json', 'junit', 'table'] as const;
export type StreamedFormat = (typeof STREAMED_FORMATS)[number];

const STARTED = Date.parse(STARTED_AT);
const DURATION_MS = 4321;
const COMMAND = ['fipscan', 'scan', '-f', 'fleet.txt'];

/** A workload of `scan --inspect-local` (its process unseen), so the frames carry one. */
function workload(target: string): Workload {
  return { pid: null, process: null, uids: [1337], endpoints: [{ target, verdict: 'pass', note: null }, { target: '127.0.0.1:9100', verdict: 'not-tls', note: 'HTTP' }], verdict: 'error', error: 'the process holding these sockets is not visible from here' };
}

/** The run as the sink's finish(STARTED, DURATION_MS) names it. */
function asScanned(r: RunReport): RunReport {
  return { ...r, tool: { name: 'fipscan', version: TOOL_VERSION }, startedAt: new Date(STARTED).toISOString(), durationMs: DURATION_MS, command: COMMAND };
}

export type SinkRunName = 'fleet' | 'ssh' | 'one' | 'none' | 'local';

/** The runs by name. */
export function sinkRuns(): Record<SinkRunName, RunReport> {
  const local = run([strictEndpoint(), meshSidecarEndpoint()]);
  return {
    fleet: asScanned(run([strictEndpoint(), meshSidecarEndpoint(), unreachableEndpoint(), inconclusiveEndpoint(), hostileEndpoint(), hostileErrorEndpoint(), legacyEndpoint()])),
    ssh: asScanned(sshGoldenRun()),
    one: asScanned(run([strictEndpoint()])),
    none: asScanned(run([])),
    local: asScanned({ ...local, workloads: [workload(local.endpoints[0]!.result.target)] }),
  };
}

/** The sink's options for `r`: one index more than endpoints for the run with workloads (a port that was not TLS). */
export function sinkOptions(r: RunReport, format: StreamedFormat, output?: string): { format: StreamedFormat; output?: string; color: false; count: number; command: string[] } {
  return { format, ...(output !== undefined ? { output } : {}), color: false, count: r.endpoints.length + (r.workloads ? 1 : 0), command: COMMAND };
}

/** Adds the endpoints out of order (odd indexes backwards, then even ones); index 1 is never added when the run has workloads. */
export async function feed(sink: ReportSink, r: RunReport): Promise<void> {
  const indexed = r.endpoints.map((report, i) => ({ report, index: r.workloads && i >= 1 ? i + 1 : i }));
  const order = [...indexed.filter((_, i) => i % 2 === 1).reverse(), ...indexed.filter((_, i) => i % 2 === 0)];
  for (const { report, index } of order) sink.add(index, report);
  await sink.finish(STARTED, DURATION_MS, r.workloads);
}

/** The report the whole-run renderers write for `r`: what the streamed one must equal, byte for byte. */
export function expected(r: RunReport, format: StreamedFormat): string {
  if (format === 'json') return renderJson(r);
  if (format === 'junit') return renderJunit(toJsonDocument(r));
  return renderTable(r, { color: false, width: 80 });
}
