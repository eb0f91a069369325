/**
 * fipscan against Erlang/OTP's own TLS stack (the `ssl` application, OTP 25 on Debian): each
 * configuration of stacks/erlangShapes.ts is started for real and scanned, and the scan must find
 * exactly its versions, suites (in the server's order when it enforces one), groups and DH prime
 * sizes, with nothing inconclusive, and reach its fips-strict verdict. The way OTP answers the
 * hellos a scanner depends on (empty key_share, no common group or suite, an unsupported version,
 * suite and curve order) is pinned with single raw probes, so a change in the stack shows up here
 * as that behaviour, not as a puzzling scan difference. The fixture server itself is checked too:
 * concurrent handshakes, and beam.smp dying with the test process.
 */
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import t, { type Test } from 'tap';
import { scan } from '../../src/index.js';
import { builtinPolicy, evaluate } from '../../src/policy/index.js';
import { probe, type EndpointContext, type HelloSpec, type ProbeOutcome } from '../../src/probe/probe.js';
import type { ProtocolResult, ScanResult } from '../../src/model/scan.js';
import type { TlsVersionName } from '../helpers/servers.js';
import type { ShapeExpectation } from '../helpers/shapes.js';
import { erlangUnavailable, startErlangServer, type ErlangServer } from '../helpers/stacks/erlang.js';
import { erlangShapes, type ErlangShape } from '../helpers/stacks/erlangShapes.js';

const hex = (ids: readonly number[]): string[] => ids.map((id) => `0x${id.toString(16).padStart(4, '0')}`);
const sorted = (ids: readonly number[]): string[] => hex([...ids].sort((a, b) => a - b));

const skip = await erlangUnavailable();
if (skip !== undefined && process.env.CI) {
  // CI installs every stack (.ci/run): a missing one there is a failure, not a skip.
  t.fail(`Erlang/OTP unavailable in CI: ${skip}`);
}

/** Starts a configuration for one subtest; the teardown stops it. */
async function serve(t: Test, shape: ErlangShape): Promise<ErlangServer> {
  const started = Date.now();
  const server = await startErlangServer(shape.options);
  t.teardown(() => server.close());
  t.comment(`${shape.name}: beam.smp ready in ${Date.now() - started} ms (${server.describe})`);
  return server;
}

function context(port: number): EndpointContext {
  return { address: '127.0.0.1', port, sni: null, alpn: [], timeoutMs: 4000, signal: new AbortController().signal, probes: 0, limit: (fn) => fn() };
}

/** One outcome in a line, for assertion messages. */
function describe(o: ProbeOutcome): string {
  switch (o.kind) {
    case 'hello': {
      const sh = o.serverHello;
      return `${sh.isHelloRetryRequest ? 'HelloRetryRequest' : 'ServerHello'} suite ${hex([sh.cipherSuite])[0]} key_share ${sh.keyShareGroup ?? '-'}`;
    }
    case 'alert':
      return `alert ${o.level}/${o.description}`;
    case 'failed':
      return `failed (${o.how}, ${o.error.code})`;
    default:
      return o.kind;
  }
}

function protocol(r: ScanResult, name: string): ProtocolResult {
  const p = r.protocols.find((x) => x.protocol === name);
  if (!p) throw new Error(`no ${name} in result`);
  return p;
}

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
    t.equal(got.offered, true, `${name} offered (${got.reason ?? ''})`);
    t.equal(got.suitesComplete, true, `${name} suite list proven complete`);
    t.same(got.inconclusiveSuites, [], `${name} has no inconclusive suites`);
    if (want.serverOrder === true) t.same(hex(got.suites), hex(want.suites), `${name} suites in the server's order`);
    else t.same(sorted(got.suites), sorted(want.suites), `${name} suites`);
    if (want.serverOrder !== null) t.equal(got.serverOrder, want.serverOrder, `${name} server order ${want.serverOrder}`);
    t.same(sorted(got.groups), sorted(want.groups), `${name} groups`);
    t.same(got.inconclusiveGroups, [], `${name} has no inconclusive groups`);
    if (want.groups.length > 0) t.equal(got.groupsComplete, true, `${name} group list proven complete`);
    t.same([...new Set(got.dhParameters.map((d) => d.primeBits))].sort(), [...want.dhPrimeBits].sort(), `${name} DH prime sizes`);
  }
  t.equal(r.features.clientCertificateRequested, expected.clientCertificate !== 'none', `client certificate ${expected.clientCertificate}`);
  t.ok(r.certificates.length > 0, 'certificate retrieved');
}

