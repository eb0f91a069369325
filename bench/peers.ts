/**
 * fipscan next to its peers, on the same loopback servers, one tool at a time: testssl.sh
 * (`-p -E -f`: protocols, ciphers per protocol, forward secrecy with curves: what a FIPS judgement
 * needs), sslscan (default run), nmap's ssl-enum-ciphers (`-sT`, the script forced onto the port
 * with `+`, no -sV) and the fipscan CLI (`scan --format json`). Each server sits behind a counting
 * TCP relay (test/helpers/tcpProxy.ts), the method of /work/shared/reference/peer-scanners.md, so
 * every connection a tool opens is counted. Per server and tool it prints wall time (process
 * start to exit), connections, the accepted suites found per protocol (parsed from testssl's
 * --jsonfile, sslscan's --xml, nmap's -oX) and whether they agree with fipscan's, with each tool's
 * ratio to fipscan. Tools that are not installed are skipped. Everything is 127.0.0.1. Numbers only.
 *
 *   npm run bench:peers        (builds first; apt-get install testssl.sh sslscan nmap for the peers)
 */
import { execFile, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { CIPHER_SUITES } from '../src/registry/cipherSuites.js';
import { fipscanMain } from '../test/helpers/cli.js';
import { startNodeServer, type RunningServer } from '../test/helpers/servers.js';
import { shapes, type Shape } from '../test/helpers/shapes.js';
import { startTcpProxy, type TcpProxy } from '../test/helpers/tcpProxy.js';

const execFileP = promisify(execFile);
/** `TLSv1.2:0xc02f` for every accepted suite (SSLv2 left out: the tools treat it too differently). */
type Suites = Set<string>;

interface Tool {
  name: string;
  /** The executable to look for on PATH (null: always available). */
  binary: string | null;
  /** Runs the tool against 127.0.0.1:port with its output files in dir; resolves to the suites it found. */
  run(port: number, dir: string): Promise<Suites>;
}

const key = (protocol: string, id: number): string => `${protocol}:0x${id.toString(16).padStart(4, '0')}`;
const ianaIds = new Map(CIPHER_SUITES.map((s) => [s.iana, s.id]));

/** Runs a command to completion; its exit code is not an error (fipscan exits 1 on FAIL, testssl counts findings). */
function run(command: string, args: string[]): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.setEncoding('utf8').on('data', (s: string) => (stderr = (stderr + s).slice(-2000)));
    child.once('error', reject);
    child.once('close', (code, signal) => (signal ? reject(new Error(`${command} died by ${signal}: ${stderr}`)) : resolve()));
  });
}

const TESTSSL_PROTOCOLS: Record<string, string> = { ssl3: 'SSLv3', tls1: 'TLSv1.0', tls1_1: 'TLSv1.1', tls1_2: 'TLSv1.2', tls1_3: 'TLSv1.3' };

const tools: Tool[] = [
  {
    name: 'fipscan',
    binary: null,
    async run(port, dir) {
      const out = join(dir, 'fipscan.json');
      await run(process.execPath, [fipscanMain, 'scan', '--format', 'json', '-q', '-o', out, `127.0.0.1:${port}`]);
      const doc = JSON.parse(readFileSync(out, 'utf8')) as { endpoints: { protocols: { name: string; ciphers: { id: string }[] }[] }[] };
      const found: Suites = new Set();
      for (const p of doc.endpoints[0]?.protocols ?? []) if (p.name !== 'SSLv2') for (const c of p.ciphers) found.add(key(p.name, Number(c.id)));
      return found;
    },
  },
  {
    name: 'testssl.sh',
    binary: 'testssl',
    async run(port, dir) {
      const out = join(dir, 'testssl.json');
      await run('testssl', ['--quiet', '--warnings', 'off', '--nodns', 'none', '--color', '0', '--jsonfile', out, '-p', '-E', '-f', `127.0.0.1:${port}`]);
      const found: Suites = new Set();
      for (const f of JSON.parse(readFileSync(out, 'utf8')) as { id: string }[]) {
        const m = /^cipher-(ssl3|tls1(?:_[123])?)_x([0-9a-f]+)$/i.exec(f.id);
        if (m) found.add(key(TESTSSL_PROTOCOLS[m[1]!.toLowerCase()]!, parseInt(m[2]!, 16)));
      }
      return found;
    },
  },
  {
    name: 'sslscan',
    binary: 'sslscan',
    async run(port, dir) {
      const out = join(dir, 'sslscan.xml');
      await run('sslscan', ['--no-colour', `--xml=${out}`, `127.0.0.1:${port}`]);
      const found: Suites = new Set();
      for (const m of readFileSync(out, 'utf8').matchAll(/<cipher status="(?:accepted|preferred)" sslversion="([^"]+)"[^>]* id="0x([0-9A-Fa-f]+)"/g)) {
        if (m[1] !== 'SSLv2') found.add(key(m[1]!, parseInt(m[2]!, 16)));
      }
      return found;
    },
  },
  {
    name: 'nmap ssl-enum-ciphers',
    binary: 'nmap',
    async run(port, dir) {
      const out = join(dir, 'nmap.xml');
      await run('nmap', ['-sT', '-Pn', '-n', '-p', String(port), '--script', '+ssl-enum-ciphers', '-oX', out, '127.0.0.1']);
      const found: Suites = new Set();
      const xml = readFileSync(out, 'utf8');
      for (const section of xml.split(/<table key="(?=(?:SSLv3|TLSv1\.[0-3])">)/).slice(1)) {
        const protocol = /^([^"]+)"/.exec(section)![1]!;
        const ciphers = section.split('<table key="compressors">')[0]!;
        for (const m of ciphers.matchAll(/<elem key="name">([^<]+)<\/elem>/g)) {
          // nmap 7.93 names TLS 1.3 suites TLS_AKE_WITH_... (nmap#2883).
          const name = m[1]!.replace(/^TLS_AKE_WITH_/, 'TLS_');
          const id = ianaIds.get(name);
          found.add(id === undefined ? `${protocol}:${name}` : key(protocol, id));
        }
      }
      return found;
    },
  },
];

async function available(binary: string | null): Promise<boolean> {
  if (binary === null) return true;
  try {
    await execFileP('sh', ['-c', `command -v ${binary}`]);
    return true;
  } catch {
    return false;
  }
}

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

const servers: { label: string; shape: Shape }[] = [
  { label: 'strict (fipsStrictRsa)', shape: shapes.fipsStrictRsa },
  { label: 'sidecar (meshSidecar)', shape: shapes.meshSidecar },
];

const installed = await Promise.all(tools.map((t) => available(t.binary)));
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
        const suites = await tool.run(proxy.port, runDir);
        measured.push({ tool: tool.name, wallMs: performance.now() - t0, connections: proxy.connections(), suites });
      } catch (err) {
        out.push(`  ${tool.name.padEnd(22)} failed: ${(err as Error).message.split('\n')[0]}`);
      }
    }
    const fipscan = measured.find((m) => m.tool === 'fipscan');
    for (const m of measured) {
      const ratio = (a: number, b: number | undefined) => (b ? `${(a / b).toFixed(1)}×` : 'n/a');
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
rmSync(dir, { recursive: true, force: true });
out.push('wall s: process start to exit, one tool at a time; conns: TCP connections through the relay;');
out.push('suites: accepted (protocol, suite) pairs, SSLv2 excluded; ×fipscan: the tool divided by fipscan.');
process.stdout.write(`${out.join('\n')}\n`);
