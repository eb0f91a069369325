/**
 * Probes per endpoint on the TLS stacks beyond OpenSSL, GnuTLS, Go and Node (issue 13): every
 * configuration of the JSSE, Mbed TLS, wolfSSL, NSS, Botan and Erlang fixture servers
 * (test/helpers/stacks/), each beside an OpenSSL "twin": `openssl s_server` with the same versions
 * and the same number of TLS <= 1.2 suites, TLS 1.3 suites and groups (the stack's own where
 * OpenSSL has them). Prints, per configuration, the probes on the stack, on its twin, the ratio,
 * the lower bound versions + suites + groups, and the workarounds the stack needed. Numbers
 * only; nothing here asserts.
 *
 *   npm run bench:stacks      (builds first)
 */
import { scan } from '../src/index.js';
import { cipherSuiteById, suitesForVersion } from '../src/registry/cipherSuites.js';
import type { ScanResult } from '../src/model/scan.js';
import { startOpenSSLServer, type RunningServer, type TlsVersionName } from '../test/helpers/servers.js';
import type { ShapeExpectation } from '../test/helpers/shapes.js';
import { botanUnavailableReason, startBotanServer } from '../test/helpers/stacks/botan.js';
import { botanConfigs } from '../test/helpers/stacks/botanConfigs.js';
import { erlangUnavailable, startErlangServer } from '../test/helpers/stacks/erlang.js';
import { erlangShapes } from '../test/helpers/stacks/erlangShapes.js';
import { jsseConfigs, jsseUnavailableReason, startJsseServer, type JsseConfigName } from '../test/helpers/stacks/jsse.js';
import { lighttpdUnavailableReason, startLighttpdServer } from '../test/helpers/stacks/lighttpd.js';
import { lighttpdConfigs } from '../test/helpers/stacks/lighttpdConfigs.js';

interface StackEndpoint {
  stack: string;
  config: string;
  expected: ShapeExpectation;
  unavailable: () => Promise<string | undefined>;
  start: () => Promise<RunningServer>;
}

function endpoints(): StackEndpoint[] {
  const list: StackEndpoint[] = [];
  for (const [name, c] of Object.entries(jsseConfigs)) {
    list.push({ stack: 'jsse', config: name, expected: c.expected, unavailable: jsseUnavailableReason, start: () => startJsseServer(name as JsseConfigName) });
  }
  for (const c of lighttpdConfigs) {
    list.push({ stack: c.stack, config: c.name, expected: c.expected, unavailable: () => lighttpdUnavailableReason(c.stack), start: () => startLighttpdServer(c.options) });
  }
  for (const c of Object.values(botanConfigs)) list.push({ stack: 'botan', config: c.name, expected: c.expected, unavailable: botanUnavailableReason, start: () => startBotanServer(c.server) });
  for (const c of Object.values(erlangShapes)) list.push({ stack: 'erlang', config: c.name, expected: c.expected, unavailable: erlangUnavailable, start: () => startErlangServer(c.options) });
  return list;
}

const LEGACY: readonly TlsVersionName[] = ['TLSv1.0', 'TLSv1.1', 'TLSv1.2'];
/** OpenSSL 3.0 groups in the order a twin takes them, for as many as the stack accepts. */
const OPENSSL_GROUPS = ['P-256', 'X25519', 'P-384', 'P-521', 'X448', 'ffdhe2048', 'ffdhe3072', 'ffdhe4096', 'ffdhe6144', 'ffdhe8192'];
const OPENSSL_TLS13 = ['TLS_AES_128_GCM_SHA256', 'TLS_AES_256_GCM_SHA384', 'TLS_CHACHA20_POLY1305_SHA256', 'TLS_AES_128_CCM_SHA256', 'TLS_AES_128_CCM_8_SHA256'];

