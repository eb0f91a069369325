/**
 * `fipscan scan --inspect-local` in a pod in miniature: a fresh network namespace (unshare -n)
 * holding a Go server built with BoringCrypto and crypto/tls/fipsonly (restricted to P-256), a
 * Node server with default TLS settings that also serves HTTP on a second port, and an
 * HTTP-only Node server. fipscan finds the listening ports in /proc/net/tcp and tcp6, scans
 * them, inspects the processes behind them and judges one workload per process: the Go one
 * passes on both halves, the Node one fails on both, the HTTP-only one has nothing to judge.
 */
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import t from 'tap';
import { reportErrors } from '../helpers/cli.js';
import { repoRoot } from '../helpers/servers.js';
import { testPrograms } from './programs.js';

const execFileP = promisify(execFile);
const POD = join(repoRoot, 'dist', 'test', 'helpers', 'localPod.js');

interface PodRun {
  status: number;
  stdout: string;
  stderr: string;
  pids: { go?: number; nodeTls?: number; http?: number; smtp?: number };
}

interface Workload {
  pid: number | null;
  verdict: string;
  error: string | null;
  endpoints: { target: string; verdict: string; note: string | null }[];
  process: { name: string; verdict: string; checks: { id: string; status: string }[] } | null;
}

async function namespaceUnavailable(): Promise<string | undefined> {
  try {
    await execFileP('unshare', ['-n', 'ip', 'link', 'set', 'lo', 'up']);
    return undefined;
  } catch (err) {
    return `cannot create a network namespace (unshare -n needs root or CAP_SYS_ADMIN): ${(err as Error).message.split('\n')[0]}`;
  }
}

const unavailable = await namespaceUnavailable();
if (unavailable && process.env.CI) throw new Error(unavailable);
const programs = unavailable ? null : await testPrograms();

/** Runs the scenario's pod; `env` is added to the environment (the downward API's POD_NAMESPACE and POD_NAME). */
async function podWith(env: Record<string, string>, scenario: 'mixed' | 'fips' | 'empty' | 'mail', ...options: string[]): Promise<PodRun> {
  const { stdout } = await execFileP('unshare', ['-n', process.execPath, POD, scenario, programs!.goBoring, '--', '--timeout', '2000', ...options], { maxBuffer: 64 << 20, timeout: 90000, env: { ...process.env, ...env } });
  return JSON.parse(stdout) as PodRun;
}

function pod(scenario: 'mixed' | 'fips' | 'empty' | 'mail', ...options: string[]): Promise<PodRun> {
  return podWith({}, scenario, ...options);
}

function byPid(workloads: readonly Workload[], pid: number | undefined): Workload {
  const found = workloads.find((w) => w.pid === pid);
  if (!found) throw new Error(`no workload for pid ${pid}: ${workloads.map((w) => w.pid).join(', ')}`);
  return found;
}

t.test('a mixed pod: one workload passes, one fails, an HTTP-only one is n/a; exit 1', { skip: unavailable }, async (t) => {
  const run = await pod('mixed', '--format', 'json');
  t.equal(run.status, 1, `exit 1: a workload fails (stderr: ${run.stderr})`);
  const doc = JSON.parse(run.stdout) as { summary: { endpoints: number; pass: number; fail: number }; endpoints: { target: string; verdict: string }[]; workloads: Workload[] };
  t.same(reportErrors(doc), [], 'valid against fipscan-v1.schema.json, workloads included');
  t.same(doc.summary, { endpoints: 2, pass: 1, fail: 1, error: 0, 'not-tls': 0 }, 'the two TLS ports are the endpoints; the HTTP ports are not');
  t.equal(doc.workloads.length, 3, 'one workload per listening process');

  const go = byPid(doc.workloads, run.pids.go);
  t.equal(go.verdict, 'pass', 'Go BoringCrypto server: passes on both halves');
  t.match(go.endpoints, [{ target: /^127\.0\.0\.1:\d+$/, verdict: 'pass', note: null }]);
  t.match(go.process?.name, /go-boring/, 'the process is the Go binary');
  t.equal(go.process?.checks.find((c) => c.id === 'go.crypto')?.status, 'ok', 'its inspection found BoringCrypto');
  t.equal(go.process?.checks.find((c) => c.id === 'go.fipsonly')?.status, 'ok', 'and crypto/tls/fipsonly');

  const node = byPid(doc.workloads, run.pids.nodeTls);
  t.equal(node.verdict, 'fail', 'Node with default TLS settings: fails');
  const tlsPort = node.endpoints.find((e) => e.target.startsWith('[::1]:'));
  t.equal(tlsPort?.verdict, 'fail', 'its TLS port on :: is scanned at [::1] and fails the policy');
  t.match(node.endpoints.find((e) => e.target.startsWith('127.0.0.1:')), { verdict: 'not-tls', note: 'HTTP' }, 'its HTTP port is listed as not TLS');
  t.equal(node.process?.checks.find((c) => c.id === 'openssl.fips-provider-loaded')?.status, 'fail', 'and its process runs OpenSSL without the FIPS provider');

  const http = byPid(doc.workloads, run.pids.http);
  t.equal(http.verdict, 'n/a', 'an HTTP-only process has nothing to judge');
  t.match(http.endpoints, [{ target: /^127\.0\.0\.1:\d+$/, verdict: 'not-tls', note: 'HTTP' }], 'its 0.0.0.0 port is scanned on 127.0.0.1');
  t.notOk(doc.endpoints.some((e) => http.endpoints.some((h) => h.target === e.target)), 'not-TLS ports are not in endpoints[]');
});

