/**
 * The scanners bench/peers.ts compares, each as a command line and a parser of its output file:
 * testssl.sh (`-p -E -f`: protocols, ciphers per protocol, forward secrecy with curves: what a FIPS
 * judgement needs), sslscan (default run), nmap's ssl-enum-ciphers (`-sT`, the script forced onto
 * the port with `+`, no -sV) and the fipscan CLI (`scan --format json`). A tool scans one target,
 * or a fleet the way a user would: fipscan in one invocation, testssl.sh in its `--file`
 * mass-testing mode, the others one process per target, one after another. Parsers key every
 * suite by the port it was found on, so one output file may hold a whole fleet. Only 127.0.0.1.
 */
import { execFile, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { CIPHER_SUITES } from '../src/registry/cipherSuites.js';
import { fipscanMain } from '../test/helpers/cli.js';

const execFileP = promisify(execFile);

/** `TLSv1.2:0xc02f` for every accepted suite (SSLv2 left out: the tools treat it too differently). */
export type Suites = Set<string>;
/** What a tool found, per scanned port. */
export type SuitesByPort = Map<number, Suites>;

export interface Tool {
  name: string;
  /** The executable to look for on PATH (null: always available). */
  binary: string | null;
  /** Scans 127.0.0.1:port with its output files in dir; resolves to the suites it found. */
  scan(port: number, dir: string): Promise<Suites>;
  /** How a user scans many targets with it; absent: one process per target, one after another. */
  fleet?: { mode: string; scan(ports: number[], dir: string): Promise<SuitesByPort> };
}

export const key = (protocol: string, id: number): string => `${protocol}:0x${id.toString(16).padStart(4, '0')}`;
const ianaIds = new Map(CIPHER_SUITES.map((s) => [s.iana, s.id]));
const target = (port: number): string => `127.0.0.1:${port}`;

/** Runs a command to completion; its exit code is not an error (fipscan exits 1 on FAIL, testssl counts findings). */
function run(command: string, args: string[]): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.setEncoding('utf8').on('data', (s: string) => (stderr = (stderr + s).slice(-2000)));
    child.once('error', reject);
    child.once('close', (_code, signal) => (signal ? reject(new Error(`${command} died by ${signal}: ${stderr}`)) : resolve()));
  });
}

function add(found: SuitesByPort, port: number, suite: string): void {
  const suites = found.get(port) ?? new Set<string>();
  suites.add(suite);
  found.set(port, suites);
}

/** fipscan's `--format json` report: every endpoint, by its port. */
function parseFipscan(file: string): SuitesByPort {
  type Endpoint = { port: number; protocols: { name: string; ciphers: { id: string }[] }[] };
  const doc = JSON.parse(readFileSync(file, 'utf8')) as { endpoints: Endpoint[] };
  const found: SuitesByPort = new Map();
  for (const endpoint of doc.endpoints) {
    found.set(endpoint.port, new Set());
    for (const p of endpoint.protocols) if (p.name !== 'SSLv2') for (const c of p.ciphers) add(found, endpoint.port, key(p.name, Number(c.id)));
  }
  return found;
}

const TESTSSL_PROTOCOLS: Record<string, string> = { ssl3: 'SSLv3', tls1: 'TLSv1.0', tls1_1: 'TLSv1.1', tls1_2: 'TLSv1.2', tls1_3: 'TLSv1.3' };
const TESTSSL_ARGS = ['--quiet', '--warnings', 'off', '--nodns', 'none', '--color', '0'];
const TESTSSL_CHECKS = ['-p', '-E', '-f'];

/** testssl's flat --jsonfile: one finding per line, each naming its port (a --file run appends every target's). */
function parseTestssl(file: string): SuitesByPort {
  const found: SuitesByPort = new Map();
  for (const f of JSON.parse(readFileSync(file, 'utf8')) as { id: string; port: string }[]) {
    const m = /^cipher-(ssl3|tls1(?:_[123])?)_x([0-9a-f]+)$/i.exec(f.id);
    if (m) add(found, Number(f.port), key(TESTSSL_PROTOCOLS[m[1]!.toLowerCase()]!, parseInt(m[2]!, 16)));
  }
  return found;
}