/** TLS <= 1.2 suites an RSA-certificate OpenSSL server can serve: the stack's own first, then others. */
function twinSuites(wanted: readonly number[], count: number): string[] {
  const servable = (id: number): string | null => {
    const s = cipherSuiteById(id);
    return s?.openssl && s.auth === 'RSA' && ['ECDHE', 'DHE', 'RSA'].includes(s.kx) && !s.export && s.encryption !== '3DES' ? s.openssl : null;
  };
  const own = wanted.flatMap((id) => servable(id) ?? []);
  const others = suitesForVersion('TLSv1.2').flatMap((s) => servable(s.id) ?? []);
  return [...new Set([...own, ...others])].slice(0, count);
}

function startTwin(e: ShapeExpectation): Promise<RunningServer> {
  const protocols = (Object.keys(e.versions) as TlsVersionName[]).filter((v) => e.versions[v] !== null);
  const legacy = LEGACY.flatMap((v) => e.versions[v] ?? []);
  const tls13 = e.versions['TLSv1.3'];
  const legacySuites = Math.max(0, ...legacy.map((v) => v.suites.length));
  const groupCount = Math.max(0, ...[...legacy, ...(tls13 ? [tls13] : [])].map((v) => v.groups.length));
  return startOpenSSLServer({
    cert: 'rsa2048',
    protocols,
    cipher: legacySuites > 0 ? twinSuites(legacy[legacy.length - 1]!.suites, legacySuites).join(':') : 'NULL',
    ciphersuites: tls13 ? OPENSSL_TLS13.slice(0, tls13.suites.length).join(':') : OPENSSL_TLS13[0]!,
    groups: OPENSSL_GROUPS.slice(0, Math.max(1, groupCount)).join(':'),
    serverPreference: true,
    securityLevel: 0,
  });
}

function bound(r: ScanResult): number {
  return r.protocols.length + r.protocols.reduce((n, p) => n + (p.protocol === 'SSLv2' ? 0 : p.suites.length) + p.groups.length, 0);
}

async function scanned(start: () => Promise<RunningServer>): Promise<ScanResult> {
  const server = await start();
  try {
    return await scan(`127.0.0.1:${server.port}`, { timeoutMs: 4000 });
  } finally {
    await server.close();
  }
}

const pad = (s: string | number, n: number, left = false): string => (left ? String(s).padEnd(n) : String(s).padStart(n));
const rows: string[] = [`${pad('stack', 8, true)} ${pad('config', 20, true)} ${pad('probes', 6)} ${pad('twin', 5)} ${pad('ratio', 5)} ${pad('V+N+G', 6)}  workarounds`];
let worst = 0;
for (const e of endpoints()) {
  const why = await e.unavailable();
  if (why) {
    rows.push(`${pad(e.stack, 8, true)} ${pad(e.config, 20, true)} skipped: ${why}`);
    continue;
  }
  try {
    const stack = await scanned(e.start);
    const twin = await scanned(() => startTwin(e.expected));
    const ratio = stack.probes / Math.max(1, twin.probes);
    worst = Math.max(worst, ratio);
    const workarounds = [...new Set(stack.protocols.flatMap((p) => p.workarounds))].join(', ') || '-';
    const error = stack.error ? `  error ${stack.error.code}` : '';
    rows.push(`${pad(e.stack, 8, true)} ${pad(e.config, 20, true)} ${pad(stack.probes, 6)} ${pad(twin.probes, 5)} ${pad(ratio.toFixed(2), 5)} ${pad(bound(stack), 6)}  ${workarounds}${error}`);
  } catch (err) {
    rows.push(`${pad(e.stack, 8, true)} ${pad(e.config, 20, true)} failed: ${(err as Error).message.split('\n')[0]}`);
  }
}
process.stdout.write(`fipscan probes per endpoint on the other TLS stacks, beside an OpenSSL server of the same size\n\n${rows.join('\n')}\n\n`);
process.stdout.write(`largest ratio stack / OpenSSL twin: ${worst.toFixed(2)}\n`);
