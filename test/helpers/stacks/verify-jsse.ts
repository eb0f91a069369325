/**
 * Re-derives the JSSE configurations' expectations (jsse.ts) from the running servers, the way
 * verify-shapes.ts does for the other stacks, and prints what JSSE answers to each single group.
 * Not a tap test: it makes several hundred handshakes and takes a minute or two. Run it after
 * changing a configuration or upgrading the JDK:
 *   npx tsc -p tsconfig.json && node dist/test/helpers/stacks/verify-jsse.js [configName ...] [--trace]
 *
 * 1. `openssl s_client`, one version at a time: each suite alone (acceptance never depends on how
 *    the server picks), then the accepted ones forwards and backwards (server or client order)
 *    and, for server order, pick by pick; each group alone (TLS 1.2 with the ECDHE suites, TLS 1.3
 *    with every accepted suite); the DH size from "Server Temp Key".
 * 2. Raw hellos (src/probe/probe.ts), for what s_client cannot send: every TLS 1.3 group fipscan
 *    knows, alone with an empty key_share (JSSE's HelloRetryRequest or alert), every TLS 1.2
 *    group alone with the ECDHE suites, and the ffdhe groups alone with the DHE suites in TLS 1.2.
 * 3. With --trace: a fipscan scan through a recording relay (helloTrace.ts), one line per probe:
 *    the hello sent and the server's answer.
 */

import { cipherSuiteById } from '../../../src/registry/cipherSuites.js';
import { groupsForVersion } from '../../../src/registry/groups.js';
import { scan } from '../../../src/index.js';
import { probe, type EndpointContext, type HelloSpec } from '../../../src/probe/probe.js';
import { opensslSuites, sClient, type OpenSSLSuite, type SClientOffer } from '../clients.js';
import type { RunningServer, TlsVersionName } from '../servers.js';
import type { ShapeExpectation, VersionExpectation } from '../shapes.js';
import { startHelloTrace } from './helloTrace.js';
import { jsseConfigs, jsseUnavailableReason, startJsseServer, type JsseConfigName } from './jsse.js';

const versions: TlsVersionName[] = ['TLSv1.0', 'TLSv1.1', 'TLSv1.2', 'TLSv1.3'];

/** Groups s_client can offer, by OpenSSL name. s_client sends ffdhe groups only in TLS 1.3. */
const sClientGroups: Record<'tls12' | 'tls13', Record<string, number>> = {
  tls12: { X25519: 29, X448: 30, 'P-256': 23, 'P-384': 24, 'P-521': 25, secp256k1: 22, secp224r1: 21, brainpoolP256r1: 26, brainpoolP384r1: 27, brainpoolP512r1: 28 },
  tls13: { X25519: 29, X448: 30, 'P-256': 23, 'P-384': 24, 'P-521': 25, ffdhe2048: 256, ffdhe3072: 257, ffdhe4096: 258, ffdhe6144: 259, ffdhe8192: 260 },
};

const hex = (id: number): string => `0x${id.toString(16).padStart(4, '0')}`;
const hexList = (ids: readonly number[]): string => ids.map(hex).join(',');

