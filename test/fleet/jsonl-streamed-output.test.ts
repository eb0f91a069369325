/**
 * `--format jsonl --output file` streams: each finished endpoint's line is already on disk (in
 * the temporary file next to the target) while others are still being scanned, so a fleet of any
 * size is not held in memory, and the target file appears only complete, by rename. Checked with
 * one healthy endpoint and one that never answers: the healthy line is in the temporary file
 * before the run ends; SIGTERM then ends it with both lines in the report and no temporary file.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import t from 'tap';
import { endpointErrors, silentServer, spawnCli, strictServer, target, type ReportEndpoint } from '../helpers/cli.js';
import { tempDir } from '../cli/reportFixtures.js';

t.test('finished endpoints reach the disk before the run ends; the report appears whole, by rename', async (t) => {
  const dir = tempDir(t);
  const file = join(dir, 'fleet.jsonl');
  const healthy = await strictServer(t);
  const silent = await silentServer(t);
  // Probes of the silent endpoint wait longer than the run may last (30 s): it is still being
  // scanned when the healthy line is read, however slow the machine; SIGTERM ends it.
  const cli = spawnCli(['scan', '--timeout', '120000', '--concurrency', '2', '--format', 'jsonl', '-o', file, target(healthy), target(silent)], { timeoutMs: 30_000 });

  const temporary = (): string | undefined => readdirSync(dir).find((f) => /^\.fleet\.jsonl\.\d+\.[0-9a-f]{8}\.tmp$/.test(f));
  const started = Date.now();
  let streamed = '';
  while (Date.now() - started < 15_000) {
    const tmp = temporary();
    streamed = tmp ? readFileSync(join(dir, tmp), 'utf8') : '';
    if (streamed.includes('\n')) break;
    await sleep(20);
  }
  t.match(streamed, new RegExp(`^\\{"target":"${target(healthy).replace(/\./g, '\\.')}".*"verdict":"pass".*\\}\\n$`), 'the healthy endpoint is on disk while the silent one is still scanned');
  t.same(readdirSync(dir).filter((f) => f === 'fleet.jsonl'), [], 'the report itself does not exist yet');

  cli.child.kill('SIGTERM');
  const run = await cli.done;
  t.equal(run.code, 143, { stderr: run.stderr });
  t.same(readdirSync(dir), ['fleet.jsonl'], 'renamed into place, nothing left behind');
  const endpoints = readFileSync(file, 'utf8').trim().split('\n').map((l) => JSON.parse(l) as ReportEndpoint);
  for (const e of endpoints) t.same(endpointErrors(e), [], `${e.target}: a valid endpoint line`);
  t.same(endpoints.map((e) => [e.target, e.verdict, e.error?.code ?? null]), [
    [target(healthy), 'pass', null],
    [target(silent), 'error', 'EINTERRUPTED'],
  ]);
  t.equal(run.stdout, '');
});
