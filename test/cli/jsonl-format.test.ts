/**
 * `--format jsonl`: one JSON object per endpoint, one per line, each valid against the schema's
 * #/$defs/endpoint; on stdout as each endpoint finishes, and the same lines in an --output file.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import t, { type Test } from 'tap';
import { closedPort, endpointErrors, runCli, sidecarServer, strictServer, target, type ReportEndpoint } from '../helpers/cli.js';

async function targets(t: Test): Promise<string[]> {
  return [target(await strictServer(t)), target(await sidecarServer(t)), `127.0.0.1:${await closedPort()}`];
}

function checkLines(t: Test, text: string, expected: string[]): void {
  t.ok(text.endsWith('\n'), 'every line ends with a newline');
  const lines = text.split('\n').slice(0, -1);
  t.equal(lines.length, expected.length, 'one line per endpoint', { text });
  const endpoints = lines.map((line) => JSON.parse(line) as ReportEndpoint);
  for (const [i, e] of endpoints.entries()) t.same(endpointErrors(e), [], `line ${i + 1} is a valid #/$defs/endpoint`);
  const verdictByTarget = Object.fromEntries(endpoints.map((e) => [e.target, e.verdict]));
  t.same(verdictByTarget, { [expected[0]!]: 'pass', [expected[1]!]: 'fail', [expected[2]!]: 'error' }, 'each endpoint once, with its verdict');
}

t.test('--format jsonl on stdout: one valid endpoint object per line', async (t) => {
  const list = await targets(t);
  const run = await runCli(['scan', '--format', 'jsonl', ...list]);
  t.equal(run.code, 1, 'exit 1', { stderr: run.stderr });
  checkLines(t, run.stdout, list);
});

t.test('--format jsonl --output: the same lines land in the file, nothing on stdout', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'fipscan-jsonl-'));
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  const list = await targets(t);
  const file = join(dir, 'report.jsonl');
  const run = await runCli(['scan', '--format', 'jsonl', '--output', file, ...list]);
  t.equal(run.code, 1, 'exit 1', { stderr: run.stderr });
  t.equal(run.stdout, '', 'nothing on stdout');
  checkLines(t, readFileSync(file, 'utf8'), list);
});
