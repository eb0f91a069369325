/**
 * Re-derives the Botan configurations' expectations (botanConfigs.ts) from running `botan
 * tls_server`s and reports where they disagree. Not a tap test: about 350 handshakes per
 * configuration, 1-3 minutes in all. Run it after changing a policy or upgrading Botan:
 *   npx tsc -p tsconfig.json && node dist/test/helpers/stacks/verify-botan.js [configName ...]
 * `openssl s_client` offers every suite of its table alone (acceptance never depends on how the
 * server picks among several), then the accepted ones forwards and backwards (order), and each
 * curve alone with the ECDHE suites. What s_client cannot send goes out as a raw hello built by
 * fipscan's wire builder: each CECPQ1 codepoint alone, the full order with them included, each
 * RFC 7919 group alone in a TLS 1.2 supported_groups (the ServerKeyExchange prime says which group
 * was used), and the refusal probes. gnutls-cli, where installed, re-checks the ffdhe groups.
 */

import { FFDHE_PRIME_BITS } from '../../../src/registry/groups.js';
import { gnutlsCli, opensslSuites, sClient, type OpenSSLSuite } from '../clients.js';
import { groups as g } from '../shapes.js';
import { unavailableReason, type TlsVersionName } from '../servers.js';
import { botanUnavailableReason, listeningAddresses, startBotanServer } from './botan.js';
import { botanConfigs, cecpq1Suites, type BotanConfig, type BotanExpectation } from './botanConfigs.js';
import { describeAnswer, rawHello, type RawSpec } from './rawHello.js';

const versions: TlsVersionName[] = ['TLSv1.0', 'TLSv1.1', 'TLSv1.2', 'TLSv1.3'];
/** Curves s_client can offer in TLS 1.2, by its -groups name. */
const curveByName: Record<string, number> = {
  X25519: 29, X448: 30, 'P-256': 23, 'P-384': 24, 'P-521': 25, secp256k1: 22, secp224r1: 21,
  brainpoolP256r1: 26, brainpoolP384r1: 27, brainpoolP512r1: 28,
};
/** The curve named by s_client's "Server Temp Key" line ('ECDH, prime256v1, 256 bits', 'X25519, 253 bits'). */
const curveByTempKey: Record<string, number> = {
  X25519: 29, X448: 30, prime256v1: 23, secp384r1: 24, secp521r1: 25, secp256k1: 22, secp224r1: 21,
  brainpoolP256r1: 26, brainpoolP384r1: 27, brainpoolP512r1: 28,
};
const ffdheGroups = [g.ffdhe2048, g.ffdhe3072, g.ffdhe4096, g.ffdhe6144, g.ffdhe8192];
const cecpq1Codes = Object.values(cecpq1Suites);
/** Curves listed with raw CECPQ1 offers: Botan takes an ECDSA suite only with a shared curve. */
const ANY_CURVE = [g.x25519, g.secp256r1, g.secp384r1];

const SERVER_HELLO = /^<<< TLS [\d.]+, Handshake \[length [0-9a-f]+\], ServerHello$/m;

const hex = (codes: readonly number[]): string => codes.map((c) => `0x${c.toString(16).padStart(4, '0')}`).join(',');

interface Observed {
  offered: Record<TlsVersionName, boolean>;
  /** TLS 1.2, in the server's order when serverOrder. */
  suites: number[];
  serverOrder: boolean | null;
  curves: number[];
  curveServerOrder: boolean | null;
  ffdhe: number[];
  dhPrimeBits: number[];
  clientCertificateRequested: boolean;
  notes: string[];
}

/** Orders `items` by asking `pick` repeatedly for the winner among the ones left. */
async function serverOrder(items: number[], pick: (offer: number[]) => Promise<number | null>): Promise<{ order: number[]; serverOrder: boolean | null }> {
  if (items.length < 2) return { order: items, serverOrder: null };
  const forward = await pick(items);
  const backward = await pick([...items].reverse());
  if (forward === null || forward !== backward) return { order: items, serverOrder: forward === null ? null : false };
  const order: number[] = [];
  const remaining = [...items];
  while (remaining.length > 0) {
    const chosen = await pick(remaining);
    if (chosen === null || !remaining.includes(chosen)) throw new Error(`order probe failed at ${hex(remaining)}`);
    order.push(chosen);
    remaining.splice(remaining.indexOf(chosen), 1);
  }
  return { order, serverOrder: true };
}

