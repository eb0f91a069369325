/**
 * fipscan next to its peers (bench/peerTools.ts: testssl.sh, sslscan, nmap's ssl-enum-ciphers),
 * on the same loopback servers, one tool at a time. Each server sits behind a counting TCP relay
 * (test/helpers/tcpProxy.ts), the method of /work/shared/reference/peer-scanners.md, so every
 * connection a tool opens is counted; but every wall time comes from a run of the same scan
 * straight to the servers, because the relay changes the timing it would measure: it answers each
 * close itself, which hides OpenSSL s_server's lingering close (after refusing a hello it shuts its
 * side and waits up to 0.5 s for the client to close; sslscan reads on until then, so a default
 * s_server costs sslscan 2.1 s straight and 0.2 s through the relay, 113 connections either way).
 * Two sections:
 * - per server: wall time (process start to exit), connections, the accepted suites found per
 *   protocol and whether they agree with fipscan's, with each tool's ratio to fipscan;
 * - fleet: N servers (the same shapes, alternating), each behind its own relay, scanned the way a
 *   user scans a fleet with each tool (bench/peerTools.ts says how): total wall time, total
 *   connections, endpoints/s, ratios to fipscan, and on how many servers the suites agree; then
 *   per server (issue 19): the connections fipscan opened through its relay beside the budget
 *   6 + suites + groups + protocols + 2 from the scan's own findings and beside the proposed budget
 *   that also pays for the newer steps (bench/probeBudget.ts has the formula), every probe beyond
 *   either named by step (a second, instrumented fipscan run, bench/probeSteps.ts, whose relay
 *   counts must equal its log's), and fipscan's time for the server beside sslscan's process, with
 *   sslscan's time summed per stack (on OpenSSL it waits out each lingering close, see above).
 * Tools that are not installed are skipped. Everything is 127.0.0.1. Numbers only.
 *
 *   npm run bench:peers                          (builds first; N = 20)
 *   PEERS_FLEET=5 npm run bench:peers            (N = 5; 0 skips the fleet section)
 *   node dist/bench/peers.js --fleet 5           (the same, once built)
 *   node dist/bench/peers.js --stacks node,openssl,gnutls   (the fleet's servers on each stack in turn)
 *   PEERS_TOOLS=sslscan npm run bench:peers      (fipscan and only these peers; testssl.sh takes minutes per server)
 *
 * apt-get install testssl.sh sslscan nmap for the peers.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startNodeServer, type RunningServer, type Stack, type TlsVersionName } from '../test/helpers/servers.js';
import { shapes, startShape, type Shape } from '../test/helpers/shapes.js';
import { startTcpProxy, type TcpProxy } from '../test/helpers/tcpProxy.js';
import { available, key, scanFleet, tools, type Suites, type Tool } from './peerTools.js';
import { beyond, budgets, describeBudget, describeOverruns, describeSteps, overruns, type Budgets, type ReportEndpoint } from './probeBudget.js';
import { countSteps, runLogged, type StepCount } from './probeSteps.js';

interface Measured {
  tool: string;
  wallMs: number;
  connections: number;
  suites: Suites;
}

function agreement(mine: Suites, theirs: Suites): string {
  const onlyFipscan = [...mine].filter((s) => !theirs.has(s));
  const onlyTool = [...theirs].filter((s) => !mine.has(s));
  if (onlyFipscan.length === 0 && onlyTool.length === 0) return 'agree';
  return [onlyFipscan.length ? `fipscan only: ${onlyFipscan.join(' ')}` : '', onlyTool.length ? `tool only: ${onlyTool.join(' ')}` : ''].filter(Boolean).join('; ');
}

/** The suites a shape's Node server accepts (test/helpers/shapes.ts), keyed like the tools' results. */
function expectedSuites(shape: Shape): Suites {
  const expected: Suites = new Set();
  for (const [version, e] of Object.entries(shape.expected.node.versions) as [TlsVersionName, { suites: number[] } | null][]) {
    for (const id of e?.suites ?? []) expected.add(key(version, id));
  }
  return expected;
}

/**
 * The TLS stacks the fleet's servers run, in turn (`--stacks node,openssl,gnutls`, else
 * PEERS_STACKS, else node): a lab of one stack, or of several as a real fleet is.
 */
