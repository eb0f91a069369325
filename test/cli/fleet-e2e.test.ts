/**
 * A fleet scan end to end against real loopback servers: two shards scanned with --shard into
 * JSON, merged into one report (and into JUnit and Prometheus text), a direct scan in each new
 * format, and a diff of the fleet against a scan of one endpoint.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import t from 'tap';
import { readJsonDocument } from '../../src/report/index.js';
import { xmlProblems } from '../report/xmlWellFormed.js';
import { closedPort, reportErrors, runCli, sidecarServer, strictServer, target } from '../helpers/cli.js';
import { tempDir } from './reportFixtures.js';

t.test('shards scanned apart merge into the report of the whole fleet', async (t) => {
  const dir = tempDir(t);
  const strict = target(await strictServer(t));
  const sidecar = target(await sidecarServer(t));
  const refused = `127.0.0.1:${await closedPort()}`;
  const targets = [strict, sidecar, refused];
  const shards = [join(dir, 'shard-0.json'), join(dir, 'shard-1.json')];
  for (const [i, file] of shards.entries()) {
    const run = await runCli(['scan', '--shard', `${i}/2`, '--format', 'json', '-o', file, ...targets], { timeoutMs: 60_000 });
    t.ok([0, 1, 2].includes(run.code ?? -1), `shard ${i}/2 ran (exit ${run.code})`, { stderr: run.stderr });
  }
  const scanned = shards.flatMap((f) => readJsonDocument(readFileSync(f, 'utf8')).endpoints.map((e) => e.target));
  t.same([...scanned].sort(), [...targets].sort(), 'the two shards together scanned every target once');

  const merged = await runCli(['merge', '-o', join(dir, 'fleet.json'), ...shards]);
  t.equal(merged.code, 1, 'exit 1: the sidecar fails', { stderr: merged.stderr });
  const fleet = JSON.parse(readFileSync(join(dir, 'fleet.json'), 'utf8')) as unknown;
  t.same(reportErrors(fleet), [], 'the merged report is valid fipscan/v1');
  const doc = readJsonDocument(JSON.stringify(fleet));
  t.same(
    Object.fromEntries(doc.endpoints.map((e) => [e.target, e.verdict])),
    { [strict]: 'pass', [sidecar]: 'fail', [refused]: 'error' },
  );
  t.same(doc.summary, { endpoints: 3, pass: 1, fail: 1, error: 1, 'not-tls': 0 });

  const junit = await runCli(['merge', '--format', 'junit', ...shards]);
  t.same(xmlProblems(junit.stdout), [], 'merged JUnit is well-formed');
  t.match(junit.stdout, /tests="3" failures="1" errors="1"/);
  const prom = await runCli(['merge', '--format', 'prom', ...shards]);
  t.match(prom.stdout, new RegExp(`^fipscan_endpoint_compliant\\{target="${strict}",policy="fips-strict"\\} 1$`, 'm'));
  t.match(prom.stdout, new RegExp(`^fipscan_protocol_offered\\{target="${sidecar}",policy="fips-strict",protocol="TLSv1.0"\\} 1$`, 'm'));

  // Yesterday only the strict endpoint was scanned: today the failing sidecar is new.
  const single = await runCli(['scan', '--format', 'json', '-o', join(dir, 'strict.json'), strict], { timeoutMs: 60_000 });
  t.equal(single.code, 0, { stderr: single.stderr });
  const diff = await runCli(['diff', join(dir, 'strict.json'), join(dir, 'fleet.json')]);
  t.equal(diff.code, 1, 'the new failing endpoint newly violates the policy');
  t.match(diff.stdout, new RegExp(`^! ${sidecar.replace(/\./g, '\\.')}  appeared, FAIL$`, 'm'));
  const same = await runCli(['diff', join(dir, 'fleet.json'), join(dir, 'fleet.json')]);
  t.equal(same.code, 0, 'a report against itself: nothing new');
});

t.test('scan writes JUnit and Prometheus text directly', async (t) => {
  const dir = tempDir(t);
  const strict = target(await strictServer(t));
  const junit = await runCli(['scan', '--format', 'junit', strict], { timeoutMs: 60_000 });
  t.equal(junit.code, 0, { stderr: junit.stderr });
  t.same(xmlProblems(junit.stdout), []);
  t.match(junit.stdout, new RegExp(`<testcase classname="fips-strict" name="${strict}" time="[0-9.]+"/?>`));
  t.notMatch(junit.stdout, /<failure|<error/, 'a passing endpoint has neither failure nor error');
  const file = join(dir, 'fipscan.prom');
  const prom = await runCli(['scan', '--format', 'prom', '--shard', '0/1', '-q', '-o', file, strict], { timeoutMs: 60_000 });
  t.equal(prom.code, 0, { stderr: prom.stderr });
  const text = readFileSync(file, 'utf8');
  t.match(text, /^fipscan_scan_endpoints\{policy="fips-strict",shard="0\/1",verdict="pass"\} 1$/m);
  const completed = Number(/^fipscan_last_complete_scan_timestamp_seconds\{[^}]*\} ([0-9.]+)$/m.exec(text)?.[1]);
  t.ok(Math.abs(completed - Date.now() / 1000) < 120, 'completion time is now');
});
