/**
 * Re-derives every Erlang shape's expectation (erlangShapes.ts) from the running server and
 * reports where it disagrees. Not a tap test: about two thousand handshakes, a few minutes.
 *   npx tsc -p tsconfig.json && node dist/test/helpers/stacks/verify-erlang.js [shapeName ...]
 * Each suite of fipscan's registry is offered alone, with `openssl s_client` where this OpenSSL
 * can offer it, else (static ECDH, PSK and SRP suites, which s_client drops without credentials)
 * with one raw hello from fipscan's own wire builder; so is each group. Order is probed with
 * s_client forwards and backwards over the suites it can offer, and ranked in full by raw
 * elimination, which must agree with s_client where both apply. Every verdict names its oracle.
 */

import { probe, type EndpointContext, type HelloSpec, type ProbeOutcome } from '../../../src/probe/probe.js';
import { suitesForVersion } from '../../../src/registry/cipherSuites.js';
import { groupsForVersion } from '../../../src/registry/groups.js';
import { opensslSuites, sClient, type OpenSSLSuite, type SClientOffer } from '../clients.js';
import type { TlsVersionName } from '../servers.js';
import type { ShapeExpectation, VersionExpectation } from '../shapes.js';
import { erlangUnavailable, startErlangServer } from './erlang.js';
import { erlangShapes, type ErlangShape } from './erlangShapes.js';

const versions: TlsVersionName[] = ['TLSv1.0', 'TLSv1.1', 'TLSv1.2', 'TLSv1.3'];
const hex = (codes: readonly number[]): string => codes.map((c) => `0x${c.toString(16).padStart(4, '0')}`).join(',');

/** What one offer of one item got: accepted (and how we know), or the answer that refused it. */
interface Verdict {
  accepted: boolean;
  oracle: 's_client' | 'raw';
  answer: string;
  dhBits: number | null;
}

function answerOf(o: ProbeOutcome): string {
  if (o.kind === 'hello') return o.serverHello.isHelloRetryRequest ? 'HelloRetryRequest' : 'ServerHello';
  return o.kind === 'alert' ? `alert ${o.description}` : o.kind === 'failed' ? `failed ${o.how}` : o.kind;
}

class Oracles {
  readonly #ctx: EndpointContext;
  readonly #table: OpenSSLSuite[];
  /** OpenSSL's accepted -groups spelling per group codepoint, null where s_client takes none. */
  readonly #groupNames = new Map<number, string | null>();

  constructor(port: number, table: OpenSSLSuite[]) {
    this.#ctx = { address: '127.0.0.1', port, sni: null, alpn: [], timeoutMs: 4000, signal: new AbortController().signal, probes: 0, limit: (fn) => fn() };
    this.#table = table;
  }

  /** OpenSSL's name for a suite it can offer in `version`. */
  opensslName(version: TlsVersionName, code: number): string | null {
    const suite = this.#table.find((s) => s.code === code);
    if (suite === undefined) return null;
    const usable = version === 'TLSv1.3' ? suite.minVersion === 'TLSv1.3' : suite.minVersion !== 'TLSv1.3' && (suite.minVersion !== 'TLSv1.2' || version === 'TLSv1.2');
    return usable ? suite.name : null;
  }

