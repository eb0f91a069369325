/**
 * `--output`: the report lands complete in the file (replacing a previous one), stdout stays
 * empty, and the temporary file used for the atomic rename is gone afterwards.
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import t from 'tap';
import { reportErrors, runCli, strictServer, target, type Report } from '../helpers/cli.js';

t.test('--output writes the complete JSON report over a previous one and leaves no temp file', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'fipscan-output-'));
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  const file = join(dir, 'report.json');
  writeFileSync(file, '{"previous": true}\n');
  const server = await strictServer(t);
  const run = await runCli(['scan', '--format', 'json', '--output', file, target(server)]);
  t.equal(run.code, 0, 'exit 0', { stderr: run.stderr });
  t.equal(run.stdout, '', 'nothing on stdout');
  const report = JSON.parse(readFileSync(file, 'utf8')) as Report;
  t.same(reportErrors(report), [], 'the file holds a complete, valid report');
  t.same(report.endpoints.map((e) => [e.target, e.verdict]), [[target(server), 'pass']]);
  t.same(readdirSync(dir), ['report.json'], 'no temporary file left beside it');
});

t.test('--output with the table format writes the table, without colors', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'fipscan-output-'));
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  const file = join(dir, 'report.txt');
  const server = await strictServer(t);
  const run = await runCli(['scan', '-o', file, target(server)]);
  t.equal(run.code, 0, 'exit 0', { stderr: run.stderr });
  const text = readFileSync(file, 'utf8');
  t.match(text, /1 endpoint: 1 pass, 0 fail, 0 error\n$/, 'the whole table, up to its last line');
  t.notOk(text.includes('\u001b'), 'no ANSI escapes in a file');
  t.same(readdirSync(dir), ['report.txt']);
});
