/**
 * Re-derives the expectations of every lighttpd configuration (lighttpdConfigs.ts) from the
 * running servers and reports where they disagree. Not a tap test: it makes about a thousand
 * handshakes per configuration and takes a few minutes. Run it after changing a configuration or
 * upgrading lighttpd, Mbed TLS, wolfSSL or NSS:
 *   npx tsc -p tsconfig.json && node dist/test/helpers/stacks/verify-lighttpd.js [stack|name ...]
 * Suites: each suite `openssl s_client` can offer, alone, per version; order by offering the
 * accepted ones forwards and backwards, then by elimination. TLS 1.2 groups: each of the 30 curves
 * s_client knows, alone, with the accepted ECDHE suites; a group counts only when the
 * ServerKeyExchange used it (s_client's "Server Temp Key"), because Mbed TLS sends a ServerHello
 * for curves it then cannot use. TLS 1.3 groups: s_client for the ten it can offer, and a raw hello
 * from fipscan's builder (src/probe/probe.ts) for the others, with a key share where one can be
 * made and an empty key_share otherwise; the group order by raw hellos with an empty key_share,
 * forwards and backwards (the HelloRetryRequest names the server's choice).
 */

import { makeKeyShare } from '../../../src/probe/keyShares.js';
import { probe, type EndpointContext } from '../../../src/probe/probe.js';
import { groupsForVersion } from '../../../src/registry/groups.js';
import { opensslSuites, sClient, type OpenSSLSuite, type SClientOffer, type SClientResult } from '../clients.js';
import type { ShapeExpectation, VersionExpectation } from '../shapes.js';
import type { TlsVersionName } from '../servers.js';
import { lighttpdUnavailableReason, startLighttpdServer } from './lighttpd.js';
import { lighttpdConfigs, type LighttpdConfig } from './lighttpdConfigs.js';

const versions: TlsVersionName[] = ['TLSv1.0', 'TLSv1.1', 'TLSv1.2', 'TLSv1.3'];

/** TLS 1.2 curves by the name s_client takes and prints in "Server Temp Key" (RFC 8422, 7748, 7027). */
const tls12Curves: [id: number, name: string][] = [
  [1, 'sect163k1'], [2, 'sect163r1'], [3, 'sect163r2'], [4, 'sect193r1'], [5, 'sect193r2'], [6, 'sect233k1'],
  [7, 'sect233r1'], [8, 'sect239k1'], [9, 'sect283k1'], [10, 'sect283r1'], [11, 'sect409k1'], [12, 'sect409r1'],
  [13, 'sect571k1'], [14, 'sect571r1'], [15, 'secp160k1'], [16, 'secp160r1'], [17, 'secp160r2'], [18, 'secp192k1'],
  [19, 'prime192v1'], [20, 'secp224k1'], [21, 'secp224r1'], [22, 'secp256k1'], [23, 'prime256v1'], [24, 'secp384r1'],
  [25, 'secp521r1'], [26, 'brainpoolP256r1'], [27, 'brainpoolP384r1'], [28, 'brainpoolP512r1'], [29, 'X25519'], [30, 'X448'],
];
/** TLS 1.3 groups s_client offers (with a key share for the first), and how its temp key line names them. */
const tls13SClientGroups: [id: number, name: string, tempKey: RegExp][] = [
  [23, 'P-256', /prime256v1/], [24, 'P-384', /secp384r1/], [25, 'P-521', /secp521r1/], [29, 'X25519', /^X25519/], [30, 'X448', /^X448/],
  [256, 'ffdhe2048', /^DH, 2048/], [257, 'ffdhe3072', /^DH, 3072/], [258, 'ffdhe4096', /^DH, 4096/], [259, 'ffdhe6144', /^DH, 6144/], [260, 'ffdhe8192', /^DH, 8192/],
];

const hex = (codes: readonly number[]) => codes.map((c) => `0x${c.toString(16).padStart(4, '0')}`).join(',');

interface VersionObservation extends VersionExpectation {
  /** Group order found by forward/backward offers (TLS 1.2: s_client; TLS 1.3: HelloRetryRequest), when the server enforces one. */
  groupOrder: number[] | null;
}

/** What a refused s_client handshake got: the alert, or the server's messages before it closed. */
function refusal(result: SClientResult): string {
  if (result.alert !== null) return `alert ${result.alert}`;
  // PSK and SRP suites without credentials: s_client gives up before its hello.
  if (!/^>>> TLS [\d.]+, Handshake \[length [0-9a-f]+\], ClientHello$/m.test(result.output)) return 's_client sent no hello';
  const received = [...result.output.matchAll(/^<<< TLS [\d.]+, Handshake \[length [0-9a-f]+\], (\w+)$/gm)].map((m) => m[1]);
  // s_client itself gives up on some answers (a ServerKeyExchange on a curve it did not offer);
  // after the server's close it sends decode_error too, but then says "unexpected eof".
  const aborted = /^>>> TLS [\d.]+, Alert \[length [0-9a-f]+\], fatal (\w+)$/m.exec(result.output)?.[1];
  const closed = /unexpected eof while reading/.test(result.output) || aborted === undefined;
  const end = closed ? 'a close without alert' : `s_client aborted with ${aborted}`;
  return received.length > 0 ? `${received.join(' + ')}, then ${end}` : end;
}

