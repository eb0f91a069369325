/**
 * `fipscan diff <old.json> <new.json>`: what drifted between two fipscan/v1 reports of one
 * fleet, as text or JSON. Exits 1 when something newly violates the policy (a new violation,
 * or a verdict that became fail), 0 otherwise, 64 when a report cannot be read; so a nightly
 * job can compare tonight's scan with yesterday's and page only on new problems.
 */
import { diffReports } from '../report/diff.js';
import { renderDiffJson, renderDiffText } from '../report/diffText.js';
import { ExitCode } from './exit.js';
import { readReport } from './readReport.js';
import type { SubcommandSpec } from './subcommand.js';

export interface DiffCliOptions {
  format: 'text' | 'json';
}

/** Runs the diff command; resolves to the exit code. */
async function runDiff(beforeFile: string, afterFile: string, o: DiffCliOptions): Promise<number> {
  const before = await readReport(beforeFile, 'diff');
  const after = await readReport(afterFile, 'diff');
  const diff = diffReports(before, after);
  const width = process.stdout.isTTY === true ? process.stdout.columns || 80 : 80;
  process.stdout.write(o.format === 'json' ? renderDiffJson(diff) : renderDiffText(diff, { beforeName: beforeFile, afterName: afterFile, width }));
  return diff.newlyViolating ? ExitCode.fail : ExitCode.pass;
}

/** `fipscan diff`. */
export const DIFF_COMMAND: SubcommandSpec<[string, string], DiffCliOptions> = {
  name: 'diff',
  description: 'show what drifted between two fipscan/v1 JSON reports; exit 1 when something newly violates the policy',
  arguments: [
    ['<old>', 'the earlier report (scan --format json)'],
    ['<new>', 'the later report'],
  ],
  options: [{ flags: '--format <format>', description: 'output format', choices: ['text', 'json'], default: 'text' }],
  help: '\nExit codes:\n  0   nothing newly violates the policy\n  1   a new violation, or an endpoint whose verdict became fail\n  64  usage error: unknown option, unreadable or invalid report\n',
  run: ([beforeFile, afterFile], opts) => runDiff(beforeFile, afterFile, opts),
};
