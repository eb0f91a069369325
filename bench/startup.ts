/**
 * One endpoint as a whole process (issue 19): `fipscan scan` run N times as its own process
 * against a local `openssl s_server` in a default configuration (test/helpers/servers.ts:
 * DEFAULT ciphers at OpenSSL's level 1, every TLS version enabled, an RSA 2048 certificate),
 * beside `sslscan --no-colour` on the same server, `node -e 0` and `fipscan --version`; then the
 * start-up and probe levers, each as a variant that runs without changing src/ (bench/startup/
 * build.ts makes the experimental builds): median and p90 wall time (spawn to exit), the probes
 * the scan used, the saving against its baseline, and whether its findings equal the shipped
 * bundle's. Rounds are interleaved (every variant once per round, in a new seeded order each round)
 * so that drift on a shared machine spreads over all of them, and each run starts only once both
 * servers have answered a handshake of ours (s_server works through its backlog one connection at
 * a time: leftovers of one run must not be charged to the next). Numbers only.
 *
 *   npm run bench:startup                      (builds first; N = 20)
 *   node dist/bench/startup.js [N] [--no-sea] [--only substring,...] [--baseline old/fipscan.mjs]
 *
 * --baseline adds a row for another build of the bundle (a copy of an older dist/fipscan.mjs, with
 * its fipscan.v8cache beside it if it had one): before and after, measured in the same rounds.
 *
 * Every process runs without NODE_EXTRA_CA_CERTS: Node 20 parses that bundle at every start
 * (45 ms for the 220 KB Debian bundle on the machine this was written on); when it is set here,
 * one more row shows what it costs. Needs `openssl`; sslscan, hyperfine-free. Node 24 rows and
 * the single executables need deploy/node24 (npm ci --prefix deploy/node24).
 */
import { spawn } from 'node:child_process';
import tls from 'node:tls';
import { existsSync, mkdirSync, rmSync } from 'node:fs';
import { cpus, loadavg, totalmem } from 'node:os';
import { join } from 'node:path';
import { repoRoot, startNodeServer, startOpenSSLServer, type RunningServer } from '../test/helpers/servers.js';
import { mulberry32 } from '../test/helpers/random.js';
import { available, tools } from './peerTools.js';
import { budgets, describeBudget, describeOverruns, overruns, type ReportEndpoint } from './probeBudget.js';
import { countSteps, runLogged, stepOf, type StepCount } from './probeSteps.js';
import { buildVariants, cleanEnv, node24, outDir, type Builds } from './startup/build.js';

const argv = process.argv.slice(2);
const rounds = /^\d+$/.test(argv[0] ?? '') ? Number(argv[0]) : 20;
const WARMUP = 2;
const noSea = argv.includes('--no-sea');
const onlyAt = argv.indexOf('--only');
const only = onlyAt >= 0 ? (argv[onlyAt + 1] ?? '').split(',') : null;
const baselineAt = argv.indexOf('--baseline');
const baselineBundle = baselineAt >= 0 ? argv[baselineAt + 1] : undefined;

/** One timed command. `scan` rows can also be asked for JSON (probes, findings); `baseline` names the row a lever is compared with. */
interface Row {
  name: string;
  section: 'reference' | 'start-up lever' | 'probe lever' | 'per-host on a multi-threaded server';
  command: string;
  /** Arguments before `scan` (a script, --snapshot-blob ...). */
  prefix: string[];
  /** What follows the program: `scan ...`, `--version`, or the whole command line for others. */
  kind: 'scan' | 'version' | 'other' | 'library';
  args?: string[];
  target?: 'openssl' | 'node';
  env?: NodeJS.ProcessEnv;
  baseline?: string;
  library?: Record<string, unknown>;
}

interface Measured {
  row: Row;
  times: number[];
  /** From the library rows' stderr: the scan's own duration, every run. */
  scanMs: number[];
  probes: number | null;
  findings: string | null;
  failures: number;
}

const env = cleanEnv();
const extraCaCerts = process.env['NODE_EXTRA_CA_CERTS'];
const FIPSCAN = join(repoRoot, 'dist', 'fipscan.mjs');
const SHIPPED_SEA = join(repoRoot, 'dist', 'bin', 'fipscan');
const n24 = node24();
const compileCacheDir = join(outDir, 'node-compile-cache');

