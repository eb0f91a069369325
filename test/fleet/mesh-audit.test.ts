/**
 * A mesh audit through `kubectl get services -o json` (fixtures/k8s/mesh-services.json, moved onto
 * loopback): every TCP port is probed whatever its name, and classified by its first answer.
 *
 * - reviews:9080, named `http`: a PERMISSIVE sidecar (TLS and plaintext HTTP on one port, the
 *   TLS side answering Istio's ALPN): TLS that passes, plus plaintext accepted;
 * - ratings:9090, named `grpc`: a STRICT sidecar (TLS only, a client certificate required): a
 *   gRPC-named port that speaks TLS; its plaintext check sends the HTTP/2 preface;
 * - details-metrics:15020, named `http-monitoring`: plaintext HTTP only;
 * - ratings' 8125/UDP: skipped and counted.
 *
 * Without --require-tls the plaintext port is `not-tls` (no change to the exit code) and the
 * permissive port passes with a warning; with it both fail, each violation naming plaintext.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import t, { type Test } from 'tap';
import { reportErrors, runCli } from '../helpers/cli.js';
import { k8sFixture, onLoopback } from '../helpers/k8sApi.js';
import { startPermissive, startPlainHttp } from '../helpers/permissive.js';
import { startNodeServer } from '../helpers/servers.js';
import { shapes } from '../helpers/shapes.js';
import { runInTerminal } from '../cli/terminal.js';

interface MeshEndpoint {
  target: string;
  verdict: string;
  error: { code: string; protocol?: string } | null;
  plaintext?: { accepted: boolean | null; sent: string; protocol: string | null; evidence: string } | null;
  features: { alpn: string | null; clientCertificateRequired: boolean | null };
  violations: { rule: string; message: string }[];
  warnings: { rule: string; message: string }[];
}

interface MeshReport {
  summary: Record<string, number>;
  endpoints: MeshEndpoint[];
}

const ISTIO_ALPN = ['istio-peer-exchange', 'istio', 'h2', 'http/1.1'];

/** The three servers behind the fixture's ports, and the fixture on loopback written to a file. */
async function meshOnLoopback(t: Test): Promise<{ file: string; ports: Record<'reviews' | 'ratings' | 'metrics', number> }> {
  const strictTls = shapes.fipsStrictRsa.config.node;
  const permissive = await startPermissive('http', ['istio-peer-exchange', 'istio'], { minVersion: strictTls.minVersion, maxVersion: strictTls.maxVersion, ciphers: strictTls.ciphers, ecdhCurve: strictTls.ecdhCurve });
  const strict = await startNodeServer({ ...strictTls, requireClientCert: true });
  const metrics = await startPlainHttp();
  t.teardown(() => Promise.all([permissive.close(), strict.close(), metrics.close()]));
  const ports = { reviews: permissive.port, ratings: strict.port, metrics: metrics.port };
  const portMap = new Map([
    [9080, ports.reviews],
    [9090, ports.ratings],
    [15020, ports.metrics],
  ]);
  const list = k8sFixture('mesh-services.json');
  const items = onLoopback(list.items, portMap);
  const dir = mkdtempSync(join(tmpdir(), 'fipscan-mesh-'));
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  const file = join(dir, 'services.json');
  writeFileSync(file, JSON.stringify({ ...list, items }));
  return { file, ports };
}

const byService = (report: MeshReport, name: string): MeshEndpoint => report.endpoints.find((e) => e.target.startsWith(`${name}.`))!;