function rawContext(port: number): EndpointContext {
  return { address: '127.0.0.1', port, sni: null, alpn: [], timeoutMs: 3000, signal: new AbortController().signal, probes: 0, limit: (fn) => fn() };
}

/** The order a server imposes among `items`, by elimination with `pick` (null when it follows the client). */
async function serverOrder(items: number[], pick: (offer: number[]) => Promise<number | null>): Promise<{ order: boolean | null; items: number[] }> {
  if (items.length < 2) return { order: null, items };
  const forward = await pick(items);
  const backward = await pick([...items].reverse());
  if (forward === null || forward !== backward) return { order: forward === null ? null : false, items };
  const ordered: number[] = [];
  const remaining = [...items];
  while (remaining.length > 0) {
    const chosen = await pick(remaining);
    if (chosen === null || !remaining.includes(chosen)) throw new Error(`order probe failed at ${hex(remaining)}`);
    ordered.push(chosen);
    remaining.splice(remaining.indexOf(chosen), 1);
  }
  return { order: true, items: ordered };
}

async function observeVersion(port: number, version: TlsVersionName, table: OpenSSLSuite[], notes: string[]): Promise<VersionObservation | null> {
  const tls13 = version === 'TLSv1.3';
  const byName = new Map(table.map((suite) => [suite.name, suite.code]));
  const byCode = new Map(table.map((suite) => [suite.code, suite.name]));
  const candidates = table.filter((suite) =>
    tls13 ? suite.minVersion === 'TLSv1.3' : suite.minVersion === 'SSLv3' || suite.minVersion === 'TLSv1' || (suite.minVersion === 'TLSv1.2' && version === 'TLSv1.2'),
  );
  const offer = (codes: readonly number[], groups?: string): SClientOffer => {
    const names = codes.map((code) => byCode.get(code) ?? '').join(':');
    return { port, version, ...(tls13 ? { ciphersuites: names } : { cipher: names }), ...(groups !== undefined ? { groups } : {}) };
  };

  const accepted: number[] = [];
  const refusals = new Set<string>();
  const dhPrimeBits = new Set<number>();
  for (const suite of candidates) {
    const result = await sClient(offer([suite.code]));
    const dh = /^DH, (\d+) bits/.exec(result.tempKey ?? '');
    if (result.suite === suite.name && (result.completed || result.tempKey !== null)) {
      accepted.push(suite.code);
      if (!tls13 && dh?.[1] !== undefined) dhPrimeBits.add(Number(dh[1]));
    } else refusals.add(refusal(result));
  }
  if (accepted.length === 0) {
    notes.push(`${version} refused: every single-suite offer got ${[...refusals].join('; ')}`);
    return null;
  }
  notes.push(`${version} single-suite refusals: ${[...refusals].join('; ')}`);
  const pickSuite = async (codes: number[]) => byName.get((await sClient(offer(codes))).suite ?? '') ?? null;
  const suites = await serverOrder(accepted, pickSuite);

  const groupSuites = tls13 ? accepted : accepted.filter((code) => (byCode.get(code) ?? '').startsWith('ECDHE-'));
  const groups: number[] = [];
  let groupOrder: number[] | null = null;
  if (groupSuites.length > 0 && !tls13) {
    const refused = new Map<string, number[]>();
    for (const [id, name] of tls12Curves) {
      const result = await sClient(offer(groupSuites, name));
      if (result.tempKey?.includes(name) === true && result.completed) groups.push(id);
      else refused.set(refusal(result), [...(refused.get(refusal(result)) ?? []), id]);
    }
    for (const [answer, ids] of refused) notes.push(`${version} curves ${ids.join(',')} alone: ${answer}`);
    const nameOf = new Map(tls12Curves);
    const pickCurve = async (ids: number[]) => {
      const tempKey = (await sClient(offer(groupSuites, ids.map((id) => nameOf.get(id)).join(':')))).tempKey ?? '';
      return ids.find((id) => tempKey.includes(nameOf.get(id) ?? '?')) ?? null;
    };
    const order = await serverOrder(groups, pickCurve);
    if (order.order === true) groupOrder = order.items;
    notes.push(`${version} curve order: ${order.order === true ? `server, ${order.items.join(',')}` : String(order.order)}`);
  }
  if (tls13) {
    for (const [id, name, tempKey] of tls13SClientGroups) {
      const result = await sClient(offer(groupSuites, name));
      if (result.completed && tempKey.test(result.tempKey ?? '')) groups.push(id);
    }
    // The groups s_client cannot offer, each in a raw hello of its own.
    const ctx = rawContext(port);
    const sClientIds = new Set(tls13SClientGroups.map(([id]) => id));
    for (const group of groupsForVersion('TLSv1.3').filter((g) => g.probe && !sClientIds.has(g.id))) {
      const share = makeKeyShare(group.id) !== null ? [group.id] : [];
      const outcome = await probe(ctx, { protocol: 'TLSv1.3', suites: groupSuites, groups: [group.id], keyShares: share });
      if (outcome.kind === 'hello' && outcome.serverHello.keyShareGroup === group.id) groups.push(group.id);
    }
    const pickGroup = async (ids: number[]) => {
      const outcome = await probe(ctx, { protocol: 'TLSv1.3', suites: groupSuites, groups: ids, keyShares: 'empty' });
      return outcome.kind === 'hello' ? (outcome.serverHello.keyShareGroup ?? null) : null;
    };
    const order = await serverOrder(groups, pickGroup);
    if (order.order === true) groupOrder = order.items;
    notes.push(`TLSv1.3 group order (HelloRetryRequest): ${order.order === true ? `server, ${order.items.join(',')}` : String(order.order)}`);
  }
  return { suites: suites.items, serverOrder: suites.order, groups: groupOrder ?? groups, dhPrimeBits: [...dhPrimeBits], groupOrder };
}

