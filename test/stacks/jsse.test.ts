/**
 * fipscan against Java's TLS stack (SunJSSE, OpenJDK 17), one real server per configuration
 * (test/helpers/stacks/jsse.ts): the scan must find exactly the versions, suites (in the server's
 * order), groups and DH sizes the configuration serves, with nothing inconclusive, and fips-strict
 * must pass the strict configuration and fail the JDK defaults with every denied item named.
 * What JSSE does differently from the other stacks is pinned with raw hellos (src/probe/probe.ts),
 * so these tests fail when a JDK update changes it: above all, a TLS 1.3 hello with no group in
 * common gets alert unexpected_message (10), where OpenSSL, GnuTLS and Node send handshake_failure
 * (shapes.ts). Each configuration runs one JVM (0.4-1.4 s to start here) shared by its assertions.
 */
import tls from 'node:tls';
import t, { type Test } from 'tap';
import { readFileSync } from 'node:fs';
import { scan } from '../../src/index.js';
import { builtinPolicy, describeItem, evaluate, groupDisposition, suiteDisposition } from '../../src/policy/index.js';
import { probe, type EndpointContext, type HelloSpec } from '../../src/probe/probe.js';
import type { ProtocolResult, ScanResult } from '../../src/model/scan.js';
import { certPath, type RunningServer, type TlsVersionName } from '../helpers/servers.js';
import type { ShapeExpectation } from '../helpers/shapes.js';
import { jsseConfigs, jsseUnavailableReason, startJsseServer, type JsseConfigName } from '../helpers/stacks/jsse.js';

const hex = (ids: readonly number[]): string[] => ids.map((id) => `0x${id.toString(16).padStart(4, '0')}`);
const sorted = (ids: readonly number[]): string[] => hex([...ids].sort((a, b) => a - b));
const GOST_GROUPS = [0x0022, 0x0023, 0x0024, 0x0025, 0x0026, 0x0027, 0x0028];
const TLS13_GCM = [0x1301, 0x1302];
const ECDHE_RSA_GCM = [0xc02f, 0xc030];
const DHE_RSA_GCM = [0x009e, 0x009f];

function protocol(r: ScanResult, name: string): ProtocolResult {
  const p = r.protocols.find((x) => x.protocol === name);
  if (!p) throw new Error(`no ${name} in result`);
  return p;
}

/** The scan equals the expectation (as scan-shapes.test.ts checks the other stacks), group order included. */
function checkShape(t: Test, r: ScanResult, expected: ShapeExpectation): void {
  t.equal(r.error, null, 'the endpoint was scanned');
  t.same(r.protocolViolations, [], 'no protocol violations');
  for (const legacy of ['SSLv2', 'SSLv3']) t.equal(protocol(r, legacy).offered, false, `${legacy} not offered`);
  for (const [name, want] of Object.entries(expected.versions) as [TlsVersionName, ShapeExpectation['versions'][TlsVersionName]][]) {
    const got = protocol(r, name);
    if (want === null) {
      t.equal(got.offered, false, `${name} not offered (${got.reason ?? ''})`);
      continue;
    }
    t.equal(got.offered, true, `${name} offered`);
    t.equal(got.suitesComplete, true, `${name} suite list proven complete`);
    t.same(got.inconclusiveSuites, [], `${name} has no inconclusive suites`);
    if (want.serverOrder === true) t.same(hex(got.suites), hex(want.suites), `${name} suites in the server's order`);
    else t.same(sorted(got.suites), sorted(want.suites), `${name} suites`);
    if (want.serverOrder !== null) t.equal(got.serverOrder, want.serverOrder, `${name} server order ${want.serverOrder}`);
    t.same(sorted(got.groups), sorted(want.groups), `${name} groups`);
    t.equal(got.groupsComplete, true, `${name} group list proven complete`);
    t.same(hex(got.inconclusiveGroups), [], `${name} has no inconclusive groups`);
    // JSSE takes the client's first enabled group, in TLS 1.2 and (HelloRetryRequest) in TLS 1.3.
    if (want.groups.length >= 2) t.equal(got.groupServerOrder, false, `${name} group order is the client's`);
    t.same([...new Set(got.dhParameters.map((d) => d.primeBits))].sort(), [...want.dhPrimeBits].sort(), `${name} DH prime sizes`);
  }
  t.equal(r.features.clientCertificateRequested, expected.clientCertificate !== 'none', `client certificate ${expected.clientCertificate}`);
  t.ok(r.certificates.length > 0, 'certificate retrieved');
}

