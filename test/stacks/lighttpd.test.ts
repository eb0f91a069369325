/**
 * fipscan against lighttpd 1.4.69 on three more TLS stacks: mod_mbedtls (Mbed TLS 2.28),
 * mod_wolfssl (wolfSSL 5.5) and mod_nss (NSS 3.87). For every configuration in lighttpdConfigs.ts
 * the scan must find exactly what the server accepts (versions, suites in the server's order,
 * groups, DH sizes; nothing inconclusive) and get the configuration's fips-strict verdict. What
 * these stacks do that the others do not is pinned below with raw hellos, so that a test fails
 * when a stack changes and not only when the scanner does.
 */
import t, { type Test } from 'tap';
import { randomBytes } from 'node:crypto';
import net from 'node:net';
import { scan } from '../../src/index.js';
import { builtinPolicy, evaluate } from '../../src/policy/index.js';
import { probe, type EndpointContext, type HelloSpec, type ProbeOutcome } from '../../src/probe/probe.js';
import { legacyGroups, offerOrder } from '../../src/probe/sweepLegacy.js';
import type { ProtocolResult, ScanResult } from '../../src/model/scan.js';
import { OFFERED_SIGNATURE_SCHEMES } from '../../src/registry/signatureSchemes.js';
import type { ClientHelloOptions } from '../../src/wire/clientHello.js';
import { sClient } from '../helpers/clients.js';
import type { RunningServer, TlsVersionName } from '../helpers/servers.js';
import type { ShapeExpectation } from '../helpers/shapes.js';
import { firstFlight } from '../helpers/stacks/firstFlight.js';
import { lighttpdUnavailableReason, startLighttpdServer, type LighttpdStack } from '../helpers/stacks/lighttpd.js';
import { lighttpdConfigs, type LighttpdConfig, type NamedViolation } from '../helpers/stacks/lighttpdConfigs.js';

const hex = (ids: readonly number[]): string[] => ids.map((id) => `0x${id.toString(16).padStart(4, '0')}`);
const sorted = (ids: readonly number[]): string[] => hex([...ids].sort((a, b) => a - b));
const byText = (a: NamedViolation, b: NamedViolation): number => JSON.stringify(a).localeCompare(JSON.stringify(b));

function protocol(r: ScanResult, name: string): ProtocolResult {
  const p = r.protocols.find((x) => x.protocol === name);
  if (!p) throw new Error(`no ${name} in result`);
  return p;
}

/** The checks of test/probe/scan-shapes.test.ts: exactly the configuration, nothing inconclusive. */
function checkScan(t: Test, r: ScanResult, expected: ShapeExpectation): void {
  t.equal(r.error, null, 'the endpoint was scanned');
  t.same(r.protocolViolations, [], 'no protocol violations');
  for (const legacy of ['SSLv2', 'SSLv3']) t.equal(protocol(r, legacy).offered, false, `${legacy} not offered`);
  for (const [name, want] of Object.entries(expected.versions) as [TlsVersionName, ShapeExpectation['versions'][TlsVersionName]][]) {
    const got = protocol(r, name);
    if (want === null) {
      t.equal(got.offered, false, `${name} not offered (${got.reason ?? ''})`);
      continue;
    }
    t.equal(got.offered, true, `${name} offered (${got.reason ?? ''})`);
    t.equal(got.suitesComplete, true, `${name} suite list proven complete`);
    t.same(got.inconclusiveSuites, [], `${name} has no inconclusive suites`);
    if (want.serverOrder === true) t.same(hex(got.suites), hex(want.suites), `${name} suites in the server's order`);
    else t.same(sorted(got.suites), sorted(want.suites), `${name} suites`);
    if (want.serverOrder !== null) t.equal(got.serverOrder, want.serverOrder, `${name} server order ${want.serverOrder}`);
    t.same(sorted(got.groups), sorted(want.groups), `${name} groups`);
    t.same(hex(got.inconclusiveGroups), [], `${name} has no inconclusive groups`);
    if (want.groups.length > 0) t.equal(got.groupsComplete, true, `${name} group list proven complete`);
    t.same([...new Set(got.dhParameters.map((d) => d.primeBits))].sort(), [...want.dhPrimeBits].sort(), `${name} DH prime sizes`);
  }
  t.equal(r.features.clientCertificateRequested, expected.clientCertificate !== 'none', `client certificate ${expected.clientCertificate}`);
  t.ok(r.certificates.length > 0, 'certificate retrieved');
}

