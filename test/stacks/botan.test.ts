/**
 * fipscan against Botan 2.19's own TLS server (`botan tls_server`), one server per configuration
 * of test/helpers/stacks/botanConfigs.ts: the scan must find exactly the verified expectation
 * (versions, suites in the server's order, curves, the RFC 7919 groups DHE is negotiated with, DH
 * prime sizes), nothing inconclusive, and the fips-strict verdict that follows from it. What
 * Botan does that other stacks do not is pinned next to it with raw hellos (fipscan's own wire
 * builder), so these tests fail if Botan changes: CECPQ1 suites outside IANA's registry taken
 * from any client that offers them, DHE groups chosen from the client's list, and its alerts.
 */
import t, { type Test } from 'tap';
import { scan } from '../../src/index.js';
import { builtinPolicy, evaluate } from '../../src/policy/index.js';
import type { ProtocolResult, ScanResult } from '../../src/model/scan.js';
import type { TlsVersionName } from '../helpers/servers.js';
import { groups as g, suites as s } from '../helpers/shapes.js';
import { botanUnavailableReason, listeningAddresses, startBotanServer } from '../helpers/stacks/botan.js';
import { botanConfigs, cecpq1Suites as cecpq1, type BotanConfig, type BotanConfigName, type BotanExpectation } from '../helpers/stacks/botanConfigs.js';
import { describeAnswer, rawHello, type RawAnswer } from '../helpers/stacks/rawHello.js';

const hex = (ids: readonly number[]): string[] => ids.map((id) => `0x${id.toString(16).padStart(4, '0')}`);
const sorted = (ids: readonly number[]): string[] => hex([...ids].sort((a, b) => a - b));
const isFfdhe = (id: number): boolean => id >= 256 && id < 512;

function protocol(r: ScanResult, name: string): ProtocolResult {
  const p = r.protocols.find((x) => x.protocol === name);
  if (!p) throw new Error(`no ${name} in result`);
  return p;
}

function checkScan(t: Test, r: ScanResult, expected: BotanExpectation): void {
  t.equal(r.error, null, 'the endpoint was scanned');
  t.same(r.protocolViolations, [], 'no protocol violations');
  for (const legacy of ['SSLv2', 'SSLv3']) t.equal(protocol(r, legacy).offered, false, `${legacy} not offered`);
  for (const [name, want] of Object.entries(expected.versions) as [TlsVersionName, BotanExpectation['versions'][TlsVersionName]][]) {
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

    // Curves, then the RFC 7919 groups negotiated with DHE suites. The curve order may stay
    // unknown (null): with an ECDSA-only certificate fipscan keeps the certificate's curve in
    // every hello and does not ask (sweepLegacy.ts). Known, it must be right.
    const curves = got.groups.filter((id) => !isFfdhe(id));
    if (got.groupServerOrder === true) t.same(hex(curves), hex(want.groups), `${name} curves in the server's order`);
    else t.same(sorted(curves), sorted(want.groups), `${name} curves`);
    if (got.groupServerOrder !== null) t.equal(got.groupServerOrder, want.groupServerOrder, `${name} curve order is the server's`);
    if (want.groupServerOrder === true && want.groups.length > 2) t.equal(got.groupServerOrder, true, `${name} curve order found`);
    if (want.groups.length > 0 || want.ffdheGroups.length > 0) t.equal(got.groupsComplete, true, `${name} group list proven complete`);
    t.same(got.inconclusiveGroups, [], `${name} has no inconclusive groups`);
    t.same(sorted(got.groups.filter(isFfdhe)), sorted(want.ffdheGroups), `${name} DHE groups: every RFC 7919 group the server negotiates is among the groups`);
    const primesNamed = new Set(got.dhParameters.flatMap((d) => (d.namedGroup === null ? [] : [d.namedGroup])));
    t.ok(want.ffdheGroups.every((g) => primesNamed.has(g)), `${name} each negotiated group's prime is reported, named`);
    const primeBits = new Set(got.dhParameters.map((d) => d.primeBits));
    t.ok(want.dhPrimeBits.every((bits) => primeBits.has(bits)), `${name} DH prime of a client listing no ffdhe group (${want.dhPrimeBits.join(', ') || 'none'}) found`);
  }
  t.equal(r.features.clientCertificateRequested, expected.clientCertificate !== 'none', `client certificate ${expected.clientCertificate}`);
  t.ok(r.certificates.length > 0, 'certificate retrieved');
}

function checkFipsStrict(t: Test, r: ScanResult, config: BotanConfig): void {
  const evaluation = evaluate(r, builtinPolicy('fips-strict')!);
  const context = { violations: evaluation.violations, inconclusive: evaluation.inconclusive };
  t.equal(evaluation.verdict, config.expected.fipsStrict, `fips-strict: ${config.expected.fipsStrict}`, context);
  t.same(evaluation.inconclusive, [], 'fips-strict: nothing inconclusive');
  const tls12Expected = config.expected.versions['TLSv1.2'];
  for (const suite of tls12Expected?.suites.filter((id) => Object.values<number>(cecpq1).includes(id)) ?? []) {
    const [code] = hex([suite]);
    t.ok(evaluation.violations.some((v) => v.rule === 'suite' && (v.item ?? '').toLowerCase().includes(code!)), `fips-strict names the CECPQ1 suite ${code}`, context);
  }
}