t.test('the table shows each workload with its ports and its process checks', { skip: unavailable }, async (t) => {
  const run = await pod('mixed', '--format', 'table', '--no-color');
  t.equal(run.status, 1);
  t.match(run.stdout, new RegExp(`── workload pid ${run.pids.go} \\(\\S*go-boring\\) ─+ PASS`), 'the Go workload passes');
  t.match(run.stdout, new RegExp(`── workload pid ${run.pids.nodeTls} \\(\\S*node\\) ─+ FAIL`), 'the Node workload fails');
  t.match(run.stdout, new RegExp(`── workload pid ${run.pids.http} \\(\\S*node\\) ─+ N/A`), 'the HTTP-only workload is n/a');
  t.match(run.stdout, /127\.0\.0\.1:\d+: not TLS \(answers in HTTP\), not judged/);
  t.match(run.stdout, /OK {4}go\.fipsonly/, 'process checks are shown');
  t.match(run.stdout, /3 workloads: 1 pass, 1 fail, 0 error, 1 n\/a \(no TLS port\)/);
  t.match(run.stdout, /2 endpoints: 1 pass, 1 fail, 0 error/, 'the HTTP ports are not endpoints');
  t.match(run.stderr, /--inspect-local: 4 listening TCP sockets, 4 to scan/);
});

t.test('jsonl: endpoint lines, then one line per workload', { skip: unavailable }, async (t) => {
  const run = await pod('mixed', '--format', 'jsonl');
  const lines = run.stdout.trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
  t.equal(lines.length, 5, '2 endpoints + 3 workloads');
  t.ok(lines.slice(0, 2).every((l) => typeof l.target === 'string'), 'endpoints first');
  t.ok(lines.slice(2).every((l) => Object.keys(l).join() === 'workload'), 'then {"workload": ...} lines');
});

t.test('a FIPS pod: the Go workload passes and the HTTP-only one does not cost it the pass; exit 0', { skip: unavailable }, async (t) => {
  const run = await pod('fips', '--format', 'json');
  t.equal(run.status, 0, `exit 0 (stderr: ${run.stderr})`);
  const doc = JSON.parse(run.stdout) as { workloads: Workload[] };
  t.same(doc.workloads.map((w) => [w.pid, w.verdict]).sort(), [[run.pids.go, 'pass'], [run.pids.http, 'n/a']].sort());
});

t.test('a pod with nothing listening is inconclusive, not a pass: exit 2', { skip: unavailable }, async (t) => {
  const run = await pod('empty', '--format', 'json');
  t.equal(run.status, 2);
  const doc = JSON.parse(run.stdout) as { endpoints: unknown[]; workloads: Workload[] };
  t.same([doc.endpoints, doc.workloads], [[], []]);
  t.match(run.stderr, /--inspect-local: 0 listening TCP sockets/);
});