/** Every suite and group of the expectation that fips-strict denies, as [rule, protocol, item]. */
function deniedByFipsStrict(expected: ShapeExpectation): [string, string, string][] {
  const policy = builtinPolicy('fips-strict')!;
  const denied: [string, string, string][] = [];
  for (const [name, want] of Object.entries(expected.versions) as [TlsVersionName, ShapeExpectation['versions'][TlsVersionName]][]) {
    if (want === null) continue;
    for (const id of want.suites) if (suiteDisposition(policy, name, id) === 'deny') denied.push(['suite', name, describeItem('suite', id)]);
    for (const id of want.groups) if (groupDisposition(policy, id) === 'deny') denied.push(['group', name, describeItem('group', id)]);
  }
  return denied;
}

/** One raw hello, its answer in a word: "alert 10", "HRR 0x1302 0x0017", "0x0303 0xc030 curve 0x001d", "dhe 2048". */
async function answer(server: RunningServer, spec: HelloSpec): Promise<string> {
  const ctx: EndpointContext = { address: server.host, port: server.port, sni: null, alpn: [], timeoutMs: 4000, signal: new AbortController().signal, probes: 0, limit: (fn) => fn() };
  const o = await probe(ctx, spec);
  if (o.kind === 'alert') return `alert ${o.description}`;
  if (o.kind !== 'hello') return o.kind === 'failed' ? `failed ${o.how}` : o.kind;
  const sh = o.serverHello;
  if (sh.isHelloRetryRequest) return `HRR ${hex([sh.cipherSuite, sh.keyShareGroup ?? 0]).join(' ')}`;
  if (sh.version === 0x0304) return `ServerHello ${hex([sh.cipherSuite, sh.keyShareGroup ?? 0]).join(' ')}`;
  const kx = o.keyExchange;
  const params = kx === null ? 'no key exchange' : kx.kind === 'ecdhe' ? `curve ${hex([kx.namedGroup ?? 0]).join('')}` : `dhe ${kx.primeBits}`;
  return `${hex([sh.version, sh.cipherSuite]).join(' ')} ${params}`;
}

const tls13 = (suites: number[], groups: number[], keyShares: HelloSpec['keyShares'] = 'empty'): HelloSpec => ({ protocol: 'TLSv1.3', suites, groups, keyShares });
const tls12 = (suites: number[], groups: number[]): HelloSpec => ({ protocol: 'TLSv1.2', suites, groups });

/** Raw hellos whose answers show what JSSE does; each [what, hello, answer]. */
const oddBehaviours: Partial<Record<JsseConfigName, [string, HelloSpec, string][]>> = {
  strict: [
    ['TLS 1.3, empty key_share, only x25519 (known to JSSE, not enabled): unexpected_message', tls13(TLS13_GCM, [0x001d]), 'alert 10'],
    ['TLS 1.3, empty key_share, only GOST groups (unknown to JSSE): unexpected_message', tls13(TLS13_GCM, GOST_GROUPS), 'alert 10'],
    ['TLS 1.3, empty key_share, no supported_groups: unexpected_message', tls13(TLS13_GCM, []), 'alert 10'],
    ['TLS 1.3, a real x25519 share, only x25519: unexpected_message', tls13(TLS13_GCM, [0x001d], [0x001d]), 'alert 10'],
    ['TLS 1.3, no suite in common (ChaCha20 only) and no group in common: handshake_failure', tls13([0x1303], [0x001d]), 'alert 40'],
    ['TLS 1.3, empty key_share, x25519 then P-256: HelloRetryRequest for P-256', tls13(TLS13_GCM, [0x001d, 0x0017]), 'HRR 0x1302 0x0017'],
    ['TLS 1.2 ECDHE, only x25519: handshake_failure', tls12(ECDHE_RSA_GCM, [0x001d]), 'alert 40'],
    ['TLS 1.2 ECDHE, only a GOST group: ECDHE on P-256, which was not offered', tls12(ECDHE_RSA_GCM, [0x0022]), '0x0303 0xc030 curve 0x0017'],
  ],
  default: [
    ['TLS 1.3, empty key_share, P-384 then x25519: HelloRetryRequest for P-384 (client order)', tls13(TLS13_GCM, [0x0018, 0x001d]), 'HRR 0x1302 0x0018'],
    ['TLS 1.3, empty key_share, x25519 then P-384: HelloRetryRequest for x25519 (client order)', tls13(TLS13_GCM, [0x001d, 0x0018]), 'HRR 0x1302 0x001d'],
    ['TLS 1.3, empty key_share, secp256k1 (disabled) then P-521: HelloRetryRequest for P-521', tls13(TLS13_GCM, [0x0016, 0x0019]), 'HRR 0x1302 0x0019'],
    ['TLS 1.3, empty key_share, only secp256k1 (known to JSSE, not enabled): unexpected_message', tls13(TLS13_GCM, [0x0016]), 'alert 10'],
    ['TLS 1.3 suites in the server order: 1301,1302 offered', tls13(TLS13_GCM, [0x0017]), 'HRR 0x1302 0x0017'],
    ['TLS 1.3 suites in the server order: 1302,1301 offered', tls13([0x1302, 0x1301], [0x0017]), 'HRR 0x1302 0x0017'],
    ['TLS 1.2 ECDHE, P-384 then x25519: P-384 (client order)', tls12(ECDHE_RSA_GCM, [0x0018, 0x001d]), '0x0303 0xc030 curve 0x0018'],
    ['TLS 1.2 ECDHE, x25519 then P-384: x25519 (client order)', tls12(ECDHE_RSA_GCM, [0x001d, 0x0018]), '0x0303 0xc030 curve 0x001d'],
    ['TLS 1.2 ECDHE, only a GOST group: ECDHE on x25519, which was not offered', tls12(ECDHE_RSA_GCM, [0x0022]), '0x0303 0xc030 curve 0x001d'],
    ['TLS 1.2 ECDHE, only secp256k1 (known, not enabled): handshake_failure', tls12(ECDHE_RSA_GCM, [0x0016]), 'alert 40'],
    ['TLS 1.2 DHE, ffdhe8192 then ffdhe3072 listed: the 8192-bit group (RFC 7919, client order)', tls12(DHE_RSA_GCM, [0x0104, 0x0101]), '0x0303 0x009f dhe 8192'],
    ['TLS 1.2 DHE, no ffdhe group listed: a 2048-bit prime', tls12(DHE_RSA_GCM, [0x0017]), '0x0303 0x009f dhe 2048'],
    ['TLS 1.2 suites in the server order: c02f,c030 offered', tls12(ECDHE_RSA_GCM, [0x0017]), '0x0303 0xc030 curve 0x0017'],
  ],
  clientOrder: [
    ['TLS 1.2 suites in the client order: c02f,c030 offered', tls12(ECDHE_RSA_GCM, [0x0017]), '0x0303 0xc02f curve 0x0017'],
    ['TLS 1.3 suites in the client order: 1301,1302 offered', tls13(TLS13_GCM, [0x0017]), 'HRR 0x1301 0x0017'],
  ],
};