/** sslscan's --xml of one target. */
function parseSslscan(file: string): Suites {
  const found: Suites = new Set();
  for (const m of readFileSync(file, 'utf8').matchAll(/<cipher status="(?:accepted|preferred)" sslversion="([^"]+)"[^>]* id="0x([0-9A-Fa-f]+)"/g)) {
    if (m[1] !== 'SSLv2') found.add(key(m[1]!, parseInt(m[2]!, 16)));
  }
  return found;
}

/** nmap's -oX of one port: ssl-enum-ciphers' table per protocol. */
function parseNmap(file: string): Suites {
  const found: Suites = new Set();
  const xml = readFileSync(file, 'utf8');
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
}

/** fipscan on the given targets in one process (CLI defaults: --concurrency 8). */
async function fipscan(ports: number[], dir: string): Promise<SuitesByPort> {
  const out = join(dir, 'fipscan.json');
  await run(process.execPath, [fipscanMain, 'scan', '--format', 'json', '-q', '-o', out, ...ports.map(target)]);
  return parseFipscan(out);
}

export const tools: Tool[] = [
  {
    name: 'fipscan',
    binary: null,
    scan: async (port, dir) => (await fipscan([port], dir)).get(port) ?? new Set(),
    fleet: { mode: 'one process', scan: fipscan },
  },
  {
    name: 'testssl.sh',
    binary: 'testssl',
    async scan(port, dir) {
      const out = join(dir, 'testssl.json');
      await run('testssl', [...TESTSSL_ARGS, '--jsonfile', out, ...TESTSSL_CHECKS, target(port)]);
      return parseTestssl(out).get(port) ?? new Set();
    },
    fleet: {
      // Serial: testssl starts itself once per line of the file and appends each JSON to one file.
      mode: '--file (serial)',
      async scan(ports, dir) {
        const out = join(dir, 'testssl.json');
        const targets = join(dir, 'targets.txt');
        writeFileSync(targets, `${ports.map(target).join('\n')}\n`);
        await run('testssl', [...TESTSSL_ARGS, '--jsonfile', out, ...TESTSSL_CHECKS, '--file', targets]);
        return parseTestssl(out);
      },
    },
  },
  {
    name: 'sslscan',
    binary: 'sslscan',
    async scan(port, dir) {
      const out = join(dir, 'sslscan.xml');
      await run('sslscan', ['--no-colour', `--xml=${out}`, target(port)]);
      return parseSslscan(out);
    },
  },
  {
    name: 'nmap ssl-enum-ciphers',
    binary: 'nmap',
    async scan(port, dir) {
      const out = join(dir, 'nmap.xml');
      await run('nmap', ['-sT', '-Pn', '-n', '-p', String(port), '--script', '+ssl-enum-ciphers', '-oX', out, '127.0.0.1']);
      return parseNmap(out);
    },
  },
];

/**
 * Scans every port the way a user scans a fleet with this tool; returns the mode used, the suites
 * per port and, for tools run one process per target, each target's wall time (ms) by port.
 */
export async function scanFleet(tool: Tool, ports: number[], dir: string): Promise<{ mode: string; found: SuitesByPort; perTargetMs: Map<number, number> | null }> {
  if (tool.fleet) return { mode: tool.fleet.mode, found: await tool.fleet.scan(ports, dir), perTargetMs: null };
  const found: SuitesByPort = new Map();
  const perTargetMs = new Map<number, number>();
  for (const port of ports) {
    const t0 = performance.now();
    found.set(port, await tool.scan(port, mkdtempSync(join(dir, 'target-'))));
    perTargetMs.set(port, performance.now() - t0);
  }
  return { mode: 'sequential', found, perTargetMs };
}

/** Whether the tool's executable is on PATH. */
export async function available(tool: Tool): Promise<boolean> {
  if (tool.binary === null) return true;
  try {
    await execFileP('sh', ['-c', `command -v ${tool.binary}`]);
    return true;
  } catch {
    return false;
  }
}