t.test('a mail pod: the SMTP port that offers STARTTLS is scanned through it and judged; the one that does not stays not TLS', { skip: unavailable }, async (t) => {
  const run = await pod('mail', '--format', 'json');
  const doc = JSON.parse(run.stdout) as { summary: { endpoints: number }; endpoints: { target: string; verdict: string; probes?: number }[]; workloads: Workload[] };
  t.same(reportErrors(doc), [], 'schema-valid');
  const smtp = byPid(doc.workloads, run.pids.smtp);
  const upgraded = smtp.endpoints.filter((e) => e.note === 'STARTTLS smtp');
  t.equal(upgraded.length, 1, `one port judged through STARTTLS (${JSON.stringify(smtp.endpoints)})`);
  t.equal(upgraded[0]?.verdict, 'fail', "Node's default TLS behind STARTTLS fails the strict policy");
  t.match(smtp.endpoints.filter((e) => e !== upgraded[0]), [{ verdict: 'not-tls', note: 'SMTP' }], 'the port without STARTTLS stays not TLS');
  t.same(doc.endpoints.map((e) => e.target), [upgraded[0]?.target], 'only the upgraded port is an endpoint of the report');
  t.equal(doc.endpoints[0]?.verdict, 'fail');
  t.equal(run.status, 1, 'exit 1: the STARTTLS port fails');
  t.match(run.stderr, /answers in SMTP: scanned through STARTTLS/, 'said on stderr');
});

t.test('each endpoint and workload carries its pod (downward API POD_NAMESPACE/POD_NAME), so reports of many pods merge', { skip: unavailable }, async (t) => {
  const run = await podWith({ POD_NAMESPACE: 'shop', POD_NAME: 'cart-7d9f' }, 'fips', '--format', 'json');
  t.equal(run.status, 0, run.stderr);
  const doc = JSON.parse(run.stdout) as { endpoints: { pod?: string }[]; workloads: { pod?: string }[] };
  t.same(reportErrors(doc), []);
  t.ok(doc.endpoints.length > 0);
  t.ok(doc.endpoints.every((e) => e.pod === 'shop/cart-7d9f'), 'every endpoint');
  t.ok(doc.workloads.every((w) => w.pod === 'shop/cart-7d9f'), 'every workload');
  const table = await podWith({ POD_NAMESPACE: 'shop', POD_NAME: 'cart-7d9f' }, 'fips', '--no-color');
  t.match(table.stdout, /pod shop\/cart-7d9f\s+address 127\.0\.0\.1/, "the table names the pod in each endpoint's header");
  const hostOnly = await podWith({ POD_NAMESPACE: '', POD_NAME: '', HOSTNAME: 'cart-7d9f' }, 'fips', '--format', 'json');
  const named = JSON.parse(hostOnly.stdout) as { endpoints: { pod?: string }[] };
  t.ok(named.endpoints.every((e) => e.pod === 'cart-7d9f'), 'without the downward API: HOSTNAME (no namespace file outside a pod)');
});

t.test('--require-tls in a pod: a plaintext port others can reach fails, naming plaintext; a loopback-only one stays not TLS', { skip: unavailable }, async (t) => {
  const run = await pod('fips', '--format', 'json', '--require-tls');
  t.equal(run.status, 1, `exit 1: the HTTP-only port on 0.0.0.0 takes plaintext (stderr: ${run.stderr})`);
  const doc = JSON.parse(run.stdout) as { endpoints: { target: string; verdict: string; violations: { rule: string }[] }[]; workloads: Workload[] };
  t.same(reportErrors(doc), []);
  const http = byPid(doc.workloads, run.pids.http);
  t.equal(http.verdict, 'fail');
  t.match(http.endpoints, [{ verdict: 'fail', note: 'plaintext HTTP' }]);
  const inReport = doc.endpoints.find((e) => e.target === http.endpoints[0]!.target);
  t.same(inReport?.violations.map((v) => v.rule), ['plaintext'], 'and it is in endpoints[], failing on the plaintext rule');
  t.equal(byPid(doc.workloads, run.pids.go).verdict, 'pass', 'the Go TLS workload still passes');

  const mixed = await pod('mixed', '--format', 'json', '--require-tls');
  const mixedDoc = JSON.parse(mixed.stdout) as { workloads: Workload[] };
  const node = byPid(mixedDoc.workloads, mixed.pids.nodeTls);
  t.match(node.endpoints.find((e) => e.target.startsWith('127.0.0.1:')), { verdict: 'not-tls', note: 'HTTP' }, "the Node process's HTTP port is bound to 127.0.0.1 only: out of reach, not judged");
});
