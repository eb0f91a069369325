/**
 * SIGTERM during a slow scan: the process exits 143 and the --output file is never half-written.
 * It is either the previous version, untouched, or a complete report (fipscan writes what it
 * has, atomically); no temporary file is left. The target accepts TCP and never answers, so
 * the scan is still running when the signal comes.
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import t from 'tap';
import { reportErrors, silentServer, spawnCli, target, type Report } from '../helpers/cli.js';

/** spawnCli kills a run after 30 s; the silent server's first probe alone would take this long. */
const LONGER_THAN_THE_GUARD_MS = 120_000;

t.test('SIGTERM mid-scan: exit 143, the --output file is the previous version or a complete report', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'fipscan-sigterm-'));
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  const file = join(dir, 'report.json');
  const previous = `${JSON.stringify({ schema: 'fipscan/v1', previous: true })}\n`;
  writeFileSync(file, previous);
  const silent = await silentServer(t);

  // A connection timeout longer than spawnCli's 30 s guard: a signal that waited it out would be
  // SIGKILLed by the guard and fail the exit code below, however fast or loaded the machine.
  const cli = spawnCli(['scan', '--timeout', String(LONGER_THAN_THE_GUARD_MS), '--format', 'json', '--output', file, target(silent)]);
  const started = Date.now();
  while (silent.accepted() === 0 && Date.now() - started < 10_000) await sleep(20);
  t.ok(silent.accepted() > 0, 'the scan had connected to the silent server');
  cli.child.kill('SIGTERM');
  const run = await cli.done;
  t.equal(run.code, 143, 'exit 143: the signal ends the scan without waiting out the connection timeout', { signal: run.signal, stderr: run.stderr });

  const text = readFileSync(file, 'utf8');
  if (text === previous) {
    t.pass('the previous version is untouched');
  } else {
    const report = JSON.parse(text) as Report;
    t.same(reportErrors(report), [], 'a complete, valid report');
    t.same(report.endpoints.map((e) => [e.verdict, e.error?.code]), [['error', 'EINTERRUPTED']], 'the endpoint is marked interrupted');
  }
  t.same(readdirSync(dir), ['report.json'], 'no temporary file left');
});