/** Codepoints a violation item names, e.g. 'TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA (0xc013)'. */
const itemCode = (item: string | null): number | null => {
  const m = /\(0x([0-9a-f]{4})\)$/.exec(item ?? '');
  return m?.[1] === undefined ? null : parseInt(m[1], 16);
};

function checkFipsStrict(t: Test, r: ScanResult, shape: ErlangShape): void {
  const policy = builtinPolicy('fips-strict');
  if (policy === undefined) throw new Error('no fips-strict profile');
  const evaluation = evaluate(r, policy);
  const details = { violations: evaluation.violations.map((v) => `${v.rule} ${v.protocol ?? ''} ${v.item ?? ''}`), inconclusive: evaluation.inconclusive };
  t.equal(evaluation.verdict, shape.fipsStrict, `fips-strict: ${shape.fipsStrict}`, details);
  t.same(evaluation.inconclusive, [], 'fips-strict: nothing inconclusive');
  // Every expected suite and group the policy does not allow must be named, per version.
  for (const [name, want] of Object.entries(shape.expected.versions) as [TlsVersionName, ShapeExpectation['versions'][TlsVersionName]][]) {
    if (want === null) continue;
    const suitePolicy = name === 'TLSv1.3' ? policy.tls13Suites : policy.tls12Suites;
    const allowed = (list: { allow: readonly (number | string)[]; warn: readonly (number | string)[] }, id: number) => list.allow.includes(id) || list.warn.includes(id);
    const named = (rule: string) => evaluation.violations.filter((v) => v.rule === rule && v.protocol === name).map((v) => itemCode(v.item));
    t.same(sorted(named('suite').filter((c): c is number => c !== null)), sorted(want.suites.filter((id) => !allowed(suitePolicy, id))), `fips-strict: ${name} suite violations`);
    t.same(sorted(named('group').filter((c): c is number => c !== null)), sorted(want.groups.filter((id) => !allowed(policy.groups, id))), `fips-strict: ${name} group violations`);
  }
}

for (const shape of Object.values(erlangShapes)) {
  t.test(`${shape.name}: ${shape.summary}`, { skip: skip ?? false }, async (t) => {
    const server = await serve(t, shape);
    const result = await scan(`127.0.0.1:${server.port}`, { timeoutMs: 4000 });
    t.comment(`${result.probes} probes, ${result.durationMs} ms`);
    checkShape(t, result, shape.expected);
    // OTP 25 never echoes extended_master_secret (s_client: "Extended master secret: no") and
    // always answers renegotiation_info, which fips-strict requires.
    t.equal(result.features.extendedMasterSecret.supported, false, 'no extended_master_secret');
    t.equal(result.features.secureRenegotiation, true, 'secure renegotiation');
    checkFipsStrict(t, result, shape);
  });
}

/** Offers the same two suites both ways round: the same pick means the server's order. */
async function picks(ctx: EndpointContext, spec: HelloSpec): Promise<[number | null, number | null]> {
  const pick = async (suites: readonly number[]) => {
    const o = await probe(ctx, { ...spec, suites });
    return o.kind === 'hello' ? o.serverHello.cipherSuite : null;
  };
  return [await pick(spec.suites), await pick([...spec.suites].reverse())];
}