/** A ServerHello for `suite` (and the DH group, when given) with the whole first flight. */
function isHello(answer: RawAnswer, suite: number, ffdheGroup?: number): boolean {
  return answer.kind === 'hello' && answer.suite === suite && answer.flightComplete && (ffdheGroup === undefined || answer.dh?.ffdheGroup === ffdheGroup);
}
const isAlert = (answer: RawAnswer, description: number): boolean => answer.kind === 'alert' && answer.description === description;

type Behaviour = [what: string, probe: (port: number) => Promise<RawAnswer>, holds: (answer: RawAnswer) => boolean];
const tls12 = (suites: number[], groups?: number[]) => (port: number) => rawHello(port, { protocol: 'TLSv1.2', suites, ...(groups ? { groups } : {}) });
const ecdheRsaGcm = [s.TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384, s.TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256];
const dheRsaGcm = [s.TLS_DHE_RSA_WITH_AES_256_GCM_SHA384, s.TLS_DHE_RSA_WITH_AES_128_GCM_SHA256];
const ecdheEcdsa = [s.TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384, s.TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256];

/** What each configuration's server does to hand-made hellos, observed with verify-botan.ts. */
const behaviours: Record<BotanConfigName, Behaviour[]> = {
  strict: [
    ['Botan 2 has no TLS 1.3: a hello with supported_versions [0x0304] gets protocol_version (70)', (port) => rawHello(port, { protocol: 'TLSv1.3', suites: [0x1301, 0x1302], groups: [g.secp256r1], keyShares: [g.secp256r1] }), (a) => isAlert(a, 70)],
    ['a TLS 1.1 hello gets protocol_version (70)', (port) => rawHello(port, { protocol: 'TLSv1.1', suites: [0xc013, 0x002f], groups: [g.secp256r1] }), (a) => isAlert(a, 70)],
    ['an SSLv2 CLIENT-HELLO is dropped without an alert', (port) => rawHello(port, { protocol: 'SSLv2', suites: [0x010080, 0x0700c0] }), (a) => a.kind === 'ended' && a.received === 0],
    ['no common suite (static RSA AES-128-GCM alone): handshake_failure (40) before ServerHello', tls12([s.TLS_RSA_WITH_AES_128_GCM_SHA256], [g.secp256r1]), (a) => isAlert(a, 40)],
    ['ECDHE suites with only secp384r1 listed: handshake_failure (40) before ServerHello', tls12(ecdheRsaGcm, [g.secp384r1]), (a) => isAlert(a, 40)],
    ['ECDHE suites without supported_groups: handshake_failure (40)', tls12(ecdheRsaGcm), (a) => isAlert(a, 40)],
  ],
  default: [
    ['CECPQ1_RSA_WITH_CHACHA20_POLY1305_SHA256 (0x16B7) offered alone is accepted', tls12([cecpq1.CECPQ1_RSA_WITH_CHACHA20_POLY1305_SHA256], [g.x25519]), (a) => isHello(a, 0x16b7)],
    ['CECPQ1_RSA_WITH_AES_256_GCM_SHA384 (0x16B9) offered alone is accepted', tls12([cecpq1.CECPQ1_RSA_WITH_AES_256_GCM_SHA384], [g.x25519]), (a) => isHello(a, 0x16b9)],
    ['the ECDSA twin 0x16BA is refused with an RSA certificate (40)', tls12([cecpq1.CECPQ1_ECDSA_WITH_AES_256_GCM_SHA384], [g.x25519]), (a) => isAlert(a, 40)],
    ['CECPQ1 comes first in the server order: offered last, 0x16B9 still wins', tls12([...ecdheRsaGcm, ...dheRsaGcm, cecpq1.CECPQ1_RSA_WITH_AES_256_GCM_SHA384], [g.x25519, g.secp256r1]), (a) => isHello(a, 0x16b9)],
    ['DHE with no ffdhe group listed uses ffdhe2048', tls12(dheRsaGcm, [g.secp256r1]), (a) => isHello(a, dheRsaGcm[0]!, g.ffdhe2048)],
    ['DHE listing only ffdhe8192 uses ffdhe8192', tls12(dheRsaGcm, [g.ffdhe8192]), (a) => isHello(a, dheRsaGcm[0]!, g.ffdhe8192)],
    ['DHE listing only an unknown codepoint in 256-511 (0x01FF): ServerHello + Certificate, then handshake_failure (40)', tls12(dheRsaGcm, [0x01ff]), (a) => a.kind === 'hello' && a.suite === dheRsaGcm[0] && a.certificates === 1 && a.alertAfterHello === 40],
  ],
  dhe: [
    ['DHE with no ffdhe group listed uses the policy\'s first group, ffdhe4096', tls12(dheRsaGcm, [g.secp256r1, g.x25519]), (a) => isHello(a, dheRsaGcm[0]!, g.ffdhe4096)],
    ['DHE listing ffdhe8192 then ffdhe3072 gets ffdhe3072: the server\'s order', tls12(dheRsaGcm, [g.ffdhe8192, g.ffdhe3072]), (a) => isHello(a, dheRsaGcm[0]!, g.ffdhe3072)],
    ['DHE listing only ffdhe2048 (not in the policy): ServerHello + Certificate, then handshake_failure (40) instead of a ServerKeyExchange', tls12(dheRsaGcm, [g.ffdhe2048]), (a) => a.kind === 'hello' && a.suite === dheRsaGcm[0] && a.certificates === 1 && a.dh === null && a.alertAfterHello === 40],
  ],
  cecpq1Rsa: [
    ['0x16B9 is accepted from a hello listing no supported_groups', tls12([cecpq1.CECPQ1_RSA_WITH_AES_256_GCM_SHA384]), (a) => isHello(a, 0x16b9)],
    ['0x16B7 (ChaCha20) is accepted although no IANA ChaCha20 suite is', tls12([cecpq1.CECPQ1_RSA_WITH_CHACHA20_POLY1305_SHA256], [g.x448]), (a) => isHello(a, 0x16b7)],
    ['a plain client offering 0x16B9 next to static RSA gets CECPQ1', tls12([s.TLS_RSA_WITH_AES_256_GCM_SHA384, s.TLS_RSA_WITH_AES_128_GCM_SHA256, cecpq1.CECPQ1_RSA_WITH_AES_256_GCM_SHA384]), (a) => isHello(a, 0x16b9)],
  ],
  cecpq1Ecdsa: [
    ['CECPQ1_ECDSA_WITH_AES_256_GCM_SHA384 (0x16BA) offered alone is accepted', tls12([cecpq1.CECPQ1_ECDSA_WITH_AES_256_GCM_SHA384], [g.x25519]), (a) => isHello(a, 0x16ba)],
    ['CECPQ1_ECDSA_WITH_CHACHA20_POLY1305_SHA256 (0x16B8) with only P-256 listed is accepted', tls12([cecpq1.CECPQ1_ECDSA_WITH_CHACHA20_POLY1305_SHA256], [g.secp256r1]), (a) => isHello(a, 0x16b8)],
    ['0x16BA with only x448 listed: refused (40), an ECDSA suite needs a shared curve', tls12([cecpq1.CECPQ1_ECDSA_WITH_AES_256_GCM_SHA384], [g.x448]), (a) => isAlert(a, 40)],
    ['ECDHE-ECDSA with only x25519 listed goes ahead over x25519 (the P-256 certificate does not bind the curve list)', tls12(ecdheEcdsa, [g.x25519]), (a) => a.kind === 'hello' && a.curve === g.x25519],
  ],
};