/** Eight clients at once, each completing a full handshake and holding the connection. */
async function concurrentHandshakes(t: Test, server: RunningServer): Promise<void> {
  const ca = readFileSync(certPath('ca'));
  const sockets = await Promise.all(
    Array.from({ length: 8 }, () =>
      new Promise<tls.TLSSocket>((resolve, reject) => {
        const socket = tls.connect({ host: server.host, port: server.port, servername: 'localhost', ca }, () => resolve(socket));
        socket.once('error', reject);
      }),
    ),
  );
  t.ok(sockets.every((socket) => socket.authorized), 'eight concurrent handshakes completed and verified');
  t.ok(sockets.every((socket) => !socket.destroyed), 'and held open by the server');
  for (const socket of sockets) socket.destroy();
}

const unavailable = await jsseUnavailableReason();

for (const [name, config] of Object.entries(jsseConfigs) as [JsseConfigName, (typeof jsseConfigs)[JsseConfigName]][]) {
  t.test(`jsse ${name}: ${config.summary}`, async (t) => {
    if (unavailable !== undefined) {
      // CI installs the JDK (.ci/run): a missing one there is a failure, not a skip.
      if (process.env.CI) t.fail(`jsse unavailable in CI: ${unavailable}`);
      else t.plan(0, unavailable);
      return;
    }
    const started = Date.now();
    const server = await startJsseServer(name);
    t.teardown(() => server.close());
    t.comment(`JVM up and listening after ${Date.now() - started} ms: ${server.describe}`);

    const result = await scan(`127.0.0.1:${server.port}`, { timeoutMs: 4000 });
    t.comment(`scan: ${result.probes} probes, ${result.durationMs} ms`);

    t.test('the scan finds exactly the configuration', async (t) => checkShape(t, result, config.expected));

    t.test('fips-strict verdict', async (t) => {
      const evaluation = evaluate(result, builtinPolicy('fips-strict')!);
      const denied = deniedByFipsStrict(config.expected);
      const context = { error: evaluation.error, inconclusive: evaluation.inconclusive.map((v) => v.message) };
      t.equal(evaluation.verdict, denied.length === 0 ? 'pass' : 'fail', `fips-strict: ${denied.length === 0 ? 'pass' : 'fail'}`, context);
      const named = evaluation.violations.map((v) => [v.rule, v.protocol ?? '', v.item ?? ''] as [string, string, string]);
      t.same(named.sort(), denied.sort(), 'every denied suite and group named, nothing else');
    });

    const odd = oddBehaviours[name] ?? [];
    if (odd.length > 0) {
      t.test('what JSSE answers to particular hellos', async (t) => {
        for (const [what, spec, expected] of odd) t.equal(await answer(server, spec), expected, what);
      });
    }

    if (name === 'strict') t.test('serves concurrent handshakes', (t) => concurrentHandshakes(t, server));
  });
}