function checkVerdict(t: Test, r: ScanResult, want: LighttpdConfig['fipsStrict']): void {
  const evaluation = evaluate(r, builtinPolicy('fips-strict')!);
  const found: NamedViolation[] = evaluation.violations.map((v) => [v.rule, v.protocol, v.item]);
  const context = { violations: found, inconclusive: evaluation.inconclusive.map((v) => v.message) };
  t.equal(evaluation.verdict, want.verdict, `fips-strict: ${want.verdict}`, context);
  t.same(evaluation.inconclusive, [], 'fips-strict: nothing inconclusive', context);
  if (want.verdict === 'pass') t.same(found, [], 'fips-strict: no violations');
  else if (want.violations !== undefined) t.same(found.sort(byText), [...want.violations].sort(byText), 'fips-strict: exactly the expected violations');
}

function configOf(stack: LighttpdStack, name: LighttpdConfig['name']): LighttpdConfig {
  const config = lighttpdConfigs.find((c) => c.stack === stack && c.name === name);
  if (config === undefined) throw new Error(`no ${stack} ${name} configuration`);
  return config;
}

function refusesConnections(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect({ host: '127.0.0.1', port }, () => {
      socket.destroy();
      resolve(false);
    });
    socket.on('error', () => resolve(true));
  });
}

/** Starts a configuration, or ends the test: skipped where the module is missing, failed in CI. */
async function start(t: Test, config: Pick<LighttpdConfig, 'stack' | 'options'>): Promise<RunningServer | null> {
  const why = await lighttpdUnavailableReason(config.stack);
  if (why !== undefined) {
    // CI installs every stack (.ci/run): a missing one there is a failure, not a skip.
    if (process.env.CI) t.fail(`${config.stack} unavailable in CI: ${why}`);
    else t.plan(0, why);
    return null;
  }
  const server = await startLighttpdServer(config.options);
  t.teardown(async () => {
    if (!t.passing()) t.comment(`${server.describe}\n${server.output()}`);
    await server.close();
  });
  return server;
}

t.test('the fixture: lighttpd serves concurrent handshakes on 127.0.0.1 and close() frees the port', async (t) => {
  const server = await start(t, configOf('mbedtls', 'strict'));
  if (server === null) return;
  const results = await Promise.all(Array.from({ length: 6 }, () => sClient({ port: server.port, version: 'TLSv1.2', cipher: 'ECDHE-RSA-AES128-GCM-SHA256', groups: 'P-256' })));
  t.same(results.map((r) => `${r.completed} ${r.suite}`), Array(6).fill('true ECDHE-RSA-AES128-GCM-SHA256'), 'six concurrent s_client handshakes complete');
  t.match(server.output(), /fipscan-loopback-bind 127\.0\.0\.1:\d+/, 'the one listener is bound to 127.0.0.1');
  await server.close();
  t.equal(await refusesConnections(server.port), true, 'the port is free after close()');
});

for (const config of lighttpdConfigs) {
  t.test(`${config.stack} ${config.name}: ${config.summary}`, async (t) => {
    const server = await start(t, config);
    if (server === null) return;
    const result = await scan(`127.0.0.1:${server.port}`, { timeoutMs: 4000 });
    t.comment(`${server.describe}: ${result.probes} probes, ${result.durationMs} ms`);
    checkScan(t, result, config.expected);
    checkVerdict(t, result, config.fipsStrict);
  });
}

// ---------------------------------------------------------------------------------------------
// Raw hellos: what each stack answers, byte for byte, where it differs from OpenSSL and GnuTLS.