async function observe(port: number, table: OpenSSLSuite[], useGnutlsCli: boolean): Promise<Observed> {
  const notes: string[] = [];
  const codeOf = new Map(table.map((suite) => [suite.name, suite.code]));
  const nameOf = new Map(table.map((suite) => [suite.code, suite.name]));
  const offered = {} as Record<TlsVersionName, boolean>;
  let tls12: string[] = [];

  for (const version of versions) {
    const tls13 = version === 'TLSv1.3';
    const candidates = table.filter((suite) => (tls13 ? suite.minVersion === 'TLSv1.3' : suite.minVersion !== 'TLSv1.3' && (suite.minVersion !== 'TLSv1.2' || version === 'TLSv1.2')));
    const accepted: string[] = [];
    const refusals = new Set<string>();
    for (const suite of candidates) {
      const result = await sClient(tls13 ? { port, version, ciphersuites: suite.name } : { port, version, cipher: suite.name });
      if (result.suite === suite.name) accepted.push(suite.name);
      else refusals.add(String(result.alert ?? 'none'));
    }
    offered[version] = accepted.length > 0;
    notes.push(`${version}: ${accepted.length} of ${candidates.length} s_client suites accepted; refusals: alert ${[...refusals].join(', ')}`);
    if (version === 'TLSv1.2') tls12 = accepted;
  }

  // TLS 1.2 CECPQ1 (and the private OCB twins), each alone, then the order of everything accepted.
  const cecpq1Accepted: number[] = [];
  for (const code of cecpq1Codes) {
    const answer = await rawHello(port, { protocol: 'TLSv1.2', suites: [code], groups: ANY_CURVE });
    if (answer.kind === 'hello' && answer.suite === code) cecpq1Accepted.push(code);
    notes.push(`raw TLS 1.2 hello offering ${hex([code])} alone (groups ${ANY_CURVE.join(',')}): ${describeAnswer(answer)}`);
  }
  offered['TLSv1.2'] ||= cecpq1Accepted.length > 0;
  const ianaAccepted = tls12.map((name) => codeOf.get(name) ?? -1);
  const rawPick = async (offer: number[]): Promise<number | null> => {
    const answer = await rawHello(port, { protocol: 'TLSv1.2', suites: offer, groups: ANY_CURVE });
    return answer.kind === 'hello' ? answer.suite : null;
  };
  const suites = await serverOrder([...cecpq1Accepted, ...ianaAccepted], rawPick);
  // s_client's own order over the suites it can offer must agree with the raw one.
  const sClientPick = async (offer: number[]): Promise<number | null> => {
    const result = await sClient({ port, version: 'TLSv1.2', cipher: offer.map((code) => nameOf.get(code)).join(':') });
    return result.suite === null ? null : (codeOf.get(result.suite) ?? null);
  };
  const checked = await serverOrder(ianaAccepted, sClientPick);
  const rawIana = suites.order.filter((code) => ianaAccepted.includes(code));
  if (checked.serverOrder !== suites.serverOrder || (checked.serverOrder === true && hex(checked.order) !== hex(rawIana))) {
    notes.push(`ORDER MISMATCH: s_client ${hex(checked.order)} (server order ${checked.serverOrder}), raw ${hex(rawIana)}`);
  }

  // Curves: the ECDHE suites only, so a ServerHello proves the curve.
  const ecdhe = tls12.filter((name) => name.startsWith('ECDHE-'));
  const curves: number[] = [];
  if (ecdhe.length > 0) {
    const refusals = new Set<string>();
    for (const [name, code] of Object.entries(curveByName)) {
      const result = await sClient({ port, version: 'TLSv1.2', cipher: ecdhe.join(':'), groups: name });
      // The ServerHello is the server's answer. With an ECDSA P-256 certificate and X25519 alone,
      // Botan goes ahead and s_client itself then aborts ("wrong curve", RFC 4492 §5.1 rule).
      if (result.suite !== null || SERVER_HELLO.test(result.output)) curves.push(code);
      else refusals.add(String(result.alert ?? 'none'));
    }
    notes.push(`TLS 1.2 single-curve refusals: alert ${[...refusals].join(', ')}`);
  }
  const curveName = (code: number): string => Object.entries(curveByName).find(([, c]) => c === code)?.[0] ?? String(code);
  const curveOrder = await serverOrder(curves, async (offer) => {
    const result = await sClient({ port, version: 'TLSv1.2', cipher: ecdhe.join(':'), groups: offer.map(curveName).join(':') });
    const key = /^(?:ECDH, )?([\w-]+)/.exec(result.tempKey ?? '')?.[1];
    return key === undefined ? null : (curveByTempKey[key] ?? null);
  });

  // RFC 7919 groups with the DHE suites only: each alone, none, the order, and foreign ones.
  const dheSuites = ianaAccepted.filter((code) => nameOf.get(code)?.startsWith('DHE-'));
  const ffdhe: number[] = [];
  const dhPrimeBits = new Set<number>();
  let ffdheOrder: { order: number[]; serverOrder: boolean | null } = { order: [], serverOrder: null };
  if (dheSuites.length > 0) {
    const dhe = (groups: number[]): RawSpec => ({ protocol: 'TLSv1.2', suites: dheSuites, groups });
    for (const group of ffdheGroups) {
      const answer = await rawHello(port, dhe([group]));
      if (answer.kind === 'hello' && answer.dh?.ffdheGroup === group) ffdhe.push(group);
      else if (answer.kind === 'hello' && answer.dh !== null) notes.push(`ffdhe ${group} listed alone got another prime`);
      notes.push(`raw DHE hello listing only group ${group}: ${describeAnswer(answer)}`);
      if (useGnutlsCli) {
        const bits = FFDHE_PRIME_BITS[group];
        const cli = await gnutlsCli(port, `NONE:+VERS-TLS1.2:+AES-128-GCM:+AES-256-GCM:+AEAD:+DHE-RSA:+SIGN-ALL:+COMP-NULL:+GROUP-FFDHE${bits}`);
        const agrees = (cli.description?.includes(`FFDHE${bits}`) ?? false) === ffdhe.includes(group);
        notes.push(`  gnutls-cli listing only that group: ${cli.description ?? `refused, alert ${cli.alert ?? 'none'}`}${agrees ? '' : '  DISAGREES'}`);
      }
    }
    const none = await rawHello(port, dhe([]));
    if (none.kind === 'hello' && none.dh !== null) dhPrimeBits.add(none.dh.primeBits);
    notes.push(`raw DHE hello without supported_groups: ${describeAnswer(none)}`);
    const curvesOnly = await rawHello(port, dhe([g.secp256r1, g.x25519]));
    notes.push(`raw DHE hello listing curves only: ${describeAnswer(curvesOnly)}`);
    const sClientDh = await sClient({ port, version: 'TLSv1.2', cipher: dheSuites.map((code) => nameOf.get(code)).join(':') });
    notes.push(`s_client DHE offer (no ffdhe groups listed): Server Temp Key ${sClientDh.tempKey ?? 'none'}`);
    const foreign = [...ffdheGroups.filter((group) => !ffdhe.includes(group)), 0x01ff].slice(0, 2);
    notes.push(`raw DHE hello listing only ${foreign.join(',')}: ${describeAnswer(await rawHello(port, dhe(foreign)))}`);
    ffdheOrder = await serverOrder(ffdhe, async (offer) => {
      const answer = await rawHello(port, dhe(offer));
      return answer.kind === 'hello' ? (answer.dh?.ffdheGroup ?? null) : null;
    });
  }

  // Refusals the test pins: no common suite, no common curve, no supported_groups, wrong versions.
  const refused = ianaAccepted.includes(0x009c) ? 0x000a : 0x009c;
  notes.push(`raw TLS 1.2 hello offering only ${hex([refused])}: ${describeAnswer(await rawHello(port, { protocol: 'TLSv1.2', suites: [refused], groups: ANY_CURVE }))}`);
  const ecdheCodes = ecdhe.map((name) => codeOf.get(name) ?? -1);
  if (ecdheCodes.length > 0) {
    notes.push(`raw ECDHE hello listing only x448: ${describeAnswer(await rawHello(port, { protocol: 'TLSv1.2', suites: ecdheCodes, groups: [g.x448] }))}`);
    notes.push(`raw ECDHE hello without supported_groups: ${describeAnswer(await rawHello(port, { protocol: 'TLSv1.2', suites: ecdheCodes }))}`);
  }
  for (const code of cecpq1Accepted) {
    notes.push(`raw hello offering ${hex([code])} listing only x448: ${describeAnswer(await rawHello(port, { protocol: 'TLSv1.2', suites: [code], groups: [g.x448] }))}`);
  }
  const all = [...cecpq1Codes, ...table.filter((suite) => suite.minVersion !== 'TLSv1.3').map((suite) => suite.code)];
  notes.push(`raw TLS 1.3 hello (supported_versions 0x0304 only): ${describeAnswer(await rawHello(port, { protocol: 'TLSv1.3', suites: [0x1301, 0x1302, 0x1303], groups: [29, 23], keyShares: [29, 23] }))}`);
  for (const protocol of ['TLSv1.1', 'TLSv1.0', 'SSLv3'] as const) {
    notes.push(`raw ${protocol} hello offering every suite: ${describeAnswer(await rawHello(port, { protocol, suites: all, groups: ANY_CURVE }))}`);
  }
  notes.push(`raw SSLv2 CLIENT-HELLO: ${describeAnswer(await rawHello(port, { protocol: 'SSLv2', suites: [0x010080, 0x0700c0] }))}`);

  const bare = await sClient({ port, version: 'TLSv1.2', lingerMs: 300 });
  notes.push(`s_client TLS 1.2 default offer: ${bare.suite ?? 'refused'}, ${bare.completed ? 'completed' : 'not completed'}`);
  return {
    offered,
    suites: suites.order,
    serverOrder: suites.serverOrder,
    curves: curveOrder.order,
    curveServerOrder: curveOrder.serverOrder,
    ffdhe: ffdheOrder.order,
    dhPrimeBits: [...dhPrimeBits],
    clientCertificateRequested: bare.clientCertRequested,
    notes,
  };
}

