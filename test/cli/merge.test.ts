/**
 * `fipscan merge`: shard reports become one fipscan/v1 document (or JUnit, or Prometheus
 * text), conflicts keep the later scan and say so on stderr, and reports that cannot be merged
 * (other policy, not a report, unreadable) are one line and exit 64.
 */
import { mkdirSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import t from 'tap';
import type { Workload } from '../../src/model/workload.js';
import { readJsonDocument, toJsonDocument } from '../../src/report/index.js';
import { legacyEndpoint, meshSidecarEndpoint, run, strictEndpoint, unreachableEndpoint } from '../report/factories.js';
import { reportErrors, runCli } from '../helpers/cli.js';
import { reportOf, tempDir, writeReport } from './reportFixtures.js';

t.test('merge writes one valid document: endpoints concatenated, summary recounted, exit as scan would', async (t) => {
  const dir = tempDir(t);
  const a = writeReport(dir, 'shard-0.json', reportOf([strictEndpoint(), unreachableEndpoint()], '2025-06-01T12:00:00.000Z'));
  const b = writeReport(dir, 'shard-1.json', reportOf([meshSidecarEndpoint()], '2025-06-01T11:59:00.000Z'));
  const run = await runCli(['merge', a, b]);
  t.equal(run.code, 1, 'exit 1: one endpoint fails', { stderr: run.stderr });
  t.equal(run.stderr, '');
  const merged = JSON.parse(run.stdout) as unknown;
  t.same(reportErrors(merged), [], 'valid against the schema');
  const doc = readJsonDocument(run.stdout);
  t.same(doc.endpoints.map((e) => e.target), ['api.internal.example:443', 'payments.example:8443', 'reviews.bookinfo.svc.cluster.local:9080']);
  t.same(doc.summary, { endpoints: 3, pass: 1, fail: 1, error: 1, 'not-tls': 0 });
  t.equal(doc.startedAt, '2025-06-01T11:59:00.000Z');

  const passing = await runCli(['merge', writeReport(dir, 'ok.json', reportOf([strictEndpoint()]))]);
  t.equal(passing.code, 0, 'exit 0 when every endpoint passes');
});

t.test('an endpoint in two reports keeps the later scan, said on stderr in one line', async (t) => {
  const dir = tempDir(t);
  const monday = reportOf([strictEndpoint(), legacyEndpoint()], '2025-06-02T00:00:00.000Z');
  const tuesday = reportOf([legacyEndpoint()], '2025-06-03T00:00:00.000Z');
  tuesday.endpoints[0]!.probes = 1234;
  const later = writeReport(dir, 'tuesday.json', tuesday);
  const earlier = writeReport(dir, 'monday.json', monday);
  const run = await runCli(['merge', later, earlier]);
  t.equal(run.code, 1);
  const doc = readJsonDocument(run.stdout);
  t.equal(doc.endpoints.length, 2);
  t.equal(doc.endpoints.find((e) => e.host === 'old-appliance.example')!.probes, 1234, 'the later scan kept');
  t.equal(run.stderr, `fipscan: merge: old-appliance.example:443 is in both ${earlier} and ${later}: kept the later scan, from ${later}\n`);
  const quiet = await runCli(['merge', '-q', later, earlier]);
  t.equal(quiet.stderr, '', '-q keeps it quiet');
});

t.test('--inspect-local in two pods: the same 127.0.0.1:PORT is two endpoints, keyed by pod; no conflict', async (t) => {
  const dir = tempDir(t);
  const inPod = (pod: string) => {
    const e = strictEndpoint();
    Object.assign(e.result, { target: '127.0.0.1:8443', host: '127.0.0.1', port: 8443, address: '127.0.0.1', sni: null, pod });
    return e;
  };
  const a = writeReport(dir, 'cart.json', reportOf([inPod('shop/cart-7d9f')], '2025-06-01T12:00:00.000Z'));
  const b = writeReport(dir, 'payments.json', reportOf([inPod('shop/payments-5c2a')], '2025-06-01T12:00:05.000Z'));
  const run = await runCli(['merge', a, b]);
  t.equal(run.code, 0, { stderr: run.stderr });
  t.equal(run.stderr, '', 'no conflict: two pods, two endpoints');
  t.same(reportErrors(JSON.parse(run.stdout)), []);
  const doc = readJsonDocument(run.stdout);
  t.same(doc.endpoints.map((e) => [e.pod, e.target]), [
    ['shop/cart-7d9f', '127.0.0.1:8443'],
    ['shop/payments-5c2a', '127.0.0.1:8443'],
  ]);
  const again = await runCli(['merge', a, writeReport(dir, 'cart-later.json', reportOf([inPod('shop/cart-7d9f')], '2025-06-02T00:00:00.000Z'))]);
  t.equal(again.stderr, `fipscan: merge: shop/cart-7d9f 127.0.0.1:8443 is in both ${a} and ${join(dir, 'cart-later.json')}: kept the later scan, from ${join(dir, 'cart-later.json')}\n`, 'the same pod twice is a conflict');
  const junit = await runCli(['merge', '--format', 'junit', a, b]);
  t.match(junit.stdout, /<testcase classname="[^"]*" name="shop\/cart-7d9f 127\.0\.0\.1:8443"[\s\S]*<testcase classname="[^"]*" name="shop\/payments-5c2a 127\.0\.0\.1:8443"/, 'JUnit names each case by pod');
  const prom = await runCli(['merge', '--format', 'prom', a, b]);
  t.match(prom.stdout, /fipscan_endpoint_compliant\{target="127\.0\.0\.1:8443",pod="shop\/cart-7d9f",policy="[^"]+"\} 1\n.*pod="shop\/payments-5c2a"/, 'Prometheus: one series per pod');
});

t.test('merge renders JUnit and Prometheus text, and writes --output atomically', async (t) => {
  const dir = tempDir(t);
  const a = writeReport(dir, 'a.json', reportOf([strictEndpoint()]));
  const b = writeReport(dir, 'b.json', reportOf([unreachableEndpoint()]));
  const junit = await runCli(['merge', '--format', 'junit', a, b]);
  t.equal(junit.code, 2, 'exit 2: an error, no failure');
  t.match(junit.stdout, /^<\?xml version="1\.0" encoding="UTF-8"\?>\n<testsuites name="fipscan" tests="2" failures="0" errors="1"/);
  const out = join(dir, 'out', 'fipscan.prom');
  mkdirSync(join(dir, 'out'));
  const prom = await runCli(['merge', '--format', 'prom', '-o', out, a, b]);
  t.equal(prom.code, 2, { stderr: prom.stderr });
  t.equal(prom.stdout, '');
  const text = readFileSync(out, 'utf8');
  t.match(text, /^fipscan_endpoint_compliant\{target="api\.internal\.example:443",policy="test-fips"\} 1$/m);
  t.match(text, /^fipscan_scan_endpoints\{policy="test-fips",verdict="error"\} 1$/m);
  t.same(readdirSync(join(dir, 'out')), ['fipscan.prom'], 'no temporary file left');
});

t.test('reports of different policies do not merge: one line, exit 64', async (t) => {
  const dir = tempDir(t);
  const a = writeReport(dir, 'a.json', reportOf([strictEndpoint()]));
  const other = reportOf([legacyEndpoint()]);
  other.policy = { id: 'fips-strict', version: '2026.11', title: 'FIPS strict' };
  const b = writeReport(dir, 'b.json', other);
  const run = await runCli(['merge', a, b]);
  t.equal(run.code, 64);
  t.equal(run.stdout, '');
  t.equal(run.stderr, `fipscan: merge: ${b} was judged against policy fips-strict 2026.11 but ${a} against test-fips 1.0: only reports of the same policy merge [EMERGE]\n`);
});

t.test('a file that is not a fipscan/v1 report, or cannot be read, is one line and exit 64', async (t) => {
  const dir = tempDir(t);
  const good = writeReport(dir, 'good.json', reportOf([strictEndpoint()]));
  const cases: [string, RegExp][] = [
    [writeReport(dir, 'truncated.json', '{"schema": "fipscan/v1", '), /^fipscan: merge: \S+truncated\.json: not JSON: .* \[EBADREPORT\]\n$/],
    [writeReport(dir, 'jsonl.json', '{"target": "a:443"}\n{"target": "b:443"}\n'), /^fipscan: merge: \S+jsonl\.json: not JSON: .* \[EBADREPORT\]\n$/],
    [writeReport(dir, 'other.json', '{"schema": "something-else"}'), /^fipscan: merge: \S+other\.json: not a fipscan\/v1 report: \$\.schema: expected "fipscan\/v1", got "something-else" \[EBADREPORT\]\n$/],
    [join(dir, 'missing.json'), /^fipscan: merge: cannot read \S+missing\.json: ENOENT.* \[EREADFILE\]\n$/],
  ];
  for (const [file, message] of cases) {
    const run = await runCli(['merge', good, file]);
    t.equal(run.code, 64, file);
    t.match(run.stderr, message);
    t.equal(run.stdout, '');
  }
  const none = await runCli(['merge']);
  t.equal(none.code, 64, 'no reports: usage error');
  const table = await runCli(['merge', '--format', 'table', good]);
  t.equal(table.code, 64, 'no table format for merge');
});

t.test('a shard whose endpoints all pass but whose workload fails its process checks: the merge exits 1, as the scan did', async (t) => {
  const dir = tempDir(t);
  const endpoint = strictEndpoint();
  const workload = (failing: boolean): Workload => ({
    pid: 10,
    uids: [],
    error: null,
    verdict: failing ? 'fail' : 'pass',
    endpoints: [{ target: endpoint.result.target, verdict: 'pass', note: null }],
    process: {
      kind: 'process',
      name: 'pid 10 (/app)',
      path: '/app',
      pid: 10,
      facts: [],
      checks: [{ id: 'go.crypto', subject: '/app', status: failing ? 'fail' : 'ok', message: failing ? 'standard Go crypto: no FIPS module' : 'BoringCrypto', evidence: [] }],
      error: null,
    },
  });
  const report = (failing: boolean) => toJsonDocument({ ...run([endpoint]), workloads: [workload(failing)] });
  const failing = writeReport(dir, 'failing.json', report(true));
  const passing = writeReport(dir, 'passing.json', report(false));
  const merged = await runCli(['merge', failing]);
  t.equal(merged.code, 1, `exit 1 from the workload verdict (stderr: ${merged.stderr})`);
  t.equal(readJsonDocument(merged.stdout).workloads?.[0]?.verdict, 'fail', 'the workload is in the merged report');
  t.equal((await runCli(['merge', passing])).code, 0, 'exit 0 when the workload passes too');
});
