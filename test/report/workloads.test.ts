/**
 * The workloads of `scan --inspect-local` in every format: the JSON document (streamed frame
 * equal to the whole document, schema-valid, read back by merge/diff's reader), jsonl workload
 * lines, the JUnit workload testsuite and the Prometheus state set, with hostile process
 * names (controls, markup) kept inert.
 */
import t from 'tap';
import type { Subject } from '../../src/model/inspect.js';
import type { Workload } from '../../src/model/workload.js';
import { mergeDocuments, readJsonDocument, renderJsonDocument, renderJsonEntry, renderJsonFrame, renderJunit, renderProm, renderTable, toJsonDocument } from '../../src/report/index.js';
import { renderJsonWorkloadLine } from '../../src/report/json.js';
import { reportErrors } from '../helpers/cli.js';
import { meshSidecarEndpoint, run, strictEndpoint } from './factories.js';
import { xmlProblems } from './xmlWellFormed.js';

function processSubject(pid: number, path: string, failing: boolean): Subject {
  return {
    kind: 'process',
    name: `pid ${pid} (${path})`,
    path,
    pid,
    facts: [{ name: 'Go', value: 'go1.22.0' }],
    checks: [
      { id: 'go.crypto', subject: path, status: failing ? 'fail' : 'ok', message: failing ? 'standard Go crypto: no FIPS module' : 'BoringCrypto', evidence: [{ source: '.go.buildinfo', detail: 'GOEXPERIMENT=boringcrypto' }] },
      { id: 'openssl.library', subject: path, status: 'n/a', message: 'links no OpenSSL', evidence: [] },
    ],
    error: null,
  };
}

function workloads(): Workload[] {
  const strict = strictEndpoint().result.target;
  const mesh = meshSidecarEndpoint().result.target;
  return [
    { pid: 10, process: processSubject(10, '/usr/local/bin/app', false), uids: [], endpoints: [{ target: strict, verdict: 'pass', note: null }], verdict: 'pass', error: null },
    {
      pid: 20,
      process: processSubject(20, '/usr/local/bin/envoy\u001b[31m<x>&"', true),
      uids: [],
      endpoints: [
        { target: mesh, verdict: 'fail', note: null },
        { target: '127.0.0.1:15000', verdict: 'not-tls', note: 'HTTP' },
      ],
      verdict: 'fail',
      error: null,
    },
    { pid: 30, process: processSubject(30, '/usr/bin/exporter', false), uids: [], endpoints: [{ target: '127.0.0.1:9100', verdict: 'not-tls', note: 'HTTP' }], verdict: 'n/a', error: null },
    { pid: null, process: null, uids: [1337], endpoints: [{ target: '127.0.0.1:15006', verdict: 'error', note: 'ENOTTLS' }], verdict: 'error', error: 'the process holding these sockets is not visible from here; socket owner uid 1337' },
  ];
}

const localRun = () => ({ ...run([strictEndpoint(), meshSidecarEndpoint()]), workloads: workloads() });

t.test('JSON: workloads follow the endpoints, valid against the schema; the streamed frame writes the same bytes', async (t) => {
  const r = localRun();
  const doc = toJsonDocument(r);
  t.same(reportErrors(doc), [], 'schema-valid');
  t.same(
    doc.workloads?.map((w) => [w.pid, w.verdict, w.endpoints.map((e) => e.verdict)]),
    [
      [10, 'pass', ['pass']],
      [20, 'fail', ['fail', 'not-tls']],
      [30, 'n/a', ['not-tls']],
      [null, 'error', ['error']],
    ],
  );
  t.equal(doc.workloads?.[0]?.process?.verdict, 'pass', 'the process carries its own verdict');
  const { endpoints, workloads: w, ...head } = doc;
  const frame = renderJsonFrame(head, w);
  const streamed = frame.open + r.endpoints.map((e) => renderJsonEntry(e, r.policy)).join(frame.separator) + frame.close;
  t.equal(streamed, renderJsonDocument(doc), 'frame + entries = the whole document');
  t.equal(endpoints.length, 2);
  t.notOk(renderJsonDocument(doc).includes('\u001b'), 'no raw escape character in the JSON');
});