/** What s_client found for one version; null when the version is refused. */
async function observeVersion(port: number, version: TlsVersionName, table: OpenSSLSuite[], notes: string[]): Promise<VersionExpectation | null> {
  const tls13 = version === 'TLSv1.3';
  const candidates = table.filter((suite) =>
    tls13 ? suite.minVersion === 'TLSv1.3' : suite.minVersion === 'SSLv3' || suite.minVersion === 'TLSv1' || (suite.minVersion === 'TLSv1.2' && version === 'TLSv1.2'),
  );
  const offer = (names: string[], groups?: string): SClientOffer => ({
    port,
    version,
    ...(tls13 ? { ciphersuites: names.join(':') } : { cipher: names.join(':') }),
    ...(groups !== undefined ? { groups } : {}),
  });
  // A version refused with every suite at once (protocol_version) is off: no single suite is tried.
  const whole = await sClient(offer(candidates.map((suite) => suite.name)));
  if (whole.suite === null) {
    notes.push(`${version} refused with every suite offered: alert ${whole.alert ?? 'none'}`);
    return null;
  }

  const accepted: string[] = [];
  const dhPrimeBits = new Set<number>();
  const refusals = new Set<string>();
  for (const suite of candidates) {
    const result = await sClient(offer([suite.name]));
    if (result.suite !== suite.name) {
      refusals.add(String(result.alert ?? 'none'));
      continue;
    }
    accepted.push(suite.name);
    const dh = /^DH, (\d+) bits/.exec(result.tempKey ?? '');
    if (!tls13 && dh?.[1] !== undefined) dhPrimeBits.add(Number(dh[1]));
  }
  notes.push(`${version} single-suite refusals: alert ${[...refusals].join(', ')}`);

  const pick = async (names: string[]): Promise<string | null> => (await sClient(offer(names))).suite;
  let serverOrder: boolean | null = null;
  let ordered = accepted;
  if (accepted.length >= 2) {
    serverOrder = (await pick(accepted)) === (await pick([...accepted].reverse()));
    if (serverOrder) {
      ordered = [];
      const remaining = [...accepted];
      while (remaining.length > 0) {
        const chosen = await pick(remaining);
        if (chosen === null || !remaining.includes(chosen)) throw new Error(`order probe failed at ${remaining.join(':')}`);
        ordered.push(chosen);
        remaining.splice(remaining.indexOf(chosen), 1);
      }
    }
  }
  const codeOf = new Map(table.map((suite) => [suite.name, suite.code]));

  const groupSuites = tls13 ? accepted : accepted.filter((name) => name.startsWith('ECDHE-'));
  const groups: number[] = [];
  if (groupSuites.length > 0) {
    const groupRefusals = new Set<string>();
    for (const [name, code] of Object.entries(sClientGroups[tls13 ? 'tls13' : 'tls12'])) {
      const result = await sClient(offer(groupSuites, name));
      if (result.suite !== null) groups.push(code);
      else groupRefusals.add(String(result.alert ?? 'none'));
    }
    notes.push(`${version} single-group refusals: alert ${[...groupRefusals].join(', ')}`);
  }
  return { suites: ordered.map((name) => codeOf.get(name) ?? -1), serverOrder, groups, dhPrimeBits: [...dhPrimeBits] };
}

function differences(expected: ShapeExpectation, observed: Record<TlsVersionName, VersionExpectation | null>): string[] {
  const out: string[] = [];
  const same = (a: readonly number[], b: readonly number[]) => a.length === b.length && a.every((x) => b.includes(x));
  for (const version of versions) {
    const want = expected.versions[version];
    const got = observed[version];
    if ((want === null) !== (got === null)) {
      out.push(`${version}: expected ${want === null ? 'off' : 'on'}, observed ${got === null ? 'off' : 'on'}`);
      continue;
    }
    if (want === null || got === null) continue;
    const inOrder = want.serverOrder === true ? hexList(want.suites) === hexList(got.suites) : same(want.suites, got.suites);
    if (!inOrder) out.push(`${version} suites: expected ${hexList(want.suites)}, observed ${hexList(got.suites)}`);
    if (want.serverOrder !== got.serverOrder) out.push(`${version} server order: expected ${want.serverOrder}, observed ${got.serverOrder}`);
    if (!same(want.groups, got.groups)) out.push(`${version} groups: expected ${hexList(want.groups)}, observed ${hexList(got.groups)}`);
    if (!same(want.dhPrimeBits, got.dhPrimeBits)) out.push(`${version} DH sizes: expected ${want.dhPrimeBits.join(',')}, observed ${got.dhPrimeBits.join(',')}`);
  }
  return out;
}

/** One raw hello's answer in a few words. */
async function rawAnswer(server: RunningServer, spec: HelloSpec): Promise<string> {
  const ctx: EndpointContext = { address: server.host, port: server.port, sni: null, alpn: [], timeoutMs: 4000, signal: new AbortController().signal, probes: 0, limit: (fn) => fn() };
  const o = await probe(ctx, spec);
  if (o.kind === 'alert') return `alert ${o.description}`;
  if (o.kind !== 'hello') return o.kind === 'failed' ? `failed (${o.how})` : o.kind;
  const sh = o.serverHello;
  if (sh.isHelloRetryRequest) return `HRR ${hex(sh.keyShareGroup ?? 0)}`;
  if (sh.version === 0x0304) return `ServerHello ${hex(sh.keyShareGroup ?? 0)}`;
  const kx = o.keyExchange;
  return kx === null ? `ServerHello ${hex(sh.cipherSuite)}` : kx.kind === 'ecdhe' ? `ECDHE ${hex(kx.namedGroup ?? 0)}` : `DHE ${kx.primeBits} bits`;
}