function fleetStacks(): Stack[] {
  const flag = process.argv.indexOf('--stacks');
  const raw = flag >= 0 ? process.argv[flag + 1] : process.env['PEERS_STACKS'];
  const stacks = (raw ?? 'node').split(',').map((s) => s.trim());
  for (const s of stacks) if (!['node', 'openssl', 'gnutls'].includes(s)) throw new Error(`--stacks: node, openssl or gnutls, got ${JSON.stringify(s)}`);
  return stacks as Stack[];
}

/** N from `--fleet N`, else PEERS_FLEET, else 20. */
function fleetSize(): number {
  const flag = process.argv.indexOf('--fleet');
  const raw = flag >= 0 ? process.argv[flag + 1] : process.env['PEERS_FLEET'];
  if (raw === undefined || raw === '') return 20;
  if (!/^\d+$/.test(raw)) throw new Error(`fleet size must be a whole number, got ${JSON.stringify(raw)}`);
  return Number(raw);
}

const ratio = (a: number, b: number | undefined): string => (b ? `${(a / b).toFixed(1)}×` : 'n/a');
const servers: { label: string; shape: Shape }[] = [
  { label: 'strict (fipsStrictRsa)', shape: shapes.fipsStrictRsa },
  { label: 'sidecar (meshSidecar)', shape: shapes.meshSidecar },
];

/** Peers from `--tools a,b`, else PEERS_TOOLS, else all; fipscan always runs. */
function wantedTool(name: string): boolean {
  const flag = process.argv.indexOf('--tools');
  const raw = flag >= 0 ? process.argv[flag + 1] : process.env['PEERS_TOOLS'];
  if (raw === undefined || raw === '' || name === 'fipscan') return true;
  return raw.split(',').some((t) => name.startsWith(t.trim()));
}

const fleetN = fleetSize();
const installed = await Promise.all(tools.map(async (t) => wantedTool(t.name) && (await available(t))));
const dir = mkdtempSync(join(tmpdir(), 'fipscan-peers-'));
const out: string[] = ['fipscan vs peers, one tool at a time, loopback (127.0.0.1), Node tls servers behind a counting relay', ''];
for (const { label, shape } of servers) {
  let server: RunningServer | null = null;
  let proxy: TcpProxy | null = null;
  try {
    server = await startNodeServer(shape.config.node);
    proxy = await startTcpProxy({ targetPort: server.port });
    out.push(`${label}: ${shape.summary}`);
    out.push(`  ${'tool'.padEnd(22)} ${'wall s'.padStart(7)} ${'conns'.padStart(6)} ${'suites'.padStart(6)}  ${'time ×fipscan'.padStart(13)} ${'conns ×fipscan'.padStart(14)}  suites vs fipscan`);
    const measured: Measured[] = [];
    const differing: string[] = [];
    for (const [i, tool] of tools.entries()) {
      if (!installed[i]) {
        out.push(`  ${tool.name.padEnd(22)} skipped: ${wantedTool(tool.name) ? `${tool.binary} is not installed` : 'not in --tools / PEERS_TOOLS'}`);
        continue;
      }
      try {
        const run = await timedAndCounted(tool, [{ shape, stack: 'node', server, proxy }]);
        measured.push({ tool: tool.name, wallMs: run.wallMs, connections: run.connections, suites: run.result.found.get(proxy.port) ?? new Set() });
        differing.push(...run.disagreements);
      } catch (err) {
        out.push(`  ${tool.name.padEnd(22)} failed: ${(err as Error).message.split('\n')[0]}`);
      }
    }
    const fipscan = measured.find((m) => m.tool === 'fipscan');
    for (const m of measured) {
      const versus = m === fipscan ? `(${[...m.suites].join(' ')})` : fipscan ? agreement(fipscan.suites, m.suites) : 'n/a';
      out.push(
        `  ${m.tool.padEnd(22)} ${(m.wallMs / 1000).toFixed(2).padStart(7)} ${String(m.connections).padStart(6)} ${String(m.suites.size).padStart(6)}  ${ratio(m.wallMs, fipscan?.wallMs).padStart(13)} ${ratio(m.connections, fipscan?.connections).padStart(14)}  ${versus}`,
      );
    }
    out.push(...differing, '');
  } finally {
    await proxy?.close();
    await server?.close();
  }
}
out.push('wall s: process start to exit, one tool at a time, straight to the server; conns: TCP connections through the relay,');
out.push('in a second run of the same scan;');
out.push('suites: accepted (protocol, suite) pairs, SSLv2 excluded; ×fipscan: the tool divided by fipscan.');
if (fleetN > 0) out.push('', ...(await fleetSection(fleetN)));
rmSync(dir, { recursive: true, force: true });
process.stdout.write(`${out.join('\n')}\n`);

