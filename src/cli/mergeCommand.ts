/**
 * `fipscan merge <report.json...>`: combines fipscan/v1 reports (the shards of a fleet scan)
 * into one, rendered as JSON, JUnit or Prometheus text. Two reports holding the same endpoint
 * keep the later scan, said on stderr. The exit code is the merged run's, as `scan` would have
 * given it (0 all pass, 1 a failure, 2 an error). The table is not offered: it needs the full
 * scan results (reasons, completeness), which the JSON report does not carry.
 */
import { renderJsonDocument, type JsonDocument } from '../report/json.js';
import { renderJunit } from '../report/junit.js';
import { MergeError, mergeDocuments, type MergeResult, type NamedDocument } from '../report/merge.js';
import { renderProm } from '../report/prom.js';
import { sanitize } from '../report/sanitize.js';
import { CliError, exitCodeFor, workloadVerdicts } from './exit.js';
import { checkWritable, writeOutput } from './files.js';
import { readReport } from './readReport.js';
import type { OptionSpec, SubcommandSpec } from './subcommand.js';
import { TOOL_VERSION } from './version.js';

export type MergeFormat = 'json' | 'junit' | 'prom';

export interface MergeCliOptions {
  format: MergeFormat;
  output?: string;
  quiet: boolean;
}

const MERGE_EXIT_CODE_HELP = `Exit codes (of the merged endpoints and --inspect-local workloads, as for scan):
  0   every endpoint (and workload) passed
  1   at least one endpoint failed the policy, or a workload failed
  2   none failed, but at least one could not be scanned or was inconclusive
  64  usage error: unreadable or invalid report, reports of different policies
  73  the --output file could not be written`;

const MERGE_OPTIONS: readonly OptionSpec[] = [
  { flags: '--format <format>', description: 'output format', choices: ['json', 'junit', 'prom'], default: 'json' },
  { flags: '-o, --output <file>', description: 'write the merged report to a file (atomically) instead of stdout' },
  { flags: '-q, --quiet', description: 'no diagnostics on stderr', default: false },
];

function mergeReports(inputs: readonly NamedDocument[], command: string): MergeResult {
  try {
    return mergeDocuments(inputs, { name: 'fipscan', version: TOOL_VERSION });
  } catch (err) {
    if (err instanceof MergeError) throw new CliError(`${command}: ${sanitize(err.message)}`, err.code);
    throw err;
  }
}

/**
 * Reads the reports and merges them as `fipscan merge` does (also for `fipscan report`, whose
 * name `command` prefixes the messages): conflicts are said on stderr unless `quiet`.
 */
export async function readMerged(files: readonly string[], quiet: boolean, command = 'merge'): Promise<JsonDocument> {
  const inputs: NamedDocument[] = [];
  for (const file of files) inputs.push({ name: file, doc: await readReport(file, command) });
  const merged = mergeReports(inputs, command);
  if (!quiet) {
    for (const c of merged.conflicts) {
      process.stderr.write(`fipscan: ${command}: ${sanitize(c.key)} is in both ${sanitize(c.dropped)} and ${sanitize(c.kept)}: kept the later scan, from ${sanitize(c.kept)}\n`);
    }
  }
  return merged.doc;
}

/** The exit code of a (merged) report, as `scan` gave it. */
function reportExitCode(doc: JsonDocument): number {
  // As `scan --inspect-local` would: a workload that fails its process checks fails the run too.
  return exitCodeFor([...doc.endpoints.map((e) => e.verdict), ...workloadVerdicts(doc.workloads ?? [])]);
}

/**
 * Renders a saved or merged report to -o or stdout (as `merge` and `report` do); resolves to its
 * exit code. An empty -o is stdout for these commands, as it always was.
 */
export async function writeSavedReport(doc: JsonDocument, text: string, output: string | undefined): Promise<number> {
  await writeOutput(output || undefined, text);
  return reportExitCode(doc);
}

/** Runs the merge command; resolves to the exit code. */
async function runMerge(files: readonly string[], o: MergeCliOptions): Promise<number> {
  if (o.output) await checkWritable(o.output);
  const doc = await readMerged(files, o.quiet);
  const text = o.format === 'junit' ? renderJunit(doc) : o.format === 'prom' ? renderProm(doc) : renderJsonDocument(doc);
  return writeSavedReport(doc, text, o.output);
}

/** `fipscan merge`. */
export const MERGE_COMMAND: SubcommandSpec<[string[]], MergeCliOptions> = {
  name: 'merge',
  description: 'combine fipscan/v1 JSON reports (e.g. the shards of a fleet scan) into one',
  arguments: [['<reports...>', 'fipscan/v1 JSON reports (scan --format json)']],
  options: MERGE_OPTIONS,
  help: `\nExample:\n  fipscan merge shard-*.json --format prom -o /var/lib/node_exporter/fipscan.prom\n\n${MERGE_EXIT_CODE_HELP}\n`,
  run: ([files], opts) => runMerge(files, opts),
};