function rawContext(server: RunningServer, alpn: readonly string[] = []): EndpointContext {
  return { address: '127.0.0.1', port: server.port, sni: null, alpn, timeoutMs: 3000, signal: new AbortController().signal, probes: 0, limit: (fn) => fn() };
}

/** One line per outcome: 'ServerHello 0xc030 + Certificate + ServerKeyExchange(23) + ServerHelloDone', 'alert 2/40', 'eof after 0 bytes'. */
function describe(o: ProbeOutcome): string {
  switch (o.kind) {
    case 'hello': {
      const sh = o.serverHello;
      if (sh.isHelloRetryRequest) return `HelloRetryRequest ${hex([sh.cipherSuite])[0]} key_share ${sh.keyShareGroup ?? 'none'}`;
      if (sh.version >= 0x0304) return `ServerHello TLS 1.3 ${hex([sh.cipherSuite])[0]} key_share ${sh.keyShareGroup ?? 'none'}`;
      const parts = [`ServerHello ${hex([sh.cipherSuite])[0]}`];
      if (o.certificates !== null) parts.push('Certificate');
      if (o.keyExchange !== null) parts.push(o.keyExchange.kind === 'ecdhe' ? `ServerKeyExchange(${o.keyExchange.namedGroup})` : 'ServerKeyExchange(dh)');
      if (o.flightComplete) parts.push('ServerHelloDone');
      else parts.push(o.alertAfterHello !== null ? `alert ${o.alertAfterHello}` : 'then closed');
      return parts.join(' + ');
    }
    case 'alert':
      return `alert ${o.level}/${o.description}`;
    case 'failed':
      return `${o.how} after ${o.received} bytes`;
    default:
      return o.kind;
  }
}

/** Probes `spec` once per group in `groups` (the group alone in supported_groups) and groups the answers. */
async function perGroup(ctx: EndpointContext, spec: Omit<HelloSpec, 'groups'>, groups: readonly number[]): Promise<Record<string, number[]>> {
  const answers: Record<string, number[]> = {};
  for (const group of groups) {
    const answer = describe(await probe(ctx, { ...spec, groups: [group] }));
    (answers[answer] ??= []).push(group);
  }
  return answers;
}

const MBEDTLS_RSA_ECDHE: HelloSpec = { protocol: 'TLSv1.2', suites: [0xc030, 0xc02f] };
/** Curves Mbed TLS 2.28 implements, P-256 aside (RFC 8422 ids 18-22, 24-28; x25519 29, x448 30). */
const MBEDTLS_OTHER_CURVES = [18, 19, 20, 21, 22, 24, 25, 26, 27, 28, 29, 30];