function differences(expected: BotanExpectation, seen: Observed): string[] {
  const out: string[] = [];
  for (const version of versions) {
    if ((expected.versions[version] !== null) !== seen.offered[version]) out.push(`${version}: expected ${expected.versions[version] === null ? 'not offered' : 'offered'}`);
  }
  const want = expected.versions['TLSv1.2'];
  if (want === null) return out;
  const same = (a: readonly number[], b: readonly number[], ordered: boolean): boolean =>
    ordered ? hex(a) === hex(b) : hex([...a].sort()) === hex([...b].sort());
  if (!same(want.suites, seen.suites, want.serverOrder === true)) out.push(`suites: expected ${hex(want.suites)}, observed ${hex(seen.suites)}`);
  if (want.serverOrder !== seen.serverOrder) out.push(`serverOrder: expected ${want.serverOrder}, observed ${seen.serverOrder}`);
  if (!same(want.groups, seen.curves, want.groupServerOrder === true)) out.push(`curves: expected ${want.groups.join(',')}, observed ${seen.curves.join(',')}`);
  if (want.groupServerOrder !== seen.curveServerOrder) out.push(`curve order: expected ${want.groupServerOrder}, observed ${seen.curveServerOrder}`);
  if (!same(want.ffdheGroups, seen.ffdhe, true)) out.push(`ffdhe groups: expected ${want.ffdheGroups.join(',')}, observed ${seen.ffdhe.join(',')}`);
  if (!same(want.dhPrimeBits, seen.dhPrimeBits, false)) out.push(`DH bits without ffdhe groups: expected ${want.dhPrimeBits.join(',')}, observed ${seen.dhPrimeBits.join(',')}`);
  if ((expected.clientCertificate !== 'none') !== seen.clientCertificateRequested) out.push(`client certificate: expected ${expected.clientCertificate}`);
  return out;
}

