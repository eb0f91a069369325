/**
 * Exit 73 when the --output file cannot be written: one line on stderr naming the path, and no
 * partial or temporary file left anywhere. The target is a closed port, so the scan is quick.
 */
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import t from 'tap';
import { closedPort, runCli } from '../helpers/cli.js';

const target = `127.0.0.1:${await closedPort()}`;

t.test('--output in a directory that does not exist: exit 73, nothing written', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'fipscan-unwritable-'));
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  const file = join(dir, 'no-such-dir', 'report.json');
  const run = await runCli(['scan', '--format', 'json', '--output', file, target]);
  t.equal(run.code, 73, 'exit 73', { stdout: run.stdout, stderr: run.stderr });
  t.equal(run.stdout, '', 'the report does not spill onto stdout');
  const lines = run.stderr.split('\n').filter((l) => l.length > 0);
  t.equal(lines.length, 1, 'one line on stderr', { stderr: run.stderr });
  t.ok(lines[0]?.startsWith(`fipscan: --output: cannot write ${file}`), 'names the path', { found: lines[0] });
  t.notOk(existsSync(join(dir, 'no-such-dir')), 'the missing directory is not created');
  t.same(readdirSync(dir), [], 'no partial or temporary file left');
});

t.test('--output naming an existing directory: exit 73, the temporary file is removed', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'fipscan-unwritable-'));
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  const occupied = join(dir, 'report.json');
  mkdirSync(occupied);
  const run = await runCli(['scan', '--format', 'json', '--output', occupied, target]);
  t.equal(run.code, 73, 'exit 73', { stderr: run.stderr });
  t.same(readdirSync(dir), ['report.json'], 'only the directory that was there; the temporary file is gone');
  t.same(readdirSync(occupied), [], 'nothing written inside the directory');
});
