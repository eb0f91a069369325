/**
 * Where `fipscan scan` puts each endpoint's report as it finishes, per format, so that what a
 * fleet scan holds in memory does not grow with the fleet where the format allows it:
 *
 * - jsonl: the line is written at once (stdout, or streamed into the --output temporary file)
 *   and the report dropped;
 * - json, junit, table: the endpoint's entry is rendered at once and spooled (spool.ts: a file
 *   beside the --output file, or in the temporary directory for stdout), and the report dropped;
 *   what is kept is what the head and the summary need: the verdict (and for the table the
 *   summary row: target, verdict, counts). Their counts come before the entries, so the report is
 *   written at the end: the frame's head, the entries read back in input order, the rest;
 * - prom, html: every report is kept and rendered at the end (their families and pages group
 *   and total across endpoints); html from the fipscan/v1 document, as `fipscan report` renders
 *   saved ones.
 *
 * Each report is the very bytes its whole-run renderer writes (report/frame.ts). Output is
 * written atomically with --output (exit 73 when it cannot be), as before.
 */
import { tmpdir } from 'node:os';
import { basename, dirname } from 'node:path';
import type { Verdict } from '../model/verdict.js';
import type { Workload } from '../model/workload.js';
import type { Policy } from '../policy/index.js';
import type { ReportFrame } from '../report/frame.js';
import { renderHtml } from '../report/html.js';
import { renderJsonEntry, renderJsonFrame, renderJsonLine, toJsonDocument, toJsonEndpoint, type EndpointReport, type RunReport } from '../report/index.js';
import { renderJsonWorkloadLine, toJsonHead, toJsonWorkload } from '../report/json.js';
import type { RunHead } from '../report/model.js';
import { renderJunitFrame, renderJunitTestcase } from '../report/junit.js';
import { renderProm } from '../report/prom.js';
import { renderTableEntry, renderTableFrame, summaryRow, tableContext, type SummaryRow } from '../report/table.js';
import { openAtomically, writableDrained, writeOutput, type AtomicWriter } from './files.js';
import type { Format } from './options.js';
import type { Shard } from './shard.js';
import { Spool } from './spool.js';
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
 * Writes the pieces of a report (made one at a time by `pieces`) to the --output file atomically,
 * or to stdout, waiting whenever the destination has a buffer's worth pending, so a large report
 * never sits in memory.
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
  if (o.format === 'json') return spooledSink(o, policy, jsonEntries(policy));
  if (o.format === 'junit') return spooledSink(o, policy, junitEntries(policy));
  if (o.format === 'table') return spooledSink(o, policy, tableEntries(o, policy));
  return wholeRunSink(o, policy);
}

/** The run without its results, as every report names it in its head. */
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

/** A format written as entries, one per endpoint rendered as it is judged, inside a frame rendered at the end. */
interface EntryFormat {
  entry(index: number, report: EndpointReport): string;
  /** After the last entry: the frame for the run `head`, the endpoints' `verdicts` and the workloads. */
  frame(head: RunHead, verdicts: readonly Verdict[], workloads: Workload[] | undefined): ReportFrame;
}

/** json: the document's `endpoints[]` entries; the summary is counted from the verdicts. */
function jsonEntries(policy: Policy): EntryFormat {
  return {
    entry: (_index, report) => renderJsonEntry(report, policy),
    frame: (head, verdicts, workloads) => renderJsonFrame(toJsonHead(head, verdicts), workloads?.map(toJsonWorkload)),
  };
}

/** junit: one <testcase> per endpoint, as renderJunit writes them from the fipscan/v1 document. */
function junitEntries(policy: Policy): EntryFormat {
  return {
    entry: (_index, report) => renderJunitTestcase(toJsonEndpoint(report, policy), policy.id),
    frame: (head, verdicts, workloads) => renderJunitFrame(toJsonHead(head, verdicts), verdicts, workloads?.map(toJsonWorkload)),
  };
}

/**
 * table: each endpoint's sections; its summary row kept by index for the summary at the end. The
 * width is the terminal's when the run starts (the sections are laid out then).
 */
function tableEntries(o: SinkOptions, policy: Policy): EntryFormat {
  const ctx = tableContext(policy, { color: o.color, width: terminalWidth() });
  const rows: (SummaryRow | undefined)[] = new Array(o.count);
  return {
    entry: (index, report) => {
      rows[index] = summaryRow(report);
      return renderTableEntry(report, ctx);
    },
    frame: (head, _verdicts, workloads) => renderTableFrame(head, rows.filter((r): r is SummaryRow => r !== undefined), ctx, workloads),
  };
}

/** The frame's head, the spooled entries in input order between its separators, its end. */
function* framed(frame: ReportFrame, spool: Spool): Generator<string> {
  if (spool.size === 0) {
    yield frame.empty;
    return;
  }
  let first = true;
  for (const entry of spool.entries()) {
    yield first ? frame.open : frame.separator;
    yield entry;
    first = false;
  }
  yield frame.close;
}

/**
 * json, junit, table: each endpoint rendered as it is judged and spooled, its report let go; the
 * verdicts kept for the counts. The spool lives beside the --output file (on the volume the
 * report is bound for), or in the temporary directory when the report goes to stdout.
 */
function spooledSink(o: SinkOptions, policy: Policy, format: EntryFormat): ReportSink {
  const verdicts: Verdict[] = [];
  const spool = o.output === undefined ? new Spool(tmpdir(), 'fipscan-report', o.count) : new Spool(dirname(o.output), basename(o.output), o.count);
  return {
    verdicts,
    add: (index, report) => {
      verdicts.push(report.evaluation.verdict);
      spool.put(index, format.entry(index, report));
    },
    finish: async (startedAt, durationMs, workloads) => {
      try {
        await emit(framed(format.frame(runHead(o, policy, startedAt, durationMs), verdicts, workloads), spool), o.output);
      } finally {
        spool.close();
      }
    },
    discard: async () => spool.close(),
  };
}

/** prom, html: every report kept until the run ends (they group and total across endpoints), then the whole run rendered. */
function wholeRunSink(o: SinkOptions, policy: Policy): ReportSink {
  const verdicts: Verdict[] = [];
  const reports: (EndpointReport | undefined)[] = new Array(o.count);
  return {
    verdicts,
    add: (index, report) => {
      verdicts.push(report.evaluation.verdict);
      reports[index] = report;
    },
    discard: async () => {},
    finish: async (startedAt, durationMs, workloads) => {
      const endpoints = reports.filter((r): r is EndpointReport => r !== undefined);
      const run: RunReport = { ...runHead(o, policy, startedAt, durationMs), endpoints, ...(workloads ? { workloads } : {}) };
      await writeOutput(o.output, renderWholeRun(run, o));
    },
  };
}

/** The whole run in a format that needs all of it at once. */
function renderWholeRun(run: RunReport, o: SinkOptions): string {
  if (o.format === 'html') return renderHtml(toJsonDocument(run));
  return renderProm(toJsonDocument(run), { shard: o.shard });
}
