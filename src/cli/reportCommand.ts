/**
 * `fipscan report <report.json...>`: renders saved fipscan/v1 reports, by default as the
 * auditor's HTML page (the same page `scan --format html` writes), also as JSON, JUnit or
 * Prometheus text. One report is rendered as it is (its tool version is the scan's); several are
 * merged first exactly as `fipscan merge` merges them (the later scan of an endpoint wins, said
 * on stderr). The table is not offered, as for merge: it needs scan details the JSON report does
 * not carry. Exit code as merge's: the verdicts' 0, 1 or 2; 64 for bad input or HTML bound for a
 * terminal; 73 when -o cannot be written.
 */
import { renderHtml } from '../report/html.js';
import { renderJsonDocument, type JsonDocument } from '../report/json.js';
import { renderJunit } from '../report/junit.js';
import { renderProm } from '../report/prom.js';
import { checkWritable } from './files.js';
import { checkHtmlDestination } from './htmlOutput.js';
import { readMerged, writeSavedReport } from './mergeCommand.js';
import { readReport } from './readReport.js';
import type { OptionSpec, SubcommandSpec } from './subcommand.js';

export type ReportFormat = 'html' | 'json' | 'junit' | 'prom';

export interface ReportCliOptions {
  format: ReportFormat;
  output?: string;
  quiet: boolean;
}

const REPORT_HELP = `
Examples:
  fipscan report --format html -o fleet.html shard-*.json
  fipscan report nightly.json -o nightly.html

Exit codes (of the reports' endpoints and --inspect-local workloads, as for scan):
  0   every endpoint (and workload) passed
  1   at least one endpoint failed the policy, or a workload failed
  2   none failed, but at least one could not be scanned or was inconclusive
  64  usage error: unreadable or invalid report, reports of different policies,
      --format html to a terminal without -o
  73  the --output file could not be written`;

const REPORT_OPTIONS: readonly OptionSpec[] = [
  { flags: '--format <format>', description: 'output format (html: one self-contained page for an auditor)', choices: ['html', 'json', 'junit', 'prom'], default: 'html' },
  { flags: '-o, --output <file>', description: 'write the report to a file (atomically) instead of stdout' },
  { flags: '-q, --quiet', description: 'no diagnostics on stderr', default: false },
];

function render(doc: JsonDocument, format: ReportFormat): string {
  switch (format) {
    case 'html':
      return renderHtml(doc);
    case 'junit':
      return renderJunit(doc);
    case 'prom':
      return renderProm(doc);
    case 'json':
      return renderJsonDocument(doc);
  }
}

/** Runs the report command; resolves to the exit code. */
async function runReport(files: readonly string[], o: ReportCliOptions): Promise<number> {
  checkHtmlDestination('report', o.format, o.output);
  if (o.output) await checkWritable(o.output);
  const doc = files.length === 1 ? await readReport(files[0]!, 'report') : await readMerged(files, o.quiet, 'report');
  return writeSavedReport(doc, render(doc, o.format), o.output);
}

/** `fipscan report`. */
export const REPORT_COMMAND: SubcommandSpec<[string[]], ReportCliOptions> = {
  name: 'report',
  description: 'render saved fipscan/v1 JSON reports (several are merged as by merge): the HTML page for an auditor, or json, junit, prom',
  arguments: [['<reports...>', 'fipscan/v1 JSON reports (scan --format json, merge)']],
  options: REPORT_OPTIONS,
  help: `${REPORT_HELP}\n`,
  run: ([files], opts) => runReport(files, opts),
};