const unavailable = await botanUnavailableReason();

for (const config of Object.values(botanConfigs)) {
  t.test(`${config.name} on botan: ${config.summary}`, async (t) => {
    if (unavailable !== undefined) {
      // CI installs every stack (.ci/run): a missing one there is a failure, not a skip.
      if (process.env.CI) t.fail(`botan unavailable in CI: ${unavailable}`);
      else t.plan(0, unavailable);
      return;
    }
    const server = await startBotanServer(config.server);
    t.teardown(() => server.close());
    t.same(await listeningAddresses(server.port), ['127.0.0.1'], 'listens on 127.0.0.1 and nowhere else');

    await t.test('the scan finds exactly the verified configuration', async (t) => {
      const result = await scan(`127.0.0.1:${server.port}`, { timeoutMs: 4000 });
      t.comment(`${server.describe}: ${result.probes} probes, ${result.durationMs} ms`);
      checkScan(t, result, config.expected);
      checkFipsStrict(t, result, config);
    });

    if (config.name === 'strict') {
      // The CLI server is single-threaded: later connections wait in the listen backlog, and an
      // idle client would stall them all (verify-botan.ts notes); six at once must all be served.
      await t.test('the fixture serves concurrent handshakes, one at a time', async (t) => {
        const answers = await Promise.all(Array.from({ length: 6 }, () => rawHello(server.port, { protocol: 'TLSv1.2', suites: ecdheRsaGcm, groups: [g.secp256r1] })));
        t.ok(answers.every((a) => isHello(a, ecdheRsaGcm[0]!)), answers.map(describeAnswer).join('; '));
      });
    }

    for (const [what, send, holds] of behaviours[config.name]) {
      await t.test(`Botan: ${what}`, async (t) => {
        const answer = await send(server.port);
        t.ok(holds(answer), describeAnswer(answer), { server: server.describe, output: server.output().slice(-400) });
      });
    }
  });
}