t.test('how OTP answers the hellos a scan depends on (default configuration)', { skip: skip ?? false }, async (t) => {
  const server = await serve(t, erlangShapes.default);
  const ctx = context(server.port);
  const expect = async (spec: HelloSpec, want: (o: ProbeOutcome) => boolean, what: string) => {
    const o = await probe(ctx, spec);
    t.ok(want(o), `${what} (got ${describe(o)})`);
  };
  const alert = (description: number) => (o: ProbeOutcome) => o.kind === 'alert' && o.level === 2 && o.description === description;
  const hello = (suite: number, keyShare: number | null, retry = false) => (o: ProbeOutcome) =>
    o.kind === 'hello' && o.serverHello.cipherSuite === suite && o.serverHello.keyShareGroup === keyShare && o.serverHello.isHelloRetryRequest === retry;

  // OTP answers an empty key_share with a HelloRetryRequest for its own first group among the
  // client's (x25519 before secp256r1 in its default list), not the client's first.
  await expect({ protocol: 'TLSv1.3', suites: [0x1301], groups: [23, 29], keyShares: 'empty' }, hello(0x1301, 29, true), 'TLS 1.3 empty key_share: HelloRetryRequest for x25519, the server\'s favourite');
  // With shares for two acceptable groups it picks by its own order too, never the client's.
  await expect({ protocol: 'TLSv1.3', suites: [0x1301], groups: [23, 29], keyShares: [23, 29] }, hello(0x1301, 29), 'TLS 1.3 shares for secp256r1 and x25519: x25519 taken');
  // One acceptable share is used as it is: no retry for a group the server likes better.
  await expect({ protocol: 'TLSv1.3', suites: [0x1301], groups: [24, 23, 29], keyShares: [24] }, hello(0x1301, 24), 'TLS 1.3 share for secp384r1 beside better groups: secp384r1 taken');
  // OTP says insufficient_security (71) where OpenSSL says handshake_failure (40), TLS 1.3 no common group.
  await expect({ protocol: 'TLSv1.3', suites: [0x1301], groups: [25], keyShares: 'empty' }, alert(71), 'TLS 1.3 no common group, empty key_share: alert 71');
  await expect({ protocol: 'TLSv1.3', suites: [0x1301], groups: [25], keyShares: [25] }, alert(71), 'TLS 1.3 no common group, with its share: alert 71');
  await expect({ protocol: 'TLSv1.3', suites: [0x1301], groups: [0x0100], keyShares: 'empty' }, alert(71), 'TLS 1.3 only ffdhe2048 (off by default): alert 71');
  // ... and again 71 for no common suite, in both versions.
  await expect({ protocol: 'TLSv1.3', suites: [0xc02f], groups: [23], keyShares: [23] }, alert(71), 'TLS 1.3 with only a TLS 1.2 suite: alert 71');
  await expect({ protocol: 'TLSv1.2', suites: [0x009c, 0x000a], groups: [23] }, alert(71), 'TLS 1.2 with only static RSA suites (off by default): alert 71');
  // An ECDHE-RSA suite with no common curve is different: handshake_failure (40).
  await expect({ protocol: 'TLSv1.2', suites: [0xc02f], groups: [29] }, alert(40), 'TLS 1.2 ECDHE-RSA listing only x25519 (TLS 1.3-only in OTP 25): alert 40');
  // Versions outside `versions` (TLS 1.0 and 1.1 are off by default): protocol_version (70).
  await expect({ protocol: 'TLSv1.1', suites: [0xc013], groups: [23] }, alert(70), 'TLS 1.1: alert 70');
  await expect({ protocol: 'TLSv1.0', suites: [0xc013], groups: [23] }, alert(70), 'TLS 1.0: alert 70');
  await expect({ protocol: 'SSLv3', suites: [0x002f] }, alert(70), 'SSLv3: alert 70');
  // An SSLv2 CLIENT-HELLO gets a TLS record: fatal unexpected_message (10), not an SSLv2 ERROR.
  await expect({ protocol: 'SSLv2', suites: [0x010080, 0x020080, 0x0700c0] }, alert(10), 'SSLv2 CLIENT-HELLO: TLS alert 10');
  // RFC 8422 §4: a TLS 1.2 hello without supported_groups gets secp256r1.
  await expect({ protocol: 'TLSv1.2', suites: [0xc02f] }, (o) => o.kind === 'hello' && o.keyExchange?.kind === 'ecdhe' && o.keyExchange.namedGroup === 23, 'TLS 1.2 without supported_groups: ECDHE over secp256r1');
  // The default DHE prime is RFC 3526 group 14 (C90FDAA2...), even to a client listing ffdhe2048.
  const dhe = await probe(ctx, { protocol: 'TLSv1.2', suites: [0x009e], groups: [0x0100, 23] });
  const prime = dhe.kind === 'hello' && dhe.keyExchange?.kind === 'dhe' ? Buffer.from(dhe.keyExchange.prime).toString('hex').slice(0, 24) : describe(dhe);
  t.equal(prime, 'ffffffffffffffffc90fdaa2', 'TLS 1.2 DHE listing ffdhe2048: RFC 3526 MODP 2048 prime, not RFC 7919');

  // honor_cipher_order defaults to false: suites (both versions) and TLS 1.2 curves follow the client.
  const [tls12First, tls12Reversed] = await picks(ctx, { protocol: 'TLSv1.2', suites: [0xc02f, 0xc030], groups: [23] });
  t.same(hex([tls12First ?? 0, tls12Reversed ?? 0]), hex([0xc02f, 0xc030]), 'TLS 1.2: the client\'s first suite wins both ways round');
  const [tls13First, tls13Reversed] = await picks(ctx, { protocol: 'TLSv1.3', suites: [0x1301, 0x1302], groups: [23], keyShares: [23] });
  t.same(hex([tls13First ?? 0, tls13Reversed ?? 0]), hex([0x1301, 0x1302]), 'TLS 1.3: the client\'s first suite wins both ways round');
  for (const curves of [[24, 23], [23, 24], [1, 23, 28]]) {
    const o = await probe(ctx, { protocol: 'TLSv1.2', suites: [0xc02f], groups: curves });
    const curve = o.kind === 'hello' && o.keyExchange?.kind === 'ecdhe' ? o.keyExchange.namedGroup : null;
    t.equal(curve, curves[0], `TLS 1.2 curves ${curves.join(',')}: the client's first (${describe(o)})`);
  }
});