t.test('Mbed TLS with Curves secp256r1 and an RSA certificate: a hello without P-256 gets ServerHello + Certificate, then a close without alert', async (t) => {
  const server = await start(t, configOf('mbedtls', 'strict'));
  if (server === null) return;
  const ctx = rawContext(server);
  // Mbed TLS picks the ECDHE suite because it implements the client's curve, sends ServerHello and
  // Certificate, then finds no configured curve in ssl_write_server_key_exchange and fails; lighttpd
  // closes the connection (FIN) without an alert. Issue 13 item 2: 29 groups inconclusive, ERROR.
  t.same(await perGroup(ctx, MBEDTLS_RSA_ECDHE, MBEDTLS_OTHER_CURVES), { 'ServerHello 0xc030 + Certificate + then closed': MBEDTLS_OTHER_CURVES }, 'each implemented curve alone');
  const flight = await firstFlight(server.port, { clientVersion: 0x0303, cipherSuites: [0xc030, 0xc02f], random: randomBytes(32), supportedGroups: [29], signatureAlgorithms: OFFERED_SIGNATURE_SCHEMES.map((s) => s.id) });
  t.same([flight.messages, flight.end], [['ServerHello', 'Certificate'], 'eof'], 'the flight stops after Certificate and the server sends FIN: no alert, no reset');
  // fipscan's own group-elimination hello (every curve but the one already found) meets the same close.
  const everyOtherCurve = legacyGroups().filter((g) => g !== 23);
  t.equal(describe(await probe(ctx, { ...MBEDTLS_RSA_ECDHE, groups: everyOtherCurve })), 'ServerHello 0xc030 + Certificate + then closed', "fipscan's hello listing every curve but P-256");
  // Curves Mbed TLS does not implement leave it no ECDHE suite at all: a clean handshake_failure.
  const unknown = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 256, 0x11ec];
  t.same(await perGroup(ctx, MBEDTLS_RSA_ECDHE, unknown), { 'alert 2/40': unknown }, 'curves it does not implement: alert 40');
  // The control: the same hello with P-256 completes the flight right after.
  t.equal(describe(await probe(ctx, { ...MBEDTLS_RSA_ECDHE, groups: [23] })), 'ServerHello 0xc030 + Certificate + ServerKeyExchange(23) + ServerHelloDone', 'the control hello with P-256');
  t.equal(describe(await probe(ctx, { ...MBEDTLS_RSA_ECDHE, groups: [29, 24, 23] })), 'ServerHello 0xc030 + Certificate + ServerKeyExchange(23) + ServerHelloDone', 'P-256 listed last among others');
  // Mbed TLS 2.28 has no TLS 1.3: it reads the hello as TLS 1.2 and finds no TLS 1.2 suite in it.
  t.equal(describe(await probe(ctx, { protocol: 'TLSv1.3', suites: [0x1301, 0x1302], groups: [23], keyShares: [23] })), 'alert 2/40', 'a TLS 1.3 hello: alert 40');
});

t.test('Mbed TLS with an ECDSA P-256 certificate: a hello without P-256 is refused with alert 40 (the certificate curve must be listed)', async (t) => {
  const server = await start(t, configOf('mbedtls', 'strictEcdsa'));
  if (server === null) return;
  const ctx = rawContext(server);
  const spec: HelloSpec = { protocol: 'TLSv1.2', suites: [0xc02c, 0xc02b] };
  t.same(await perGroup(ctx, spec, MBEDTLS_OTHER_CURVES), { 'alert 2/40': MBEDTLS_OTHER_CURVES }, 'each other curve alone');
  t.equal(describe(await probe(ctx, { ...spec, groups: [23] })), 'ServerHello 0xc02c + Certificate + ServerKeyExchange(23) + ServerHelloDone', 'the control hello with P-256');
});

/** TLS 1.2 suites wolfSSL takes in no configuration here: fillers that make a hello long. */
const WOLFSSL_TAKES = new Set([0xc030, 0xc02f, 0xcca8, 0xccaa]);
const fillers = offerOrder('TLSv1.2').filter((id) => !WOLFSSL_TAKES.has(id));
const suitesWithLast = (count: number, last: number): number[] => [...fillers.slice(0, count - 1), last];

t.test('wolfSSL: a TLS 1.2 hello carrying status_request is closed before any byte', async (t) => {
  const server = await start(t, configOf('wolfssl', 'default'));
  if (server === null) return;
  const ctx = rawContext(server);
  const spec: HelloSpec = { protocol: 'TLSv1.2', suites: [0xc030, 0xc02f], groups: [23], small: true };
  t.equal(describe(await probe(ctx, spec)), 'eof after 0 bytes', "fipscan's hello with its optional extensions");
  t.equal(describe(await probe(ctx, { ...spec, minimal: true })), 'ServerHello 0xc030 + Certificate + ServerKeyExchange(23) + ServerHelloDone', 'the same hello with no optional extension');
  // Each of fipscan's optional extensions alone: only status_request (RFC 6066 §8, ocsp with empty lists) is fatal.
  const base: ClientHelloOptions = { clientVersion: 0x0303, cipherSuites: [0xc030, 0xc02f], random: randomBytes(32), supportedGroups: [23], signatureAlgorithms: [0x0804, 0x0401] };
  const alone: Record<string, Partial<ClientHelloOptions>> = {
    status_request: { statusRequest: true },
    session_ticket: { sessionTicket: true },
    encrypt_then_mac: { encryptThenMac: true },
    extended_master_secret: { extendedMasterSecret: true },
    renegotiation_info: { renegotiationInfo: true },
    ec_point_formats: { ecPointFormats: true },
    application_layer_protocol_negotiation: { alpn: ['h2', 'http/1.1'] },
    'padding (with a long ALPN list)': { alpn: ['h2', 'http/1.1', 'x'.repeat(200)], padding: true },
    'signature_algorithms, all 21 schemes fipscan offers': { signatureAlgorithms: OFFERED_SIGNATURE_SCHEMES.map((s) => s.id) },
  };
  for (const [name, extension] of Object.entries(alone)) {
    const flight = await firstFlight(server.port, { ...base, ...extension, random: randomBytes(32) });
    const want = name === 'status_request' ? '[] eof 0' : '["ServerHello","Certificate","ServerKeyExchange","ServerHelloDone"] decided null';
    t.equal(`${JSON.stringify(flight.messages)} ${flight.end} ${flight.received}`, want, `${name} alone`);
  }
});

