/**
 * fipscan next to its peers (bench/peerTools.ts: testssl.sh, sslscan, nmap's ssl-enum-ciphers),
 * on the same loopback servers, one tool at a time. Each server sits behind a counting TCP relay
 * (test/helpers/tcpProxy.ts), the method of /work/shared/reference/peer-scanners.md, so every
 * connection a tool opens is counted. Two sections:
 * - per server: wall time (process start to exit), connections, the accepted suites found per
 *   protocol and whether they agree with fipscan's, with each tool's ratio to fipscan;
 * - fleet: N servers (the same shapes, alternating), each behind its own relay, scanned the way a
 *   user scans a fleet with each tool (bench/peerTools.ts says how): total wall time, total
 *   connections, endpoints/s, ratios to fipscan, and on how many servers the suites agree.
 * Tools that are not installed are skipped. Everything is 127.0.0.1. Numbers only.
 *
 *   npm run bench:peers                          (builds first; N = 20)
 *   PEERS_FLEET=5 npm run bench:peers            (N = 5; 0 skips the fleet section)
 *   node dist/bench/peers.js --fleet 5           (the same, once built)
 *
 * apt-get install testssl.sh sslscan nmap for the peers.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startNodeServer, type RunningServer, type TlsVersionName } from '../test/helpers/servers.js';
import { shapes, type Shape } from '../test/helpers/shapes.js';
import { startTcpProxy, type TcpProxy } from '../test/helpers/tcpProxy.js';
import { available, key, scanFleet, tools, type Suites } from './peerTools.js';

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

const fleetN = fleetSize();
const installed = await Promise.all(tools.map(available));
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
    for (const [i, tool] of tools.entries()) {
      if (!installed[i]) {
        out.push(`  ${tool.name.padEnd(22)} skipped: ${tool.binary} is not installed`);
        continue;
      }
      const runDir = mkdtempSync(join(dir, 'run-'));
      proxy.resetCount();
      const t0 = performance.now();
      try {
        const suites = await tool.scan(proxy.port, runDir);
        measured.push({ tool: tool.name, wallMs: performance.now() - t0, connections: proxy.connections(), suites });
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
    out.push('');
  } finally {
    await proxy?.close();
    await server?.close();
  }
}
out.push('wall s: process start to exit, one tool at a time; conns: TCP connections through the relay;');
out.push('suites: accepted (protocol, suite) pairs, SSLv2 excluded; ×fipscan: the tool divided by fipscan.');
if (fleetN > 0) out.push('', ...(await fleetSection(fleetN)));
rmSync(dir, { recursive: true, force: true });
process.stdout.write(`${out.join('\n')}\n`);

/** The fleet table: n servers, shapes alternating, each behind its own relay. */
async function fleetSection(n: number): Promise<string[]> {
  const fleet: { shape: Shape; server: RunningServer; proxy: TcpProxy }[] = [];
  const lines: string[] = [];
  try {
    for (let i = 0; i < n; i++) {
      const { shape } = servers[i % servers.length]!;
      const server = await startNodeServer(shape.config.node);
      fleet.push({ shape, server, proxy: await startTcpProxy({ targetPort: server.port }) });
    }
    const ports = fleet.map((f) => f.proxy.port);
    lines.push(`fleet: ${n} servers (${servers.map((s) => s.label).join(', ')}, alternating), each behind its own counting relay`);
    lines.push(
      `  ${'tool'.padEnd(22)} ${'mode'.padEnd(16)} ${'N'.padStart(4)} ${'wall s'.padStart(8)} ${'conns'.padStart(6)} ${'endpoints/s'.padStart(11)}  ${'time ×fipscan'.padStart(13)} ${'conns ×fipscan'.padStart(14)}  ${'agree'.padStart(6)}`,
    );
    const disagreements: string[] = [];
    let fipscan: { wallMs: number; connections: number; found: Map<number, Suites> } | undefined;
    for (const [i, tool] of tools.entries()) {
      if (!installed[i]) {
        lines.push(`  ${tool.name.padEnd(22)} skipped: ${tool.binary} is not installed`);
        continue;
      }
      for (const f of fleet) f.proxy.resetCount();
      const t0 = performance.now();
      let result: Awaited<ReturnType<typeof scanFleet>>;
      try {
        result = await scanFleet(tool, ports, mkdtempSync(join(dir, 'fleet-')));
      } catch (err) {
        lines.push(`  ${tool.name.padEnd(22)} failed: ${(err as Error).message.split('\n')[0]}`);
        continue;
      }
      const wallMs = performance.now() - t0;
      const connections = fleet.reduce((sum, f) => sum + f.proxy.connections(), 0);
      if (tool.name === 'fipscan') fipscan = { wallMs, connections, found: result.found };
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
    lines.push('wall s: from the first process start to the last exit; conns: summed over the relays; endpoints/s: N / wall s;');
    lines.push("agree: servers whose suites equal fipscan's (fipscan's own row: equal to the shape's known suites);");
    lines.push('modes: fipscan one process (--concurrency 8); testssl.sh one --file run (serial: it starts itself once per');
    lines.push('target); sequential: one process per target, one after another. Servers and relays run in this process.');
  } finally {
    for (const f of fleet) {
      await f.proxy.close();
      await f.server.close();
    }
  }
  return lines;
}