t.test('how OTP answers the hellos a scan depends on (strict configuration, server order)', { skip: skip ?? false }, async (t) => {
  const server = await serve(t, erlangShapes.strict);
  const ctx = context(server.port);
  const empty = await probe(ctx, { protocol: 'TLSv1.3', suites: [0x1301, 0x1302], groups: [29, 23], keyShares: 'empty' });
  t.ok(empty.kind === 'hello' && empty.serverHello.isHelloRetryRequest && empty.serverHello.keyShareGroup === 23, `empty key_share: HelloRetryRequest for secp256r1 (got ${describe(empty)})`);
  const wrongShare = await probe(ctx, { protocol: 'TLSv1.3', suites: [0x1301, 0x1302], groups: [29, 23], keyShares: [29] });
  t.ok(wrongShare.kind === 'hello' && wrongShare.serverHello.isHelloRetryRequest && wrongShare.serverHello.keyShareGroup === 23, `a share for x25519 only: HelloRetryRequest for secp256r1 (got ${describe(wrongShare)})`);
  const noGroup = await probe(ctx, { protocol: 'TLSv1.3', suites: [0x1301], groups: [29], keyShares: [29] });
  t.ok(noGroup.kind === 'alert' && noGroup.description === 71, `TLS 1.3 x25519 only: alert 71 (got ${describe(noGroup)})`);
  const chacha = await probe(ctx, { protocol: 'TLSv1.2', suites: [0xcca8], groups: [23] });
  t.ok(chacha.kind === 'alert' && chacha.description === 71, `TLS 1.2 ChaCha20 only: alert 71 (got ${describe(chacha)})`);
  const p384 = await probe(ctx, { protocol: 'TLSv1.2', suites: [0xc02f], groups: [24] });
  t.ok(p384.kind === 'alert' && p384.description === 40, `TLS 1.2 secp384r1 only: alert 40 (got ${describe(p384)})`);
  // honor_cipher_order true: the `ciphers` list decides, whichever way round the client offers.
  const [tls12First, tls12Reversed] = await picks(ctx, { protocol: 'TLSv1.2', suites: [0xc02f, 0xc030], groups: [23] });
  t.same(hex([tls12First ?? 0, tls12Reversed ?? 0]), hex([0xc030, 0xc030]), 'TLS 1.2: AES-256-GCM first both ways round');
  const [tls13First, tls13Reversed] = await picks(ctx, { protocol: 'TLSv1.3', suites: [0x1301, 0x1302], groups: [23], keyShares: [23] });
  t.same(hex([tls13First ?? 0, tls13Reversed ?? 0]), hex([0x1302, 0x1302]), 'TLS 1.3: TLS_AES_256_GCM_SHA384 first both ways round');
});

