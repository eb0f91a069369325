/**
 * Where `fipscan scan` puts each endpoint's report as it finishes, per format, so that what a
 * fleet scan holds in memory does not grow with the fleet where the format allows it:
 *
 * - jsonl: the line is written at once (stdout, or streamed into the --output temporary file)
 *   and the report dropped;
 * - json: the reports are kept (the summary comes first, so the document waits for the last one),
 *   then rendered and written one endpoint at a time, each let go once written: the end of a
 *   large run never holds the whole document (its objects, its text, the escaped copy) at once;
 * - table, junit, prom, html: every report is kept and rendered at the end (they group or total
 *   across endpoints); html from the fipscan/v1 document, as `fipscan report` renders saved ones.
 *
 * Output is written atomically with --output (exit 73 when it cannot be), as before.
 */
import type { Workload } from '../model/workload.js';
import type { Policy } from '../policy/index.js';
import type { Verdict } from '../model/verdict.js';
import { renderHtml } from '../report/html.js';
import { renderJsonEntry, renderJsonFrame, renderJsonLine, renderTable, toJsonDocument, type EndpointReport, type JsonFrame, type RunReport } from '../report/index.js';
import { renderJsonWorkloadLine, toJsonHead, toJsonWorkload } from '../report/json.js';
import type { RunHead } from '../report/model.js';
import { renderJunit } from '../report/junit.js';
import { renderProm } from '../report/prom.js';
import { openAtomically, writableDrained, writeOutput, type AtomicWriter } from './files.js';
import type { Format } from './options.js';
import type { Shard } from './shard.js';
import { terminalWidth } from './terminal.js';
import { TOOL_VERSION } from './version.js';

export interface SinkOptions {
  format: Format;
  output?: string;
  color: boolean;
  shard?: Shard;
  /** Endpoints to come (their indexes are 0..count-1; the report keeps that order). */
  count: number;
  /** The command line the json and html reports record, secrets removed (commandLine.ts). */
  command?: string[];
}

export interface ReportSink {
  /** One endpoint's report, as soon as it is judged. */
  add(index: number, report: EndpointReport): void;
  /**
   * Writes the report (after the last add); the run took `durationMs` from `startedAt`.
   * `workloads` (scan --inspect-local) follow the endpoints: jsonl lines, a json array, a table section.
   */
  finish(startedAt: number, durationMs: number, workloads?: Workload[]): Promise<void>;
  /** The run failed: nothing is written, the temporary file is removed. */
  discard(): Promise<void>;
  /** The verdicts so far, for the exit code. */
  readonly verdicts: readonly Verdict[];
}

/**
 * Writes text pieces (made one at a time by `pieces`) to the --output file atomically, or to
 * stdout, waiting whenever the destination has a buffer's worth pending, so a large report never
 * sits in memory twice.
 */
async function emit(pieces: Iterable<string>, output: string | undefined): Promise<void> {
  if (output === undefined) {
    for (const piece of pieces) {
      if (!process.stdout.write(piece)) await writableDrained(process.stdout);
    }
    return;
  }
  const file = openAtomically(output);
  try {
    for (const piece of pieces) {
      file.write(piece);
      await file.drain();
    }
  } catch (err) {
    await file.discard();
    throw err;
  }
  await file.commit();
}

/** The sink for a run's format and output. */
export function reportSink(o: SinkOptions, policy: Policy): ReportSink {
  if (o.format === 'jsonl') return jsonlSink(o, policy);
  if (o.format === 'json') return jsonSink(o, policy);
  return wholeRunSink(o, policy);
}

/** The run without its results, as the json and html reports name it in their header. */
function runHead(o: SinkOptions, policy: Policy, startedAt: number, durationMs: number): RunHead {
  return { tool: { name: 'fipscan', version: TOOL_VERSION }, policy, startedAt: new Date(startedAt).toISOString(), durationMs, ...(o.command ? { command: o.command } : {}) };
}

/** jsonl: each endpoint's line written as it comes (stdout, or the --output file), then dropped. */
function jsonlSink(o: SinkOptions, policy: Policy): ReportSink {
  const verdicts: Verdict[] = [];
  const file: AtomicWriter | null = o.output === undefined ? null : openAtomically(o.output);
  const write = (line: string): void => {
    if (file) file.write(line);
    else process.stdout.write(line);
  };
  return {
    verdicts,
    add: (_index, report) => {
      verdicts.push(report.evaluation.verdict);
      write(renderJsonLine(report, policy));
    },
    finish: async (_startedAt, _durationMs, workloads) => {
      for (const w of workloads ?? []) write(renderJsonWorkloadLine(w));
      await file?.commit();
    },
    discard: async () => {
      await file?.discard();
    },
  };
}

/**
 * The reports kept by index until the run ends, for the formats that cannot write an endpoint
 * before the last one (json's summary comes first; the others group or total across endpoints).
 */
function keptReports(count: number): Pick<ReportSink, 'add' | 'discard'> & { verdicts: Verdict[]; reports: (EndpointReport | undefined)[] } {
  const verdicts: Verdict[] = [];
  const reports: (EndpointReport | undefined)[] = new Array(count);
  return {
    verdicts,
    reports,
    add: (index, report) => {
      verdicts.push(report.evaluation.verdict);
      reports[index] = report;
    },
    discard: async () => {},
  };
}

/** json: the document written one endpoint at a time, each report let go once written. */
function jsonSink(o: SinkOptions, policy: Policy): ReportSink {
  const { verdicts, reports, add, discard } = keptReports(o.count);
  function* pieces(frame: JsonFrame): Generator<string> {
    let first = true;
    for (let i = 0; i < reports.length; i++) {
      const report = reports[i];
      if (report === undefined) continue;
      reports[i] = undefined;
      yield `${first ? frame.open : frame.separator}${renderJsonEntry(report, policy)}`;
      first = false;
    }
    yield first ? frame.empty : frame.close;
  }
  return {
    verdicts,
    add,
    discard,
    finish: async (startedAt, durationMs, workloads) => {
      const frame = renderJsonFrame(toJsonHead(runHead(o, policy, startedAt, durationMs), verdicts), workloads?.map(toJsonWorkload));
      await emit(pieces(frame), o.output);
    },
  };
}

/** table, junit, prom, html: the whole run rendered at the end (html, junit and prom from the fipscan/v1 document). */
function wholeRunSink(o: SinkOptions, policy: Policy): ReportSink {
  const { verdicts, reports, add, discard } = keptReports(o.count);
  return {
    verdicts,
    add,
    discard,
    finish: async (startedAt, durationMs, workloads) => {
      const endpoints = reports.filter((r): r is EndpointReport => r !== undefined);
      const run: RunReport = { ...runHead(o, policy, startedAt, durationMs), endpoints, ...(workloads ? { workloads } : {}) };
      await writeOutput(o.output, renderWholeRun(run, o));
    },
  };
}

function renderWholeRun(run: RunReport, o: SinkOptions): string {
  switch (o.format) {
    case 'html':
      return renderHtml(toJsonDocument(run));
    case 'junit':
      return renderJunit(toJsonDocument(run));
    case 'prom':
      return renderProm(toJsonDocument(run), { shard: o.shard });
    default:
      return renderTable(run, { color: o.color, width: terminalWidth() });
  }
}