/** Each group alone in a raw hello, grouped by answer: "alert 10: 0x0016,0x001a ...". */
async function singleGroupAnswers(server: RunningServer, expected: ShapeExpectation): Promise<string[]> {
  const lines: string[] = [];
  const byAnswer = async (label: string, ids: readonly number[], spec: (id: number) => HelloSpec): Promise<void> => {
    const answers = new Map<string, number[]>();
    for (const id of ids) {
      const said = await rawAnswer(server, spec(id));
      answers.set(said, [...(answers.get(said) ?? []), id]);
    }
    for (const [said, list] of answers) lines.push(`${label} -> ${said}: ${hexList(list)}`);
  };
  const tls13 = expected.versions['TLSv1.3'];
  if (tls13 !== null) {
    const ids = groupsForVersion('TLSv1.3').filter((group) => group.probe).map((group) => group.id);
    await byAnswer('TLS 1.3, one group, empty key_share', ids, (id) => ({ protocol: 'TLSv1.3', suites: tls13.suites, groups: [id], keyShares: 'empty' }));
  }
  const tls12 = expected.versions['TLSv1.2'];
  if (tls12 !== null) {
    const ids = groupsForVersion('TLSv1.2').filter((group) => group.probe).map((group) => group.id);
    const ecdhe = tls12.suites.filter((id) => cipherSuiteById(id)?.kx === 'ECDHE');
    if (ecdhe.length > 0) await byAnswer('TLS 1.2 ECDHE suites, one group', ids, (id) => ({ protocol: 'TLSv1.2', suites: ecdhe, groups: [id] }));
    const dhe = tls12.suites.filter((id) => cipherSuiteById(id)?.kx === 'DHE');
    const ffdhe = [0x0100, 0x0101, 0x0102, 0x0103, 0x0104];
    if (dhe.length > 0) await byAnswer('TLS 1.2 DHE suites, one ffdhe group', ffdhe, (id) => ({ protocol: 'TLSv1.2', suites: dhe, groups: [id] }));
  }
  return lines;
}

/** fipscan's scan through the recording relay: one line per probe. */
async function traceScan(server: RunningServer): Promise<string[]> {
  const trace = await startHelloTrace(server.port);
  try {
    const result = await scan(`127.0.0.1:${trace.port}`, { timeoutMs: 4000 });
    // The relay sees a connection's end a moment after the scanner does.
    await new Promise((resolve) => setTimeout(resolve, 300));
    const lines = trace.connections().map((c, i) => `${String(i + 1).padStart(3)} ${c.hello} -> ${c.answer}`);
    return [`fipscan: ${result.probes} probes, error ${result.error?.code ?? 'none'}`, ...lines];
  } finally {
    await trace.close();
  }
}

async function verify(name: JsseConfigName, table: OpenSSLSuite[], withTrace: boolean): Promise<boolean> {
  const config = jsseConfigs[name];
  const started = Date.now();
  const server = await startJsseServer(name);
  const startupMs = Date.now() - started;
  try {
    const notes: string[] = [`JVM up and listening after ${startupMs} ms`];
    const observed = {} as Record<TlsVersionName, VersionExpectation | null>;
    for (const version of versions) observed[version] = await observeVersion(server.port, version, table, notes);
    const diff = differences(config.expected, observed);
    notes.push(...(await singleGroupAnswers(server, config.expected)));
    if (withTrace) notes.push(...(await traceScan(server)));
    console.log(`${diff.length === 0 ? 'ok    ' : 'DIFFER'} jsse ${name} (${Math.round((Date.now() - started) / 1000)} s)\n  ${[...diff, ...notes].join('\n  ')}`);
    if (diff.length > 0) console.log(`  observed: ${JSON.stringify(observed)}\n  server: ${server.describe}`);
    return diff.length === 0;
  } finally {
    await server.close();
  }
}

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const withTrace = args.includes('--trace');
  const names = args.filter((arg) => arg !== '--trace');
  const why = await jsseUnavailableReason();
  if (why !== undefined) {
    console.log(`skip   jsse: ${why}`);
    process.exitCode = 1;
    return;
  }
  const table = await opensslSuites();
  let failed = false;
  for (const name of Object.keys(jsseConfigs) as JsseConfigName[]) {
    if (names.length > 0 && !names.includes(name)) continue;
    const ok = await verify(name, table, withTrace).catch((err: unknown) => {
      console.log(`ERROR  jsse ${name}: ${(err as Error).message}`);
      return false;
    });
    if (!ok) failed = true;
  }
  process.exitCode = failed ? 1 : 0;
}

await main();