t.test('how OTP answers the hellos a scan depends on (ECDSA certificate)', { skip: skip ?? false }, async (t) => {
  const server = await serve(t, erlangShapes.defaultEcdsa);
  const ctx = context(server.port);
  // The P-256 certificate is not held to the client's curves (RFC 4492 §4 would refuse this).
  const p384 = await probe(ctx, { protocol: 'TLSv1.2', suites: [0xc02b], groups: [24] });
  t.ok(p384.kind === 'hello' && p384.keyExchange?.kind === 'ecdhe' && p384.keyExchange.namedGroup === 24, `ECDHE-ECDSA listing only secp384r1: ECDHE over secp384r1 (got ${describe(p384)})`);
  // Without a common curve the EC suites leave the shared list: 71, not the RSA server's 40.
  const x25519 = await probe(ctx, { protocol: 'TLSv1.2', suites: [0xc02b], groups: [29] });
  t.ok(x25519.kind === 'alert' && x25519.description === 71, `ECDHE-ECDSA listing only x25519: alert 71 (got ${describe(x25519)})`);
  // Static ECDH-RSA: the certificate's key is the key exchange, so no ServerKeyExchange.
  const ecdhRsa = await probe(ctx, { protocol: 'TLSv1.2', suites: [0xc031], groups: [23] });
  t.ok(ecdhRsa.kind === 'hello' && ecdhRsa.serverHello.cipherSuite === 0xc031 && ecdhRsa.keyExchange === null, `TLS_ECDH_RSA_WITH_AES_128_GCM_SHA256 accepted (got ${describe(ecdhRsa)})`);
});

t.test('how OTP refuses a version it does not enable: protocol_version (70), whichever side of TLS 1.3', { skip: skip ?? false }, async (t) => {
  const tls12Only = await startErlangServer({ cert: 'rsa2048', versions: ['TLSv1.2'] });
  t.teardown(() => tls12Only.close());
  const tls13Only = await startErlangServer({ cert: 'rsa2048', versions: ['TLSv1.3'] });
  t.teardown(() => tls13Only.close());
  const tls13Hello = await probe(context(tls12Only.port), { protocol: 'TLSv1.3', suites: [0x1301], groups: [23], keyShares: [23] });
  t.equal(describe(tls13Hello), 'alert 2/70', 'a TLS 1.3-only hello (supported_versions 0x0304) to a TLS 1.2 server: alert 70');
  const tls12Hello = await probe(context(tls13Only.port), { protocol: 'TLSv1.2', suites: [0xc02f], groups: [23] });
  t.equal(describe(tls12Hello), 'alert 2/70', 'a TLS 1.2 hello to a TLS 1.3-only server: alert 70');
});

t.test('how OTP answers a hello listing an SRP suite it is configured with (allSuites)', { skip: skip ?? false }, async (t) => {
  const server = await serve(t, erlangShapes.allSuites);
  const ctx = context(server.port);
  const answer = async (suites: number[]) => describe(await probe(ctx, { protocol: 'TLSv1.2', suites, groups: [23] }));
  // OTP picks the SRP suite first (client order) and only then sees that the hello has no SRP
  // extension (RFC 5054 §2.8.1): the whole hello is refused with handshake_failure, although the
  // suite after it is one the server takes. A scan reading 40 as "none of these" stops there.
  t.equal(await answer([0xc01e, 0xc02f]), 'alert 2/40', 'TLS_SRP_SHA_RSA_WITH_AES_128_CBC_SHA then ECDHE-RSA-AES128-GCM: alert 40');
  t.equal(await answer([0xc02f, 0xc01e]), 'ServerHello suite 0xc02f key_share -', 'the same two the other way round: ServerHello');
  t.equal(await answer([0xc02f]), 'ServerHello suite 0xc02f key_share -', 'ECDHE-RSA-AES128-GCM alone: ServerHello');
  // Every SRP suite in ssl:cipher_suites(all, _) does it, the SRP-DSS ones despite the RSA certificate.
  for (const srp of [0xc01e, 0xc01f, 0xc021, 0xc022]) t.equal(await answer([srp]), 'alert 2/40', `${hex([srp])[0]} alone: alert 40`);
  // RSA-PSK suites are chosen without any PSK configured: the ServerHello comes, the failure would come later.
  t.equal(await answer([0x0092]), 'ServerHello suite 0x0092 key_share -', 'TLS_RSA_PSK_WITH_RC4_128_SHA: ServerHello');
});