t.test('wolfSSL: more than 150 suites (300 bytes) get decode_error with TLS 1.3 on, a silent close with TLS 1.3 off', async (t) => {
  for (const [name, over] of [['default', 'alert 2/50'], ['strict', 'eof after 0 bytes']] as const) {
    t.test(`wolfssl ${name}`, async (t) => {
      const server = await start(t, configOf('wolfssl', name));
      if (server === null) return;
      const ctx = rawContext(server);
      const hello = (count: number): HelloSpec => ({ protocol: 'TLSv1.2', suites: suitesWithLast(count, 0xc030), groups: [23], minimal: true });
      t.equal(describe(await probe(ctx, hello(150))), 'ServerHello 0xc030 + Certificate + ServerKeyExchange(23) + ServerHelloDone', '150 suites');
      t.equal(describe(await probe(ctx, hello(151))), over, '151 suites');
      // The count, not the hello's length: 150 suites in a hello made 340 bytes longer by ALPN still pass.
      const longAlpn = rawContext(server, ['h2', 'http/1.1', 'x'.repeat(200), 'y'.repeat(120)]);
      t.equal(describe(await probe(longAlpn, hello(150))).split(' + ')[0], 'ServerHello 0xc030', '150 suites in a 700-byte hello');
      t.equal(describe(await probe(ctx, { ...hello(150), suites: [...suitesWithLast(150, 0xc030), 0x00ff] })), over, '150 suites + the renegotiation SCSV count as 151');
      // fipscan's TLS 1.2 version probe (every suite it knows) and its no-extension retry of it.
      const all: HelloSpec = { protocol: 'TLSv1.2', suites: offerOrder('TLSv1.2'), groups: legacyGroups() };
      t.equal(describe(await probe(ctx, all)), over, `fipscan's version probe (${all.suites.length} suites)`);
      t.equal(describe(await probe(ctx, { ...all, minimal: true })), over, 'the same without optional extensions');
    });
  }
});

t.test('wolfSSL TLS 1.3: a hello naming no group it supports gets a HelloRetryRequest without key_share', async (t) => {
  const server = await start(t, configOf('wolfssl', 'default'));
  if (server === null) return;
  const ctx = rawContext(server);
  // RFC 8446 §4.1.4: a HelloRetryRequest that changes nothing in the hello is illegal; wolfSSL sends
  // one (supported_versions only) instead of alert 40. The fipscan group sweep reads it as ambiguous.
  const spec: HelloSpec = { protocol: 'TLSv1.3', suites: [0x1301, 0x1302], keyShares: 'empty' };
  for (const groups of [[258], [258, 259, 260], [31, 32, 33], [0x11ec]]) {
    const o = await probe(ctx, { ...spec, groups });
    t.equal(describe(o), 'HelloRetryRequest 0x1302 key_share none', `groups ${groups.join(',')}`);
    if (o.kind === 'hello') t.same(o.serverHello.extensionTypes, [43], 'the HelloRetryRequest carries supported_versions only');
  }
  t.equal(describe(await probe(ctx, { ...spec, groups: [258, 23] })), 'HelloRetryRequest 0x1302 key_share 23', 'with P-256 listed too: a HelloRetryRequest for P-256');
});