t.test('without --require-tls: plaintext-only is not TLS, TLS+plaintext passes with a warning, exit 0', async (t) => {
  const { file, ports } = await meshOnLoopback(t);
  const run = await runCli(['scan', '--k8s', file, '--alpn', ISTIO_ALPN.join(','), '--format', 'json'], { timeoutMs: 60_000 });
  t.equal(run.code, 0, 'a not-TLS port does not change the exit code', { stderr: run.stderr });
  t.match(run.stderr, /fipscan: k8s: 3 TCP ports from 3 services and 0 endpoint slices; 1 UDP\/SCTP port skipped\n/);
  const report = JSON.parse(run.stdout) as MeshReport;
  t.same(reportErrors(report), [], 'a valid fipscan/v1 report');
  t.same(report.summary, { endpoints: 3, pass: 2, fail: 0, error: 0, 'not-tls': 1 });

  const reviews = byService(report, 'reviews');
  t.equal(reviews.target, `reviews.bookinfo.svc.cluster.local:${ports.reviews}`);
  t.equal(reviews.verdict, 'pass');
  t.match(reviews.plaintext, { accepted: true, sent: 'HTTP/1.1', protocol: 'HTTP/1.1', evidence: 'HTTP/1.1 200 OK' });
  const plaintextWarnings = reviews.warnings.filter((w) => w.rule === 'plaintext');
  t.equal(plaintextWarnings.length, 1, 'one warning names plaintext (the others: the RSA key-transport suites fips-strict warns about)');
  t.match(plaintextWarnings[0]!.message, /also answers plaintext \(HTTP\/1\.1 request answered with HTTP\/1\.1 200 OK\)/);
  t.equal(reviews.features.alpn, 'istio-peer-exchange', "the sidecar's ALPN, offered with --alpn");

  const ratings = byService(report, 'ratings');
  t.equal(ratings.verdict, 'pass', 'a port named grpc speaks TLS: judged, not skipped');
  t.match(ratings.plaintext, { accepted: false, sent: 'HTTP/2' }, 'a gRPC port gets the HTTP/2 preface, and refuses it');
  t.equal(ratings.features.clientCertificateRequired, true, 'mTLS required, suites still enumerated');
  t.same(ratings.warnings.filter((w) => w.rule === 'plaintext'), [], 'no plaintext warning');

  const metrics = byService(report, 'details-metrics');
  t.equal(metrics.verdict, 'not-tls');
  t.match(metrics.error, { code: 'EOTHER_PROTOCOL', protocol: 'HTTP' });
  t.same(metrics.violations, []);

  const junit = await runCli(['scan', '--k8s', file, '--format', 'junit', '-q'], { timeoutMs: 60_000 });
  t.equal(junit.code, 0);
  t.match(junit.stdout, /<testsuite name="fipscan fips-strict [^"]+" tests="3" failures="0" errors="0" time="[0-9.]+" skipped="1"/, 'JUnit: the not-TLS port is a skipped case');
  t.match(junit.stdout, /<skipped message="not TLS: the port answers in HTTP"\/>/);
});

t.test('--require-tls (a STRICT audit): both plaintext ports fail, each violation naming plaintext; exit 1', async (t) => {
  const { file } = await meshOnLoopback(t);
  const run = await runCli(['scan', '--k8s', file, '--require-tls', '--format', 'json', '-q'], { timeoutMs: 60_000 });
  t.equal(run.code, 1, { stderr: run.stderr });
  const report = JSON.parse(run.stdout) as MeshReport;
  t.same(reportErrors(report), []);
  t.same(report.summary, { endpoints: 3, pass: 1, fail: 2, error: 0, 'not-tls': 0 });
  const reviews = byService(report, 'reviews');
  t.equal(reviews.verdict, 'fail');
  t.same(reviews.violations.map((v) => v.rule), ['plaintext']);
  t.match(reviews.violations[0]!.message, /--require-tls requires TLS only/);
  const metrics = byService(report, 'details-metrics');
  t.equal(metrics.verdict, 'fail');
  t.same(metrics.violations.map((v) => v.rule), ['plaintext']);
  t.match(metrics.violations[0]!.message, /answers in HTTP without TLS/);
  t.equal(byService(report, 'ratings').verdict, 'pass');
});

t.test('on a terminal: the progress line counts the not-TLS port, the table names each classification', async (t) => {
  const { file } = await meshOnLoopback(t);
  const run = await runInTerminal(['scan', '--k8s', file, '--alpn', ISTIO_ALPN.join(','), '--no-color']);
  t.equal(run.code, 0, run.output);
  t.match(run.output, /3\/3 scanned: 2 pass, 0 fail, 0 error, 1 not TLS/);
  t.match(run.output, /3 endpoints: 2 pass, 0 fail, 0 error, 1 not TLS/);
  t.match(run.output, /NOT TLS: answers in HTTP in plaintext; not judged/);
  t.match(run.output, /plaintext\s+ACCEPTED: HTTP\/1\.1 request answered in HTTP\/1\.1:\s+HTTP\/1\.1 200 OK/);
  t.match(run.output, /plaintext\s+refused: HTTP\/2 request, closed the connection/);
  t.match(run.output, /sidecar\s+Istio sidecar \(ALPN istio-peer-exchange\)/);
  t.match(run.output, /sidecar\s+mTLS: a client certificate is required/);
  t.match(run.output, /│ details-metrics\.boo…luster\.local:\d+ │ NOT TLS │/);
});