function rows(b: Builds, hasSslscan: boolean): Row[] {
  const scan = (name: string, section: Row['section'], command: string, prefix: string[], extra: Partial<Row> = {}): Row => ({ name, section, command, prefix, kind: 'scan', target: 'openssl', ...extra });
  const node = process.execPath;
  const base = 'fipscan scan (dist/fipscan.mjs, Node 20)';
  const base24 = 'fipscan scan, Node 24 (dist/fipscan.mjs)';
  const out: Row[] = [
    { name: 'node -e 0', section: 'reference', command: node, prefix: [], kind: 'other', args: ['-e', '0'] },
    { name: 'fipscan --version', section: 'reference', command: node, prefix: [FIPSCAN], kind: 'version' },
    scan(base, 'reference', node, [FIPSCAN]),
  ];
  if (baselineBundle !== undefined) out.push(scan(`baseline: ${baselineBundle}`, 'reference', node, [baselineBundle]));
  if (hasSslscan) {
    out.push({ name: 'sslscan --no-colour', section: 'reference', command: 'sslscan', prefix: [], kind: 'other', target: 'openssl' });
    // Its key-exchange group checks wait on s_server (0.5 s gaps inside two connections, seen with strace): the rest alone.
    out.push({ name: 'sslscan --no-colour --no-groups', section: 'reference', command: 'sslscan', prefix: [], kind: 'other', target: 'openssl', args: ['--no-groups'] });
  }
  if (extraCaCerts !== undefined) {
    out.push(scan(`${base}, NODE_EXTRA_CA_CERTS as set here`, 'reference', node, [FIPSCAN], { env: { ...env, NODE_EXTRA_CA_CERTS: extraCaCerts }, baseline: base }));
  }
  out.push(
    scan('the shipped bundle without its V8 code cache (dist/fipscan.mjs alone)', 'start-up lever', node, [b.noCodeCache], { baseline: base }),
    scan('CommonJS bundle, run directly (Node 20)', 'start-up lever', node, [b.cjs], { baseline: base }),
    scan('V8 code cache, vm.Script cachedData (Node 20)', 'start-up lever', node, [b.codeCache], { baseline: base }),
    scan('scan path only: other commands, html/junit/prom, inspect, k8s stubbed (Node 20)', 'start-up lever', node, [b.scanOnly], { baseline: base }),
    scan('scan path only + V8 code cache (Node 20)', 'start-up lever', node, [b.scanOnlyCodeCache], { baseline: base }),
  );
  if (b.snapshot20) out.push(scan('userland startup snapshot, --snapshot-blob (Node 20)', 'start-up lever', node, ['--snapshot-blob', b.snapshot20], { baseline: base }));
  if (n24) {
    out.push(
      { name: 'node24 -e 0', section: 'reference', command: n24, prefix: [], kind: 'other', args: ['-e', '0'] },
      scan(base24, 'reference', n24, [FIPSCAN], { baseline: base }),
      scan('NODE_COMPILE_CACHE (Node 24; module.enableCompileCache is the same from code)', 'start-up lever', n24, [FIPSCAN], { env: { ...env, NODE_COMPILE_CACHE: compileCacheDir }, baseline: base24 }),
    );
    if (b.snapshot24) out.push(scan('userland startup snapshot, --snapshot-blob (Node 24)', 'start-up lever', n24, ['--snapshot-blob', b.snapshot24], { baseline: base24 }));
  }
  if (existsSync(SHIPPED_SEA)) out.push(scan('single executable as deploy/build-bin.mjs builds it (Node 24, code cache)', 'reference', SHIPPED_SEA, [], { baseline: base24 }));
  if (b.sea) {
    out.push(
      scan('single executable, no code cache', 'start-up lever', b.sea.plain, [], { baseline: base24 }),
      scan('single executable, useCodeCache', 'start-up lever', b.sea.codeCache, [], { baseline: base24 }),
    );
    if (b.sea.snapshot) out.push(scan('single executable, useSnapshot', 'start-up lever', b.sea.snapshot, [], { baseline: base24 }));
  }
  const library = (name: string, options: Record<string, unknown>, baseline?: string): Row => ({ name, section: 'probe lever', command: node, prefix: [b.libraryScan], kind: 'library', target: 'openssl', library: options, baseline });
  const libBase = 'library scan, default ScanOptions (bundled, table output)';
  out.push(
    scan('--per-host 4', 'probe lever', node, [FIPSCAN], { args: ['--per-host', '4'], baseline: base }),
    scan('--per-host 8', 'probe lever', node, [FIPSCAN], { args: ['--per-host', '8'], baseline: base }),
    library(libBase, {}),
    library('library scan, skipTlsCertificate (no node:tls handshake)', { skipTlsCertificate: true }, libBase),
    library('library scan, protocols TLS 1.2 and 1.3 only', { protocols: ['TLSv1.2', 'TLSv1.3'] }, libBase),
    library('library scan, both', { skipTlsCertificate: true, protocols: ['TLSv1.2', 'TLSv1.3'] }, libBase),
  );
  const nodeBase = 'fipscan scan, Node tls server (default options)';
  out.push(scan(nodeBase, 'per-host on a multi-threaded server', node, [FIPSCAN], { target: 'node' }));
  for (const n of [4, 8]) out.push(scan(`--per-host ${n}, Node tls server`, 'per-host on a multi-threaded server', node, [FIPSCAN], { target: 'node', args: ['--per-host', String(n)], baseline: nodeBase }));
  if (hasSslscan) out.push({ name: 'sslscan --no-colour, Node tls server', section: 'per-host on a multi-threaded server', command: 'sslscan', prefix: [], kind: 'other', target: 'node', baseline: nodeBase });
  return out.filter((r) => only === null || only.some((o) => r.name.includes(o)) || r.name === base || r.name.startsWith('baseline: '));
}