t.test('wolfSSL TLS 1.2: a supported_groups list of curves it does not implement is ignored and P-256 used', async (t) => {
  const server = await start(t, configOf('wolfssl', 'default'));
  if (server === null) return;
  const ctx = rawContext(server);
  // RFC 8422 §5.1.1: the server must pick one of the client's curves. wolfSSL 5.5 treats a list
  // without one curve it knows like a missing extension (ids 1-19: sect*, secp160*, secp192*).
  const spec: HelloSpec = { protocol: 'TLSv1.2', suites: [0xc030, 0xc02f], minimal: true };
  t.same(await perGroup(ctx, spec, [1, 14, 19]), { 'ServerHello 0xc030 + Certificate + ServerKeyExchange(23) + ServerHelloDone': [1, 14, 19] }, 'a lone unknown curve: ServerKeyExchange on P-256');
  t.same(await perGroup(ctx, spec, [20, 21]), { 'alert 2/40': [20, 21] }, 'secp224k1 and secp224r1, known but off: alert 40');
});

t.test('NSS: every refusal is a fatal alert; Curves is ignored', async (t) => {
  const server = await start(t, configOf('nss', 'strict'));
  if (server === null) return;
  const ctx = rawContext(server);
  const refusals: [string, HelloSpec, string][] = [
    ['TLS 1.2 suites it does not take', { protocol: 'TLSv1.2', suites: [0xc013, 0xc014, 0x002f], groups: [23] }, 'alert 2/40'],
    ['TLS 1.2 ECDHE with x448 only', { protocol: 'TLSv1.2', suites: [0xc02f], groups: [30] }, 'alert 2/40'],
    ['TLS 1.2 ECDHE with an unknown curve only', { protocol: 'TLSv1.2', suites: [0xc02f], groups: [1] }, 'alert 2/40'],
    ['TLS 1.3 with an x448 share only', { protocol: 'TLSv1.3', suites: [0x1301, 0x1302], groups: [30], keyShares: [30] }, 'alert 2/40'],
    ['TLS 1.3 ChaCha20 only', { protocol: 'TLSv1.3', suites: [0x1303], groups: [23], keyShares: [23] }, 'alert 2/40'],
    ['TLS 1.0', { protocol: 'TLSv1.0', suites: offerOrder('TLSv1.0'), groups: [23] }, 'alert 2/70'],
    ['an SSLv2 CLIENT-HELLO (answered in a TLS record)', { protocol: 'SSLv2', suites: [0x010080, 0x030080, 0x0700c0] }, 'alert 2/10'],
  ];
  for (const [what, spec, want] of refusals) t.equal(describe(await probe(ctx, spec)), want, what);
  // mod_nss logs "ignoring Curves/Groups; not implemented": x25519 is taken despite Curves secp256r1.
  t.equal(describe(await probe(ctx, { protocol: 'TLSv1.2', suites: [0xc02f], groups: [29] })), 'ServerHello 0xc02f + Certificate + ServerKeyExchange(29) + ServerHelloDone', 'TLS 1.2 x25519');
  t.equal(describe(await probe(ctx, { protocol: 'TLSv1.3', suites: [0x1301], groups: [29], keyShares: [29] })), 'ServerHello TLS 1.3 0x1301 key_share 29', 'TLS 1.3 x25519');
  t.match(server.output(), /NSS: ignoring Curves\/Groups; not implemented/, 'lighttpd says so in its error log');
  const retry = await probe(ctx, { protocol: 'TLSv1.3', suites: [0x1301], groups: [23, 29], keyShares: 'empty' });
  t.equal(describe(retry), 'HelloRetryRequest 0x1301 key_share 29', 'an empty key_share: a HelloRetryRequest for its own first group (x25519), not the client\'s');
  if (retry.kind === 'hello') t.ok(retry.serverHello.cookie !== null, 'the HelloRetryRequest carries a cookie');
});