/** One server of the fleet: its shape, its stack, and the counting relay in front of it. */
interface LabServer {
  shape: Shape;
  stack: Stack;
  server: RunningServer;
  proxy: TcpProxy;
}

/** The fleet table: n servers, shapes alternating, each behind its own relay. */
async function fleetSection(n: number): Promise<string[]> {
  const fleet: LabServer[] = [];
  const lines: string[] = [];
  try {
    const stacks = fleetStacks();
    for (let i = 0; i < n; i++) {
      const { shape } = servers[i % servers.length]!;
      const stack = stacks[Math.floor(i / servers.length) % stacks.length]!;
      const server = await startShape(shape, stack);
      fleet.push({ shape, stack, server, proxy: await startTcpProxy({ targetPort: server.port }) });
    }
    lines.push(`fleet: ${n} servers (${servers.map((s) => s.label).join(', ')}, alternating; stacks ${stacks.join(', ')} in turn), each behind its own counting relay`);
    lines.push(
      `  ${'tool'.padEnd(22)} ${'mode'.padEnd(16)} ${'N'.padStart(4)} ${'wall s'.padStart(8)} ${'conns'.padStart(6)} ${'endpoints/s'.padStart(11)}  ${'time ×fipscan'.padStart(13)} ${'conns ×fipscan'.padStart(14)}  ${'agree'.padStart(6)}`,
    );
    const disagreements: string[] = [];
    let fipscan: { wallMs: number; connections: number; found: Map<number, Suites>; perServer: number[] } | undefined;
    let sslscanPerTarget: Map<number, number> | null = null;
    let sslscanWallMs: number | undefined;
    for (const [i, tool] of tools.entries()) {
      if (!installed[i]) {
        lines.push(`  ${tool.name.padEnd(22)} skipped: ${wantedTool(tool.name) ? `${tool.binary} is not installed` : 'not in --tools / PEERS_TOOLS'}`);
        continue;
      }
      let run: FleetRun;
      try {
        run = await timedAndCounted(tool, fleet);
      } catch (err) {
        lines.push(`  ${tool.name.padEnd(22)} failed: ${(err as Error).message.split('\n')[0]}`);
        continue;
      }
      const { timed, result, wallMs, connections } = run;
      disagreements.push(...run.disagreements);
      if (tool.name === 'fipscan') fipscan = { wallMs, connections, found: result.found, perServer: fleet.map((f) => f.proxy.connections()) };
      if (tool.name === 'sslscan') {
        const perServer = timed.perTargetMs;
        sslscanPerTarget = perServer && new Map(fleet.map((f) => [f.proxy.port, perServer.get(f.server.port) ?? NaN]));
        sslscanWallMs = wallMs;
      }
      // fipscan is judged against what each shape is known to accept, the peers against fipscan.
      let agreeing = 0;
      for (const f of fleet) {
        const reference = tool.name === 'fipscan' ? expectedSuites(f.shape) : fipscan?.found.get(f.proxy.port);
        const verdict = reference ? agreement(reference, result.found.get(f.proxy.port) ?? new Set()) : 'no fipscan result';
        if (verdict === 'agree') agreeing++;
        else disagreements.push(`  ${tool.name} on 127.0.0.1:${f.proxy.port} (${f.shape.name}): ${verdict}`);
      }
      lines.push(
        `  ${tool.name.padEnd(22)} ${result.mode.padEnd(16)} ${String(n).padStart(4)} ${(wallMs / 1000).toFixed(2).padStart(8)} ${String(connections).padStart(6)} ${((n * 1000) / wallMs).toFixed(2).padStart(11)}  ${ratio(wallMs, fipscan?.wallMs).padStart(13)} ${ratio(connections, fipscan?.connections).padStart(14)}  ${`${agreeing}/${n}`.padStart(6)}`,
      );
    }
    lines.push(...disagreements);
    lines.push('wall s: from the first process start to the last exit, straight to the servers; conns: summed over the relays in a');
    lines.push('second run of the same scan; endpoints/s: N / wall s;');
    lines.push("agree: servers whose suites equal fipscan's (fipscan's own row: equal to the shape's known suites);");
    lines.push('modes: fipscan one process (--concurrency 8); testssl.sh one --file run (serial: it starts itself once per');
    lines.push('target); sequential: one process per target, one after another. Servers and relays run in this process.');
    if (fipscan) lines.push('', ...(await budgetSection(fleet, fipscan, sslscanPerTarget, sslscanWallMs)));
  } finally {
    for (const f of fleet) {
      await f.proxy.close();
      await f.server.close();
    }
  }
  return lines;
}