/** The argument list of one run of `row` against `port` (json: the JSON report on stdout, for probes and findings). */
function argsOf(row: Row, ports: Record<'openssl' | 'node', number>, json = false): string[] {
  const target = `127.0.0.1:${ports[row.target ?? 'openssl']}`;
  switch (row.kind) {
    case 'other':
      return row.command === 'sslscan' ? ['--no-colour', ...(row.args ?? []), target] : (row.args ?? []);
    case 'version':
      return [...row.prefix, '--version'];
    case 'library':
      return [...row.prefix, target];
    case 'scan':
      return [...row.prefix, 'scan', '-q', ...(json ? ['--format', 'json'] : ['--no-color']), ...(row.args ?? []), target];
  }
}

/** Spawn to exit, in ms; stdout kept only when asked. */
function run(row: Row, args: string[], keep: boolean): Promise<{ ms: number; code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const rowEnv = { ...(row.env ?? env), ...(row.library ? { FIPSCAN_BENCH_SCAN_OPTIONS: JSON.stringify(row.library) } : {}) };
    const t0 = performance.now();
    const child = spawn(row.command, args, { env: rowEnv, stdio: ['ignore', keep ? 'pipe' : 'ignore', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout?.setEncoding('utf8').on('data', (s: string) => (stdout += s));
    child.stderr?.setEncoding('utf8').on('data', (s: string) => (stderr += s));
    child.once('error', reject);
    child.once('close', (code) => resolve({ ms: performance.now() - t0, code, stdout, stderr }));
  });
}

/** Resolves once the server at `port` has completed a TLS handshake with us (or refused it): it got to our connection. */
function serverIdle(port: number): Promise<void> {
  return new Promise((resolve) => {
    const socket = tls.connect({ host: '127.0.0.1', port, rejectUnauthorized: false, ca: [] }, () => {
      socket.destroy();
      resolve();
    });
    socket.once('error', () => resolve());
    socket.setTimeout(5000, () => {
      socket.destroy();
      resolve();
    });
  });
}

function shuffle<T>(items: T[], random: () => number): T[] {
  for (let i = items.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [items[i], items[j]] = [items[j]!, items[i]!];
  }
  return items;
}

/** What a scan found, for comparing variants: verdict, suites per version, groups, probes aside. */
function findingsOf(json: string): string | null {
  try {
    const e = (JSON.parse(json) as { endpoints: { verdict: string; protocols: { name: string; offered: unknown; ciphers: { id: string }[] }[]; groups: { id: string; protocols: string[] }[] }[] }).endpoints[0]!;
    return JSON.stringify([e.verdict, e.protocols.map((p) => [p.name, p.offered, p.ciphers.map((c) => c.id)]), e.groups.map((g) => [g.id, g.protocols])]);
  } catch {
    return null;
  }
}

function quantile(sorted: readonly number[], q: number): number {
  if (sorted.length === 0) return NaN;
  const at = (sorted.length - 1) * q;
  const lo = Math.floor(at);
  const hi = Math.ceil(at);
  return sorted[lo]! + (sorted[hi]! - sorted[lo]!) * (at - lo);
}
const median = (xs: readonly number[]) => quantile([...xs].sort((a, b) => a - b), 0.5);
const p90 = (xs: readonly number[]) => quantile([...xs].sort((a, b) => a - b), 0.9);

const loadBefore = loadavg();
const hasSslscan = await available(tools.find((t) => t.name === 'sslscan')!);
process.stderr.write('startup: building the variants (dist/bench-startup/)\n');
const builds = await buildVariants({ sea: !noSea });
rmSync(compileCacheDir, { recursive: true, force: true });
mkdirSync(compileCacheDir, { recursive: true });

const STEP_RUNS = 5;
const stepTime = new Map<string, { step: string; protocol: string; probes: number; ms: number }>();
let lastLogged: { endpoint: ReportEndpoint; steps: StepCount[] } | null = null;
let openssl: RunningServer | null = null;
let nodeServer: RunningServer | null = null;
const measured: Measured[] = [];
try {
  openssl = await startOpenSSLServer({ cert: 'rsa2048', protocols: ['TLSv1.0', 'TLSv1.1', 'TLSv1.2', 'TLSv1.3'] });
  nodeServer = await startNodeServer({ cert: 'rsa2048' });
  const ports = { openssl: openssl.port, node: nodeServer.port };
  const all = rows(builds, hasSslscan);
  for (const row of all) measured.push({ row, times: [], scanMs: [], probes: null, findings: null, failures: 0 });
  const total = (WARMUP + rounds) * measured.length;
  let done = 0;
  const random = mulberry32(19);
  for (let round = 0; round < WARMUP + rounds; round++) {
    // A new order every round (seeded): no variant always follows the same one.
    const order = shuffle([...measured], random);
    for (const m of order) {
      // s_server takes one connection at a time: what a run left in its backlog must not be charged to the next.
      await serverIdle(ports.openssl);
      await serverIdle(ports.node);
      const r = await run(m.row, argsOf(m.row, ports), false);
      done++;
      if (done % 25 === 0) process.stderr.write(`startup: ${done}/${total} runs\n`);
      // fipscan exits 1 on a FAIL verdict, which this server earns; anything above 2 is a failed run.
      if (r.code === null || r.code > 2) m.failures++;
      if (round < WARMUP) continue;
      m.times.push(r.ms);
      const scanMs = /fipscan-bench probes=(\d+) scanMs=(\d+)/.exec(r.stderr);
      if (scanMs) {
        m.probes = Number(scanMs[1]);
        m.scanMs.push(Number(scanMs[2]));
      }
    }
  }
  // Where the scan's time goes on this server: STEP_RUNS instrumented runs (bench/probeSteps.ts).
  for (let i = 0; i < STEP_RUNS; i++) {
    const logged = await runLogged(['scan', '-q', '--format', 'json', `127.0.0.1:${ports.openssl}`], env);
    const entries = [...logged.entries].sort((a, b) => a.t - b.t);
    for (const c of countSteps(entries)) {
      const key = `${c.step}\0${c.protocol}`;
      const s = stepTime.get(key) ?? { step: c.step, protocol: c.protocol, probes: 0, ms: 0 };
      s.probes += c.probes / STEP_RUNS;
      stepTime.set(key, s);
    }
    // The last probe runs until the scan ends: the first probe's start plus the scan's own duration.
    const loggedEndpoint = (JSON.parse(logged.stdout || '{"endpoints":[{}]}') as { endpoints: (Partial<ReportEndpoint> | undefined)[] }).endpoints[0];
    const durationMs = loggedEndpoint?.durationMs ?? 0;
    if (loggedEndpoint?.protocols) lastLogged = { endpoint: loggedEndpoint as ReportEndpoint, steps: countSteps(entries) };
    const end = (entries[0]?.t ?? 0) + durationMs;
    for (const [j, e] of entries.entries()) {
      const next = entries[j + 1]?.t ?? Math.max(end, e.t);
      stepTime.get(`${stepOf(e)}\0${e.protocol ?? 'TLS'}`)!.ms += (next - e.t) / STEP_RUNS;
    }
  }
  // Probes and findings: one more run of each scan row with --format json.
  for (const m of measured) {
    if (m.row.kind !== 'scan') continue;
    const r = await run(m.row, argsOf(m.row, ports, true), true);
    m.findings = findingsOf(r.stdout);
    m.probes = (JSON.parse(r.stdout || '{"endpoints":[{}]}') as { endpoints: { probes?: number }[] }).endpoints[0]?.probes ?? null;
  }
} finally {
  await openssl?.close();
  await nodeServer?.close();
}

// ---------------------------------------------------------------------------------------------
// Report

const byName = new Map(measured.map((m) => [m.row.name, m]));
const shippedFindings = new Map<string, string | null>();
for (const m of measured) if (m.row.kind === 'scan' && !shippedFindings.has(m.row.target ?? 'openssl')) shippedFindings.set(m.row.target ?? 'openssl', m.findings);
const fmt = (n: number) => (Number.isFinite(n) ? n.toFixed(0) : 'n/a');
const width = Math.max(...measured.map((m) => m.row.name.length));
const lines: string[] = [];
lines.push(`fipscan, one endpoint as a whole process: ${rounds} interleaved runs per row after ${WARMUP} warm-up runs, wall time from spawn to exit`);
lines.push(`machine: ${cpus().length} cpu (${cpus()[0]?.model ?? '?'}), ${(totalmem() / 2 ** 30).toFixed(1)} GiB; node ${process.version}${n24 ? `, node24 at deploy/node24` : ', no Node 24'}; NODE_EXTRA_CA_CERTS ${extraCaCerts === undefined ? 'not set' : `set here (${extraCaCerts}), removed for every row but one`}`);
lines.push(`load average (1, 5, 15 min): ${loadBefore.map((l) => l.toFixed(2)).join(' ')} before, ${loadavg().map((l) => l.toFixed(2)).join(' ')} after (other processes on this machine are part of the noise)`);
lines.push(`server: openssl s_server -www, DEFAULT:@SECLEVEL=1, every TLS version enabled, rsa2048 (OpenSSL 3 refuses TLS 1.0/1.1 at level 1); serves one connection at a time`);
lines.push('');
let section = '';
for (const m of measured) {
  if (m.row.section !== section) {
    section = m.row.section;
    lines.push(`${section}:`);
    lines.push(`  ${'row'.padEnd(width)} ${'median'.padStart(7)} ${'p90'.padStart(6)} ${'probes'.padStart(6)} ${'saving'.padStart(7)} ${'%'.padStart(5)}  findings`);
  }
  const med = median(m.times);
  const base = m.row.baseline ? byName.get(m.row.baseline) : undefined;
  const saving = base ? median(base.times) - med : NaN;
  const pct = base ? (saving / median(base.times)) * 100 : NaN;
  const same = m.row.kind !== 'scan' ? '' : m.findings === null ? 'n/a (no JSON)' : m.findings === shippedFindings.get(m.row.target ?? 'openssl') ? 'same' : 'DIFFERENT';
  const failed = m.failures > 0 ? `  (${m.failures} runs exited > 2)` : '';
  lines.push(`  ${m.row.name.padEnd(width)} ${fmt(med).padStart(7)} ${fmt(p90(m.times)).padStart(6)} ${(m.probes === null ? '' : String(m.probes)).padStart(6)} ${(base ? fmt(saving) : '').padStart(7)} ${(base ? pct.toFixed(0) : '').padStart(5)}  ${same}${failed}`);
}
lines.push('');
lines.push('saving: median of the row it is compared with (Node 20 levers: the shipped bundle on Node 20; Node 24 levers and the');
lines.push('single executables: the shipped bundle on Node 24; library levers: the library baseline) minus this median, in ms.');
lines.push('findings: verdict, suites per version and groups equal to the shipped bundle\'s on the same server.');

const m = (name: string) => byName.get(name);
const shipped = m('fipscan scan (dist/fipscan.mjs, Node 20)');
const sslscan = m('sslscan --no-colour');
const nodeE = m('node -e 0');
const version = m('fipscan --version');
const libBase = m('library scan, default ScanOptions (bundled, table output)');
if (shipped) {
  lines.push('');
  const s = median(shipped.times);
  if (sslscan) lines.push(`sslscan / fipscan median: ${(median(sslscan.times) / s).toFixed(2)} (issue 19 wants >= 1.0): fipscan ${fmt(s)} ms, sslscan ${fmt(median(sslscan.times))} ms`);
  const noGroups = m('sslscan --no-colour --no-groups');
  if (noGroups) lines.push(`  against sslscan --no-groups: ${(median(noGroups.times) / s).toFixed(2)}`);
  const before = baselineBundle === undefined ? undefined : m(`baseline: ${baselineBundle}`);
  if (before) lines.push(`  before (${baselineBundle}): ${fmt(median(before.times))} ms, sslscan / before ${sslscan ? (median(sslscan.times) / median(before.times)).toFixed(2) : 'n/a'}; now ${fmt(s)} ms`);
  const nodeBase = m('fipscan scan, Node tls server (default options)');
  const nodeSslscan = m('sslscan --no-colour, Node tls server');
  if (nodeBase && nodeSslscan) lines.push(`  on the Node tls server: ${(median(nodeSslscan.times) / median(nodeBase.times)).toFixed(2)} (fipscan ${fmt(median(nodeBase.times))} ms at --per-host 2, sslscan ${fmt(median(nodeSslscan.times))} ms)`);
  if (nodeE && version && libBase) {
    const start = median(nodeE.times);
    const load = median(version.times) - start;
    const scanPhase = median(libBase.scanMs);
    lines.push(`where the ${fmt(s)} ms go (medians): bare node ${fmt(start)}, loading the bundle and commander (--version minus node -e 0) ${fmt(load)},`);
    lines.push(`  the scan itself (${libBase.probes ?? '?'} probes, measured inside the library rows) ${fmt(scanPhase)}, the rest (policy, rendering, exit) ${fmt(s - start - load - scanPhase)}`);
  }
}
if (stepTime.size > 0) {
  const steps = [...stepTime.values()].sort((a, b) => b.ms - a.ms);
  const total = steps.reduce((n, s) => n + s.ms, 0);
  lines.push('', `the scan on this server by step (${STEP_RUNS} instrumented runs, bench/probeSteps.ts; ms: from each probe's start to the next one's (the last: to the scan's end), summed; --per-host 2):`);
  for (const s of steps) lines.push(`  ${`${s.step} (${s.protocol})`.padEnd(52)} ${s.probes.toFixed(1).padStart(5)} probes ${s.ms.toFixed(0).padStart(5)} ms ${((s.ms / total) * 100).toFixed(0).padStart(3)}%`);
}
if (lastLogged) {
  const b = budgets(lastLogged.endpoint);
  lines.push('', `connections on this server against the budget (bench/probeBudget.ts): ${lastLogged.endpoint.probes} used; ${describeBudget(b)}`);
  lines.push(`  beyond the proposed budget: ${describeOverruns(overruns(lastLogged.endpoint, b, lastLogged.steps)) || 'nothing'}`);
}
if (builds.failures.length > 0) lines.push('', 'not built:', ...builds.failures.map((f) => `  ${f}`));
process.stdout.write(`${lines.join('\n')}\n`);