t.test("merge and diff's reader keeps workloads; a report without them stays without", async (t) => {
  const doc = toJsonDocument(localRun());
  const read = readJsonDocument(renderJsonDocument(doc));
  t.same(read.workloads, doc.workloads, 'read back unchanged');
  const plain = readJsonDocument(renderJsonDocument(toJsonDocument(run([strictEndpoint()]))));
  t.notOk('workloads' in plain, 'no workloads key invented');
  const merged = mergeDocuments([{ name: 'a.json', doc: read }, { name: 'b.json', doc: plain }], { name: 'fipscan', version: 'x' });
  t.equal(merged.doc.workloads?.length, 4, "merge keeps every report's workloads");
  t.throws(() => readJsonDocument(JSON.stringify({ ...doc, workloads: [{ ...doc.workloads![0], verdict: 'maybe' }] })), /workloads\[0\]\.verdict/);
});

t.test('jsonl: a workload line is {"workload": ...}', async (t) => {
  const line = renderJsonWorkloadLine(workloads()[1]!);
  t.ok(line.endsWith('\n') && !line.slice(0, -1).includes('\n'), 'one line');
  const parsed = JSON.parse(line) as { workload: { pid: number } };
  t.same(Object.keys(parsed), ['workload']);
  t.equal(parsed.workload.pid, 20);
});

t.test('JUnit: a workloads testsuite, failure, error and skipped where due; still well-formed', async (t) => {
  const xml = renderJunit(toJsonDocument(localRun()));
  t.same(xmlProblems(xml), [], 'well-formed despite the markup in a process path');
  t.match(xml, /<testsuites name="fipscan" tests="6" failures="2" errors="1"/, 'totals count endpoints and workloads');
  t.match(xml, /<testsuite name="fipscan workloads" tests="4" failures="1" errors="1" time="0.000" skipped="1"/);
  t.match(xml, /<testcase classname="workload" name="pid 10 \(\/usr\/local\/bin\/app\)" time="0.000"\/>/, 'a passing workload is an empty testcase');
  t.match(xml, /<failure message="[^"]+ fails the policy" type="workload">[^<]*check go\.crypto: standard Go crypto/, 'a failing one names its failed port and check');
  t.match(xml, /<skipped message="no port speaks TLS"\/>/);
  t.notOk(xml.includes('\u001b'), 'no raw escape character');
});

t.test('Prometheus: fipscan_workload_verdict is a state set per workload', async (t) => {
  const text = renderProm(toJsonDocument(localRun()));
  t.match(text, /# TYPE fipscan_workload_verdict gauge/);
  t.match(text, /fipscan_workload_verdict\{pid="10",executable="\/usr\/local\/bin\/app",policy="[^"]+",verdict="pass"\} 1/);
  t.match(text, /fipscan_workload_verdict\{pid="30",executable="\/usr\/bin\/exporter",policy="[^"]+",verdict="n\/a"\} 1/);
  t.match(text, /fipscan_workload_verdict\{pid="",executable="",policy="[^"]+",verdict="error"\} 1/);
  t.equal(text.match(/^fipscan_workload_verdict\{/gm)?.length, 16, 'four samples per workload');
  t.notOk(renderProm(toJsonDocument(run([strictEndpoint()]))).includes('fipscan_workload_verdict'), 'absent without --inspect-local');
});

t.test('table: a section per workload, totals after the endpoint summary, terminal-safe', async (t) => {
  const text = renderTable(localRun(), { color: false, width: 80 });
  t.match(text, /── workload pid 20 \(\/usr\/local\/bin\/envoy\\x1b\[31m<x>&"\) ─+ FAIL/, 'the escape character is shown, not sent');
  t.match(text, /127\.0\.0\.1:15000: not TLS \(answers in HTTP\), not judged/);
  t.match(text, /── workload sockets of uid 1337 \(process not visible\) ─+ ERROR/);
  t.match(text, /127\.0\.0\.1:15006: ERROR \(ENOTTLS\)/);
  t.match(text, /4 workloads: 1 pass, 1 fail, 1 error, 1 n\/a \(no TLS port\)\n$/);
  t.ok(text.split('\n').every((l) => [...l].length <= 80), 'no line wider than 80 columns');
});