function sameSet(a: readonly number[], b: readonly number[]): boolean {
  return a.length === b.length && a.every((x) => b.includes(x));
}

function differences(expected: ShapeExpectation, observed: Record<TlsVersionName, VersionObservation | null>): string[] {
  const out: string[] = [];
  for (const version of versions) {
    const want = expected.versions[version];
    const got = observed[version];
    if (want === null || got === null) {
      if ((want === null) !== (got === null)) out.push(`${version}: expected ${want === null ? 'not offered' : 'offered'}, observed ${got === null ? 'not offered' : 'offered'}`);
      continue;
    }
    if (!sameSet(want.suites, got.suites)) out.push(`${version} suites: expected ${hex(want.suites)}, observed ${hex(got.suites)}`);
    else if (want.serverOrder === true && hex(want.suites) !== hex(got.suites)) out.push(`${version} order: expected ${hex(want.suites)}, observed ${hex(got.suites)}`);
    if (want.serverOrder !== got.serverOrder) out.push(`${version} serverOrder: expected ${want.serverOrder}, observed ${got.serverOrder}`);
    if (!sameSet(want.groups, got.groups)) out.push(`${version} groups: expected ${want.groups.join(',')}, observed ${got.groups.join(',')}`);
    else if (got.groupOrder !== null && want.groups.join(',') !== got.groupOrder.join(',')) out.push(`${version} group order: expected ${want.groups.join(',')}, observed ${got.groupOrder.join(',')}`);
    if (!sameSet(want.dhPrimeBits, got.dhPrimeBits)) out.push(`${version} DH bits: expected ${want.dhPrimeBits.join(',')}, observed ${got.dhPrimeBits.join(',')}`);
  }
  return out;
}

async function verify(config: LighttpdConfig, table: OpenSSLSuite[]): Promise<boolean> {
  const server = await startLighttpdServer(config.options);
  try {
    const started = Date.now();
    const notes: string[] = [];
    const observed = {} as Record<TlsVersionName, VersionObservation | null>;
    for (const version of versions) observed[version] = await observeVersion(server.port, version, table, notes);
    const best = [...versions].reverse().find((version) => observed[version] !== null);
    if (best !== undefined) {
      const bare = await sClient({ port: server.port, version: best, lingerMs: 300 });
      const requested = bare.clientCertRequested ? (bare.alert !== null ? 'required' : 'requested') : 'none';
      if (requested !== config.expected.clientCertificate) notes.unshift(`DIFF client certificate: expected ${config.expected.clientCertificate}, observed ${requested}`);
    }
    const diff = differences(config.expected, observed);
    const head = `${config.stack} ${config.name} (${Math.round((Date.now() - started) / 1000)} s)`;
    console.log(`${diff.length === 0 ? 'ok    ' : 'DIFFER'} ${head}\n  ${[...diff, ...notes].join('\n  ')}`);
    if (diff.length > 0) console.log(`  observed: ${JSON.stringify(observed)}\n  server: ${server.describe}`);
    return diff.length === 0;
  } finally {
    await server.close();
  }
}

async function main(): Promise<void> {
  const filters = process.argv.slice(2);
  const table = await opensslSuites();
  let failed = false;
  for (const config of lighttpdConfigs) {
    if (filters.length > 0 && !filters.includes(config.stack) && !filters.includes(config.name) && !filters.includes(`${config.stack}:${config.name}`)) continue;
    const skip = await lighttpdUnavailableReason(config.stack);
    if (skip !== undefined) {
      console.log(`skip   ${config.stack} ${config.name}: ${skip}`);
      continue;
    }
    const ok = await verify(config, table).catch((err: unknown) => {
      console.log(`ERROR  ${config.stack} ${config.name}: ${(err as Error).message}`);
      return false;
    });
    if (!ok) failed = true;
  }
  process.exitCode = failed ? 1 : 0;
}

await main();