async function verify(config: BotanConfig, table: OpenSSLSuite[], useGnutlsCli: boolean): Promise<boolean> {
  const server = await startBotanServer(config.server);
  try {
    const started = Date.now();
    const listening = await listeningAddresses(server.port);
    const seen = await observe(server.port, table, useGnutlsCli);
    const diff = differences(config.expected, seen);
    if (listening.some((address) => address !== '127.0.0.1')) diff.push(`listens beyond loopback: ${listening.join(', ')}`);
    console.log(`${diff.length === 0 ? 'ok    ' : 'DIFFER'} ${config.name} (${Math.round((Date.now() - started) / 1000)} s, listening on ${listening.join(', ')})`);
    console.log(`  ${[...diff, ...seen.notes].join('\n  ')}`);
    if (diff.length > 0) console.log(`  server: ${server.describe}`);
    return diff.length === 0;
  } finally {
    await server.close();
  }
}

async function main(): Promise<void> {
  const why = await botanUnavailableReason();
  if (why !== undefined) throw new Error(why);
  const filters = process.argv.slice(2);
  const table = await opensslSuites();
  const useGnutlsCli = (await unavailableReason('gnutls')) === undefined;
  let failed = false;
  // One at a time: each server is single-threaded and the machine is shared.
  for (const config of Object.values(botanConfigs)) {
    if (filters.length > 0 && !filters.includes(config.name)) continue;
    const ok = await verify(config, table, useGnutlsCli).catch((err: unknown) => {
      console.log(`ERROR  ${config.name}: ${(err as Error).message}`);
      return false;
    });
    if (!ok) failed = true;
  }
  process.exitCode = failed ? 1 : 0;
}

await main();