/** A fleet scan by one tool: timed straight to the servers, its connections counted in a second run through the relays. */
interface FleetRun {
  timed: Awaited<ReturnType<typeof scanFleet>>;
  /** The counted run, keyed by relay port. */
  result: Awaited<ReturnType<typeof scanFleet>>;
  wallMs: number;
  connections: number;
  /** Servers where the two runs found different suites. */
  disagreements: string[];
}

/** Runs `tool` over the servers twice (see the header: a relay changes the timing it would measure). */
async function timedAndCounted(tool: Tool, fleet: readonly LabServer[]): Promise<FleetRun> {
  const t0 = performance.now();
  const timed = await scanFleet(
    tool,
    fleet.map((f) => f.server.port),
    mkdtempSync(join(dir, 'fleet-')),
  );
  const wallMs = performance.now() - t0;
  for (const f of fleet) f.proxy.resetCount();
  const result = await scanFleet(
    tool,
    fleet.map((f) => f.proxy.port),
    mkdtempSync(join(dir, 'fleet-')),
  );
  const connections = fleet.reduce((sum, f) => sum + f.proxy.connections(), 0);
  const disagreements = fleet.flatMap((f) => {
    const verdict = agreement(result.found.get(f.proxy.port) ?? new Set(), timed.found.get(f.server.port) ?? new Set());
    return verdict === 'agree' ? [] : [`  ${tool.name} on 127.0.0.1:${f.server.port} (${f.shape.name}), timed run against its counted run: ${verdict}`];
  });
  return { timed, result, wallMs, connections, disagreements };
}

/** One server's line of the budget table and its named connections. */
interface ServerBudget {
  name: string;
  stack: Stack;
  /** sslscan's own process for this server, when it ran. */
  sslscanMs: number | undefined;
  conns: number;
  /** The instrumented run's relay count and log length, when they differ from the timed run's. */
  check: string;
  endpoint: ReportEndpoint;
  budget: Budgets;
  steps: StepCount[];
}

/**
 * Issue 19's per-server view of the lab: connections against the issue's budget and the proposed
 * one, every probe beyond either named, and fipscan's time per server beside sslscan's. The names
 * come from a third fipscan run under the probe log (bench/probeSteps.ts), through the same relays;
 * `measured` is the timed run's wall time with the counted run's connections per server.
 */
async function budgetSection(
  fleet: LabServer[],
  measured: { wallMs: number; perServer: number[] },
  sslscanPerTarget: Map<number, number> | null,
  sslscanWallMs: number | undefined,
): Promise<string[]> {
  for (const f of fleet) f.proxy.resetCount();
  const logged = await runLogged(['scan', '--format', 'json', '-q', ...fleet.map((f) => `127.0.0.1:${f.proxy.port}`)]);
  const report = JSON.parse(logged.stdout) as { endpoints: ReportEndpoint[] };
  const servers: ServerBudget[] = [];
  const lines = [
    "fleet, per server: fipscan's connections (the counted run above; the instrumented run in brackets when it differs) against",
    "the issue 19 budget 6 + S + G + P + 2 and the proposed one, which adds O server order, C the SRP/ECCPWD hello, F the RFC 7919",
    'step, Σ12 and Σ13 the signature schemes and T the plaintext check (bench/probeBudget.ts), both from the scan\'s findings;',
    "fipscan ms: the endpoint's own scan time inside the one fipscan process (8 at once); sslscan s: its own process for that server.",
    `  ${'server'.padEnd(28)} ${'conns'.padStart(8)} ${'budget'.padStart(6)} ${'beyond'.padStart(6)} ${'proposed'.padStart(8)} ${'beyond'.padStart(6)} ${'fipscan ms'.padStart(10)} ${'sslscan s'.padStart(9)}`,
  ];
  for (const [i, f] of fleet.entries()) {
    const name = `127.0.0.1:${f.proxy.port} ${f.shape.name}`;
    const conns = measured.perServer[i]!;
    const endpoint = report.endpoints.find((e) => e.port === f.proxy.port);
    if (!endpoint) {
      lines.push(`  ${name.padEnd(28)} ${String(conns).padStart(8)}  no result in the instrumented run`);
      continue;
    }
    const entries = logged.entries.filter((e) => e.port === f.proxy.port);
    const again = f.proxy.connections();
    const check = again === conns && entries.length === again ? '' : ` [${again}${entries.length !== again ? `, log ${entries.length}` : ''}]`;
    const server: ServerBudget = { name, stack: f.stack, sslscanMs: sslscanPerTarget?.get(f.proxy.port), conns, check, endpoint, budget: budgets(endpoint), steps: countSteps(entries) };
    servers.push(server);
    lines.push(budgetRow(server));
  }
  lines.push(...budgetTotals(servers, measured.wallMs, sslscanWallMs));
  lines.push('', 'every connection beyond the issue\'s budget, by step, and beyond the proposed one (per server):', ...servers.flatMap(namedBeyond));
  return lines;
}

