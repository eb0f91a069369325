/**
 * SIGINT during a scan: exit 130, and what finished is still reported. One healthy endpoint and
 * one that accepts TCP and never answers; once the healthy one is done, SIGINT. The healthy
 * endpoint keeps its verdict; the silent one, and any not yet started, are errors marked
 * interrupted.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import t from 'tap';
import { endpointErrors, reportErrors, silentServer, spawnCli, strictServer, target, type Report, type ReportEndpoint } from '../helpers/cli.js';

/**
 * The per-connection timeout: past spawnCli's 30 s guard, so the silent endpoint is still being
 * scanned when the signal comes however slow the machine is; only the signal ends the run.
 */
const SILENT_MS = '120000';

t.test('SIGINT after the healthy endpoint finished (jsonl on stdout, --concurrency 2): exit 130, both reported', async (t) => {
  const healthy = await strictServer(t);
  const silent = await silentServer(t);
  const cli = spawnCli(['scan', '--timeout', SILENT_MS, '--concurrency', '2', '--format', 'jsonl', target(healthy), target(silent)]);
  // jsonl writes each endpoint's line as it finishes: the first line is the healthy endpoint.
  await cli.waitForStdout((out) => out.includes('\n'));
  t.ok(silent.accepted() > 0, 'the silent endpoint was being scanned at the same time');
  cli.child.kill('SIGINT');
  const run = await cli.done;
  t.equal(run.code, 130, 'exit 130', { signal: run.signal, stderr: run.stderr });
  const lines = run.stdout.split('\n').filter((l) => l.length > 0);
  const endpoints = lines.map((l) => JSON.parse(l) as ReportEndpoint);
  for (const e of endpoints) t.same(endpointErrors(e), [], `${e.target} is a valid endpoint line`);
  t.same(
    endpoints.map((e) => [e.target, e.verdict]),
    [
      [target(healthy), 'pass'],
      [target(silent), 'error'],
    ],
  );
  t.equal(endpoints[1]?.error?.code, 'EINTERRUPTED');
  t.match(endpoints[1]?.error?.message ?? '', /interrupted by SIGINT/);
});

t.test('SIGINT with --format json --output: the file holds the finished verdict, the interrupted one and the unstarted one', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'fipscan-sigint-'));
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  const file = join(dir, 'report.json');
  const healthy = await strictServer(t);
  const silent = await silentServer(t);
  const never = await silentServer(t);
  // One at a time: the silent endpoint's first connection proves the healthy one is finished,
  // and the third endpoint is still waiting its turn when the signal comes.
  const cli = spawnCli(['scan', '--timeout', SILENT_MS, '--concurrency', '1', '--format', 'json', '-o', file, target(healthy), target(silent), target(never)]);
  const started = Date.now();
  while (silent.accepted() === 0 && Date.now() - started < 10_000) await sleep(20);
  t.ok(silent.accepted() > 0, 'the scan reached the silent endpoint');
  cli.child.kill('SIGINT');
  const run = await cli.done;
  t.equal(run.code, 130, 'exit 130', { signal: run.signal, stderr: run.stderr });
  const report = JSON.parse(readFileSync(file, 'utf8')) as Report;
  t.same(reportErrors(report), [], 'a complete, valid report');
  t.same(
    report.endpoints.map((e) => [e.target, e.verdict, e.error?.code ?? null]),
    [
      [target(healthy), 'pass', null],
      [target(silent), 'error', 'EINTERRUPTED'],
      [target(never), 'error', 'EINTERRUPTED'],
    ],
  );
  t.equal(never.accepted(), 0, 'the third endpoint was never connected to');
  t.match(report.endpoints[2]?.error?.message ?? '', /not scanned: interrupted by SIGINT/);
  t.same(report.summary, { endpoints: 3, pass: 1, fail: 0, error: 2, 'not-tls': 0 });
});