  async sclient(version: TlsVersionName, names: string[], groups?: string): Promise<Awaited<ReturnType<typeof sClient>>> {
    const offer: SClientOffer = { port: this.#ctx.port, version, ...(version === 'TLSv1.3' ? { ciphersuites: names.join(':') } : { cipher: names.join(':') }) };
    return sClient(groups === undefined ? offer : { ...offer, groups });
  }

  raw(spec: HelloSpec): Promise<ProbeOutcome> {
    return probe(this.#ctx, spec);
  }

  /** A raw hello for `version` offering `suites`, with every group and real shares for the common ones. */
  rawSpec(version: TlsVersionName, suites: readonly number[], groups?: readonly number[]): HelloSpec {
    const allGroups = groupsForVersion(version).filter((g) => g.probe && (version === 'TLSv1.3' || g.kind !== 'ffdhe')).map((g) => g.id);
    const offered = groups ?? allGroups;
    return { protocol: version, suites, groups: offered, ...(version === 'TLSv1.3' ? { keyShares: offered.filter((g) => [29, 23].includes(g)) } : {}) };
  }

  async suite(version: TlsVersionName, code: number): Promise<Verdict> {
    const name = this.opensslName(version, code);
    if (name !== null) {
      const result = await this.sclient(version, [name]);
      // No alert and no ServerHello: s_client dropped the suite (PSK/SRP without credentials).
      if (result.suite !== null || result.alert !== null) {
        const dh = /^DH, (\d+) bits/.exec(result.tempKey ?? '')?.[1];
        return { accepted: result.suite === name, oracle: 's_client', answer: result.suite ?? `alert ${result.alert}`, dhBits: dh === undefined ? null : Number(dh) };
      }
    }
    const o = await this.raw(this.rawSpec(version, [code]));
    const accepted = o.kind === 'hello' && o.serverHello.cipherSuite === code;
    const dhBits = accepted && o.keyExchange?.kind === 'dhe' ? o.keyExchange.primeBits : null;
    return { accepted, oracle: 'raw', answer: answerOf(o), dhBits };
  }

  /** How s_client spells a group for -groups, tried against a closed loopback port. */
  async groupName(code: number, spellings: string[]): Promise<string | null> {
    if (!this.#groupNames.has(code)) {
      let found: string | null = null;
      for (const spelling of spellings) {
        const result = await sClient({ port: 1, version: 'TLSv1.2', groups: spelling, timeoutMs: 3000 });
        if (/Connection refused/.test(result.output)) {
          found = spelling;
          break;
        }
      }
      this.#groupNames.set(code, found);
    }
    return this.#groupNames.get(code) ?? null;
  }

  /** One group alone with `suites` (TLS 1.2: ECDHE suites only, so a ServerHello proves the group). */
  async group(version: TlsVersionName, code: number, spellings: string[], suites: number[]): Promise<Verdict> {
    const name = await this.groupName(code, spellings);
    const names = suites.map((s) => this.opensslName(version, s)).filter((n): n is string => n !== null);
    if (name !== null && names.length > 0) {
      const result = await this.sclient(version, names, name);
      // An OpenSSL client aborts after the ServerKeyExchange when an ECDSA certificate's curve is
      // not among the groups it listed ("wrong curve") and then reports no suite: only a raw
      // hello can tell which curve the server went ahead with.
      const abortedAfterHello = result.suite === null && /^<<< TLS [\d.]+, Handshake \[length [0-9a-f]+\], ServerHello$/m.test(result.output);
      if (!abortedAfterHello) return { accepted: result.suite !== null, oracle: 's_client', answer: result.suite ?? `alert ${result.alert ?? 'none'}`, dhBits: null };
    }
    const spec = version === 'TLSv1.3' ? { ...this.rawSpec(version, suites, [code]), keyShares: 'empty' as const } : this.rawSpec(version, suites, [code]);
    const o = await this.raw(spec);
    const chosen = o.kind !== 'hello' ? null : version === 'TLSv1.3' ? o.serverHello.keyShareGroup : o.keyExchange?.kind === 'ecdhe' ? o.keyExchange.namedGroup : null;
    return { accepted: chosen === code, oracle: 'raw', answer: answerOf(o), dhBits: null };
  }

  /** The server's ranking of `accepted` by raw elimination: offer all, remove the pick, repeat. */
  async rawRanking(version: TlsVersionName, accepted: number[]): Promise<number[]> {
    const ranked: number[] = [];
    const remaining = [...accepted];
    while (remaining.length > 0) {
      const o = await this.raw(this.rawSpec(version, remaining));
      const pick = o.kind === 'hello' ? o.serverHello.cipherSuite : null;
      if (pick === null || !remaining.includes(pick)) throw new Error(`${version} raw ranking stopped at ${hex(remaining)}: ${answerOf(o)}`);
      ranked.push(pick);
      remaining.splice(remaining.indexOf(pick), 1);
    }
    return ranked;
  }
}

interface Observation {
  versions: Record<TlsVersionName, VersionExpectation | null>;
  clientCertificateRequested: boolean;
  notes: string[];
}

async function observeVersion(oracles: Oracles, version: TlsVersionName, notes: string[]): Promise<VersionExpectation | null> {
  const tls13 = version === 'TLSv1.3';
  const candidates = suitesForVersion(version).map((s) => s.id);
  // A version the server does not enable is refused with protocol_version whatever the suites.
  const whole = await oracles.raw(oracles.rawSpec(version, candidates));
  if (whole.kind === 'alert' && whole.description === 70) {
    const openssl = candidates.map((c) => oracles.opensslName(version, c)).filter((n): n is string => n !== null);
    const check = await oracles.sclient(version, openssl);
    notes.push(`${version} off: raw full offer alert 70, s_client ${check.suite ?? `alert ${check.alert ?? 'none'}`}`);
    return null;
  }

  const accepted: number[] = [];
  const refusals = new Map<string, number>();
  const byOracle = { s_client: 0, raw: 0 };
  const dhBits = new Set<number>();
  for (const code of candidates) {
    const verdict = await oracles.suite(version, code);
    if (verdict.accepted) {
      accepted.push(code);
      byOracle[verdict.oracle]++;
      if (!tls13 && verdict.dhBits !== null) dhBits.add(verdict.dhBits);
    } else {
      refusals.set(`${verdict.oracle} ${verdict.answer}`, (refusals.get(`${verdict.oracle} ${verdict.answer}`) ?? 0) + 1);
    }
  }
  notes.push(`${version} accepted ${accepted.length} (s_client ${byOracle.s_client}, raw ${byOracle.raw}); refusals ${[...refusals].map(([k, n]) => `${k} x${n}`).join(', ')}`);
  if (accepted.length === 0) return null;

  let serverOrder: boolean | null = null;
  let suites = accepted;
  if (accepted.length >= 2) {
    const ranking = await oracles.rawRanking(version, accepted);
    const rawOrder = (await oracles.rawRanking(version, [...accepted].reverse()))[0] === ranking[0];
    const names = accepted.map((c) => oracles.opensslName(version, c)).filter((n): n is string => n !== null);
    if (names.length >= 2) {
      const forward = (await oracles.sclient(version, names)).suite;
      const backward = (await oracles.sclient(version, [...names].reverse())).suite;
      const sclientOrder = forward === backward;
      if (sclientOrder !== rawOrder) notes.push(`${version} ORDER ORACLES DISAGREE: s_client ${sclientOrder}, raw ${rawOrder}`);
      if (sclientOrder && forward !== oracles.opensslName(version, ranking.find((c) => oracles.opensslName(version, c) !== null) ?? -1)) {
        notes.push(`${version} ORDER ORACLES DISAGREE: s_client's first is ${forward}`);
      }
    }
    serverOrder = rawOrder;
    if (serverOrder) suites = ranking;
  }

  const ecdhe = accepted.filter((c) => {
    const suite = suitesForVersion(version).find((s) => s.id === c);
    return tls13 || suite?.kx === 'ECDHE' || (suite?.kx === 'ECDH' && suite.auth === 'anon');
  });
  const groups: number[] = [];
  if (ecdhe.length > 0) {
    const groupRefusals = new Set<string>();
    for (const group of groupsForVersion(version).filter((g) => g.probe && (tls13 || g.kind !== 'ffdhe'))) {
      const verdict = await oracles.group(version, group.id, [group.name, ...group.aliases], ecdhe);
      if (verdict.accepted) groups.push(group.id);
      else groupRefusals.add(`${verdict.oracle} ${verdict.answer}`);
    }
    notes.push(`${version} single-group refusals: ${[...groupRefusals].join(', ')}`);
  }
  return { suites, serverOrder, groups, dhPrimeBits: [...dhBits] };
}

async function observe(port: number, table: OpenSSLSuite[]): Promise<Observation> {
  const oracles = new Oracles(port, table);
  const notes: string[] = [];
  const observed = {} as Record<TlsVersionName, VersionExpectation | null>;
  for (const version of versions) observed[version] = await observeVersion(oracles, version, notes);
  const best = [...versions].reverse().find((v) => observed[v] !== null);
  const bare = best === undefined ? null : await sClient({ port, version: best, lingerMs: 300 });
  return { versions: observed, clientCertificateRequested: bare?.clientCertRequested ?? false, notes };
}

const sameSet = (a: readonly number[], b: readonly number[]): boolean => a.length === b.length && a.every((x) => b.includes(x));

function differences(expected: ShapeExpectation, observed: Observation): string[] {
  const out: string[] = [];
  for (const version of versions) {
    const want = expected.versions[version];
    const got = observed.versions[version];
    if (want === null || got === null) {
      if ((want === null) !== (got === null)) out.push(`${version}: expected ${want === null ? 'off' : 'offered'}, observed ${got === null ? 'off' : 'offered'}`);
      continue;
    }
    if (!sameSet(want.suites, got.suites)) out.push(`${version} suites: expected ${hex(want.suites)}, observed ${hex(got.suites)}`);
    else if (want.serverOrder === true && hex(want.suites) !== hex(got.suites)) out.push(`${version} order: expected ${hex(want.suites)}, observed ${hex(got.suites)}`);
    if (want.serverOrder !== got.serverOrder) out.push(`${version} serverOrder: expected ${want.serverOrder}, observed ${got.serverOrder}`);
    if (!sameSet(want.groups, got.groups)) out.push(`${version} groups: expected ${want.groups.join(',')}, observed ${got.groups.join(',')}`);
    if (!sameSet(want.dhPrimeBits, got.dhPrimeBits)) out.push(`${version} DH bits: expected ${want.dhPrimeBits.join(',')}, observed ${got.dhPrimeBits.join(',')}`);
  }
  if ((expected.clientCertificate !== 'none') !== observed.clientCertificateRequested) out.push(`client certificate: expected ${expected.clientCertificate}`);
  return out;
}

async function verify(shape: ErlangShape, table: OpenSSLSuite[]): Promise<boolean> {
  const server = await startErlangServer(shape.options);
  try {
    const started = Date.now();
    const observation = await observe(server.port, table);
    const diff = differences(shape.expected, observation);
    console.log(`${diff.length === 0 ? 'ok    ' : 'DIFFER'} ${shape.name} (${Math.round((Date.now() - started) / 1000)} s)\n  ${[...diff, ...observation.notes].join('\n  ')}`);
    if (diff.length > 0) console.log(`  observed: ${JSON.stringify(observation.versions)}\n  server: ${server.describe}`);
    return diff.length === 0;
  } finally {
    await server.close();
  }
}

async function main(): Promise<void> {
  const why = await erlangUnavailable();
  if (why !== undefined) throw new Error(why);
  const filters = process.argv.slice(2);
  const table = await opensslSuites();
  let failed = false;
  for (const shape of Object.values(erlangShapes)) {
    if (filters.length > 0 && !filters.includes(shape.name)) continue;
    if (!(await verify(shape, table))) failed = true;
  }
  process.exitCode = failed ? 1 : 0;
}

await main();