function budgetRow(s: ServerBudget): string {
  const sslscanMs = s.sslscanMs;
  const b = s.budget;
  const cells = [`${s.conns}${s.check}`.padStart(8), String(b.issue).padStart(6), String(s.conns - b.issue).padStart(6), String(b.proposed).padStart(8), String(s.conns - b.proposed).padStart(6)];
  return `  ${s.name.padEnd(28)} ${cells.join(' ')} ${String(s.endpoint.durationMs).padStart(10)} ${(sslscanMs === undefined ? 'n/a' : (sslscanMs / 1000).toFixed(2)).padStart(9)}`;
}

function budgetTotals(servers: readonly ServerBudget[], fipscanWallMs: number, sslscanWallMs: number | undefined): string[] {
  const sum = (f: (s: ServerBudget) => number): number => servers.reduce((n, s) => n + f(s), 0);
  const conns = sum((s) => s.conns);
  const issue = sum((s) => s.budget.issue);
  const proposed = sum((s) => s.budget.proposed);
  const pct = (budget: number): string => `${(((conns - budget) / budget) * 100).toFixed(0)}%`;
  const lines = [
    `  ${'all servers'.padEnd(28)} ${String(conns).padStart(8)} ${String(issue).padStart(6)} ${String(conns - issue).padStart(6)} ${String(proposed).padStart(8)} ${String(conns - proposed).padStart(6)}   (${pct(issue)} against the issue's budget, ${pct(proposed)} against the proposed one)`,
  ];
  if (sslscanWallMs !== undefined) {
    lines.push(`  lab wall time, sslscan / fipscan: ${(sslscanWallMs / fipscanWallMs).toFixed(1)}x (issue 19 wants >= 10x): fipscan ${(fipscanWallMs / 1000).toFixed(2)} s, sslscan ${(sslscanWallMs / 1000).toFixed(2)} s`);
    lines.push(`  sslscan's time by stack: ${sslscanByStack(servers)} (how much of the ratio each stack makes: fipscan scans them all at once)`);
  }
  return lines;
}

/** sslscan's per-server seconds summed per stack, with the number of servers. */
function sslscanByStack(servers: readonly ServerBudget[]): string {
  const stacks = [...new Set(servers.map((s) => s.stack))];
  return stacks
    .map((stack) => {
      const of = servers.filter((s) => s.stack === stack);
      const ms = of.reduce((n, s) => n + (s.sslscanMs ?? 0), 0);
      return `${stack} ${(ms / 1000).toFixed(2)} s (${of.length} servers)`;
    })
    .join(', ');
}

/** The budget formula with the server's numbers, the steps outside the issue's budget, and what overran the proposed one. */
function namedBeyond(s: ServerBudget): string[] {
  const over = beyond(s.steps, s.budget.issue);
  const slack = over.slack >= 0 ? `${over.inBudgetSteps} in the steps it pays for (${over.slack} to spare)` : `${over.inBudgetSteps} in the steps it pays for, ${-over.slack} over by themselves`;
  return [
    `  ${s.name}: ${describeBudget(s.budget)}`,
    `    issue's budget: ${slack}${over.repeats > 0 ? `, ${over.repeats} repeated hellos among them` : ''}; outside it: ${describeSteps(over.outside) || 'nothing'}`,
    `    beyond the proposed budget: ${describeOverruns(overruns(s.endpoint, s.budget, s.steps)) || 'nothing'}`,
  ];
}