t.test('how OTP answers a hello listing an SRP suite it ranks first (allSuitesServerOrder)', { skip: skip ?? false }, async (t) => {
  const server = await serve(t, erlangShapes.allSuitesServerOrder);
  const ctx = context(server.port);
  const answer = async (suites: number[], groups = [23]) => {
    const o = await probe(ctx, { protocol: 'TLSv1.2', suites, groups });
    return o.kind === 'hello' && o.keyExchange?.kind === 'ecdhe' ? `${describe(o)} curve ${o.keyExchange.namedGroup}` : describe(o);
  };
  // In ssl:cipher_suites(all, _) the SRP suites rank after RSA-PSK and before static RSA, 3DES,
  // DES and RC4: once the better suites are gone from an offer, the server's pick is an SRP suite
  // and the hello fails, so every suite ranked below SRP would stay hidden from an elimination that
  // offered them together; fipscan offers SRP suites in hellos of their own (sweepLegacy.ts).
  t.equal(await answer([0x002f, 0xc01e]), 'alert 2/40', 'static RSA AES128-SHA with an SRP suite: alert 40 (SRP ranks higher)');
  t.equal(await answer([0x002f, 0xc01e, 0xc02f]), 'ServerHello suite 0xc02f key_share - curve 23', 'the same plus ECDHE-RSA-AES128-GCM: that one, ranked above SRP');
  t.equal(await answer([0x002f]), 'ServerHello suite 0x002f key_share -', 'static RSA AES128-SHA alone: ServerHello');
  // honor_cipher_order does not reach TLS 1.2 curves (OTP has a separate honor_ecc_order, default false).
  t.equal(await answer([0xc02f], [24, 23]), 'ServerHello suite 0xc02f key_share - curve 24', 'curves secp384r1, secp256r1: the client\'s first');
  t.equal(await answer([0xc02f], [23, 24]), 'ServerHello suite 0xc02f key_share - curve 23', 'curves secp256r1, secp384r1: the client\'s first');
});

t.test('the fixture server takes concurrent handshakes', { skip: skip ?? false }, async (t) => {
  const server = await serve(t, erlangShapes.strict);
  const ctx = context(server.port);
  const outcomes = await Promise.all(Array.from({ length: 12 }, () => probe(ctx, { protocol: 'TLSv1.3', suites: [0x1301], groups: [23], keyShares: [23] })));
  t.same(outcomes.map(describe), outcomes.map(() => 'ServerHello suite 0x1301 key_share 23'), '12 handshakes at once, all answered');
});

t.test('beam.smp dies with the process that started it (the loopback shim\'s PR_SET_PDEATHSIG)', { skip: skip ?? false }, async (t) => {
  const helper = new URL('../helpers/stacks/erlang.js', import.meta.url).href;
  // A separate Node process starts a server, reports beam.smp's pid and waits to be killed.
  const script = `const { startErlangServer } = await import(${JSON.stringify(helper)});
    const server = await startErlangServer({ cert: 'rsa2048' });
    console.log('BEAM ' + server.beamPid);
    setInterval(() => {}, 1000);`;
  const parent = spawn(process.execPath, ['--input-type=module', '-e', script], { stdio: ['ignore', 'pipe', 'inherit'] });
  const beamPid = await new Promise<number>((resolve, reject) => {
    let text = '';
    parent.stdout.setEncoding('utf8').on('data', (chunk: string) => {
      text += chunk;
      const m = /BEAM (\d+)/.exec(text);
      if (m?.[1] !== undefined) resolve(Number(m[1]));
    });
    parent.once('exit', (code) => reject(new Error(`the helper process exited (${code}) before starting the server: ${text}`)));
  });
  t.ok(alive(beamPid), `beam.smp ${beamPid} is running`);
  parent.kill('SIGKILL');
  const deadline = Date.now() + 5000;
  while (alive(beamPid) && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 50));
  t.notOk(alive(beamPid), 'beam.smp is gone after its parent was SIGKILLed');
});

/** Whether a process exists and is not a zombie waiting for its new parent to reap it. */
function alive(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return !/^\d+ \(.*\) Z /.test(stat);
  } catch {
    return false;
  }
}
