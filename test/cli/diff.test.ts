/**
 * `fipscan diff old.json new.json`: text or JSON drift per endpoint; exit 1 only when something
 * newly violates the policy, 0 otherwise, 64 when a report cannot be read.
 */
import t from 'tap';
import type { ReportDiff } from '../../src/report/index.js';
import { legacyEndpoint, meshSidecarEndpoint, strictEndpoint, unreachableEndpoint } from '../report/factories.js';
import { runCli } from '../helpers/cli.js';
import { reportOf, tempDir, writeReport } from './reportFixtures.js';

t.test('no drift: exit 0 and says nothing newly violates', async (t) => {
  const dir = tempDir(t);
  const a = writeReport(dir, 'a.json', reportOf([strictEndpoint(), meshSidecarEndpoint()]));
  const b = writeReport(dir, 'b.json', reportOf([strictEndpoint(), meshSidecarEndpoint()], '2025-06-02T12:00:00.000Z'));
  const run = await runCli(['diff', a, b]);
  t.equal(run.code, 0, { stderr: run.stderr });
  t.match(run.stdout, /^0 changed, 0 appeared, 0 vanished, 2 unchanged; 0 new violations, 0 resolved\nnothing newly violates the policy\n$/m);
});

t.test('a failing newcomer newly violates: exit 1, text under 80 columns, JSON as documented', async (t) => {
  const dir = tempDir(t);
  const a = writeReport(dir, 'a.json', reportOf([strictEndpoint(), meshSidecarEndpoint()]));
  const b = writeReport(dir, 'b.json', reportOf([strictEndpoint(), legacyEndpoint()]));
  const text = await runCli(['diff', a, b]);
  t.equal(text.code, 1);
  t.match(text.stdout, /^! old-appliance\.example:443  appeared, FAIL$/m);
  t.match(text.stdout, /^reviews\.bookinfo\.svc\.cluster\.local:9080  vanished \(was FAIL\)$/m);
  t.match(text.stdout, /\nnewly violating the policy: 1 endpoint \(marked !\)\n$/);
  for (const line of text.stdout.split('\n')) t.ok(line.length <= 80, `fits 80 columns: ${line}`);
  const json = await runCli(['diff', '--format', 'json', a, b]);
  t.equal(json.code, 1);
  const diff = JSON.parse(json.stdout) as ReportDiff;
  t.equal(diff.schema, 'fipscan-diff/v1');
  t.equal(diff.newlyViolating, true);
  t.same(diff.summary, { changed: 0, appeared: 1, vanished: 1, unchanged: 1, newViolations: 6, resolvedViolations: 0 });
  t.same(Object.keys(diff.endpoints[0]!), ['target', 'change', 'verdict', 'error', 'compared', 'protocols', 'suites', 'groups', 'service', 'sshAlgorithms', 'newViolations', 'resolvedViolations', 'newlyViolating']);
});

t.test('things getting better, or an endpoint becoming unreachable, is not newly violating: exit 0', async (t) => {
  const dir = tempDir(t);
  const a = writeReport(dir, 'a.json', reportOf([meshSidecarEndpoint(), strictEndpoint()]));
  const b = writeReport(dir, 'b.json', reportOf([unreachableEndpoint()]));
  const run = await runCli(['diff', a, b]);
  t.equal(run.code, 0, run.stdout);
});

t.test('bad input is one line and exit 64', async (t) => {
  const dir = tempDir(t);
  const good = writeReport(dir, 'good.json', reportOf([strictEndpoint()]));
  const bad = writeReport(dir, 'bad.json', '{"schema": "fipscan/v1"}');
  const run = await runCli(['diff', good, bad]);
  t.equal(run.code, 64);
  t.match(run.stderr, /^fipscan: diff: \S+bad\.json: not a fipscan\/v1 report: \$\.tool: expected an object, got nothing \[EBADREPORT\]\n$/);
  t.equal(run.stdout, '');
  t.equal((await runCli(['diff', good])).code, 64, 'one report only');
  t.equal((await runCli(['diff', '--format', 'yaml', good, good])).code, 64, 'unknown format');
});
