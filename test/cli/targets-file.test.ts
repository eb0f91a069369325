/**
 * `--targets-file`: one target per line, # comments and blank lines skipped, `-` for stdin;
 * targets given twice (in the file, on the command line, or spelled differently) are scanned
 * and reported once, in the order first given.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import t from 'tap';
import { closedPort, runCli, sidecarServer, strictServer, target, type Report } from '../helpers/cli.js';

const dir = mkdtempSync(join(tmpdir(), 'fipscan-targets-'));
t.teardown(() => rmSync(dir, { recursive: true, force: true }));

function listing(strict: string, sidecar: string): string {
  return [
    '# mesh endpoints',
    '',
    `${strict}`,
    `   ${sidecar}   # the sidecar`,
    '\t',
    `${strict}  # again`,
    `https://${strict}/healthz`,
    '# the end',
    '',
  ].join('\n');
}

t.test('a targets file with comments, blank lines and duplicates: each target once, in order', async (t) => {
  const strict = target(await strictServer(t));
  const sidecar = target(await sidecarServer(t));
  const file = join(dir, 'targets.txt');
  writeFileSync(file, listing(strict, sidecar));
  const run = await runCli(['scan', '--format', 'json', '--targets-file', file]);
  t.equal(run.code, 1, 'exit 1 (the sidecar fails)', { stderr: run.stderr });
  const report = JSON.parse(run.stdout) as Report;
  t.same(report.endpoints.map((e) => [e.target, e.verdict]), [
    [strict, 'pass'],
    [sidecar, 'fail'],
  ]);
});

t.test("'-' reads the targets from stdin; the command-line targets come first and are not repeated", async (t) => {
  const strict = target(await strictServer(t));
  const sidecar = target(await sidecarServer(t));
  const run = await runCli(['scan', '--format', 'json', '-f', '-', sidecar], { input: listing(strict, sidecar) });
  t.equal(run.code, 1, 'exit 1', { stderr: run.stderr });
  const report = JSON.parse(run.stdout) as Report;
  t.same(report.endpoints.map((e) => e.target), [sidecar, strict]);
  t.equal(report.summary.endpoints, 2);
});

t.test('a targets file with only comments is "no targets": exit 64', async (t) => {
  const file = join(dir, 'empty.txt');
  writeFileSync(file, '# nothing yet\n\n');
  const run = await runCli(['scan', '--targets-file', file]);
  t.equal(run.code, 64, 'exit 64', { stderr: run.stderr });
  t.match(run.stderr, /^fipscan: no targets/);
});

t.test('a bad line in a targets file: exit 64 naming it', async (t) => {
  const file = join(dir, 'bad.txt');
  writeFileSync(file, `127.0.0.1:${await closedPort()}\nnot a host\n`);
  const run = await runCli(['scan', '--targets-file', file]);
  t.equal(run.code, 64, 'exit 64', { stderr: run.stderr });
  t.match(run.stderr, /^fipscan: bad target: not a host/);
});

t.test('a targets file that does not exist: exit 64 naming it', async (t) => {
  const file = join(dir, 'missing.txt');
  const run = await runCli(['scan', '--targets-file', file]);
  t.equal(run.code, 64, 'exit 64', { stderr: run.stderr });
  t.ok(run.stderr.startsWith(`fipscan: --targets-file: cannot read ${file}`), 'names the file', { stderr: run.stderr });
});
