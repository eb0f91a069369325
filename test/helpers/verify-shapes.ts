/**
 * Re-derives every shape's expectations from the running servers with `openssl s_client` (and
 * `gnutls-cli` for the suites this OpenSSL cannot offer) and reports where shapes.ts disagrees.
 * Not a tap test: it makes several thousand handshakes and takes 1-4 minutes. Run it after
 * changing a shape or upgrading a server stack:
 *   npx tsc -p tsconfig.json && node dist/test/helpers/verify-shapes.js [shapeName|stack ...]
 * Each suite and group is offered alone, so acceptance never depends on how a server picks among
 * several; order is then probed by offering the accepted suites forwards and backwards.
 */

import { gnutlsCli, opensslSuites, sClient, type OpenSSLSuite, type SClientOffer } from './clients.js';
import { allStacks, shapes, startShape, type Shape, type ShapeExpectation } from './shapes.js';
import { unavailableReason, type Stack, type TlsVersionName } from './servers.js';

const versions: TlsVersionName[] = ['TLSv1.0', 'TLSv1.1', 'TLSv1.2', 'TLSv1.3'];
const gnutlsVersion: Record<TlsVersionName, string> = {
  'TLSv1.0': 'VERS-TLS1.0',
  'TLSv1.1': 'VERS-TLS1.1',
  'TLSv1.2': 'VERS-TLS1.2',
  'TLSv1.3': 'VERS-TLS1.3',
};

/** Groups s_client can offer, by OpenSSL name. s_client sends ffdhe groups only in TLS 1.3. */
const groupCandidates: Record<'tls12' | 'tls13', Record<string, number>> = {
  tls12: {
    X25519: 29, X448: 30, 'P-256': 23, 'P-384': 24, 'P-521': 25, secp256k1: 22, secp224r1: 21,
    brainpoolP256r1: 26, brainpoolP384r1: 27, brainpoolP512r1: 28,
  },
  tls13: {
    X25519: 29, X448: 30, 'P-256': 23, 'P-384': 24, 'P-521': 25,
    ffdhe2048: 256, ffdhe3072: 257, ffdhe4096: 258, ffdhe6144: 259, ffdhe8192: 260,
  },
};

type Components = readonly [kx: string, cipher: string, mac: string];

/** Suites this OpenSSL build cannot offer at all (no 3DES suites), named by GnuTLS components. */
const gnutlsOnlySuites: Record<number, Components> = {
  0x000a: ['RSA', '3DES-CBC', 'SHA1'],
  0x0016: ['DHE-RSA', '3DES-CBC', 'SHA1'],
  0xc012: ['ECDHE-RSA', '3DES-CBC', 'SHA1'],
};
/** Neighbours the gnutls-only suites are ranked against (one component apart = a 2-suite offer). */
const comparableSuites: Record<number, Components> = {
  0x002f: ['RSA', 'AES-128-CBC', 'SHA1'],
  0x0033: ['DHE-RSA', 'AES-128-CBC', 'SHA1'],
  0x0035: ['RSA', 'AES-256-CBC', 'SHA1'],
  0x0039: ['DHE-RSA', 'AES-256-CBC', 'SHA1'],
  0xc013: ['ECDHE-RSA', 'AES-128-CBC', 'SHA1'],
  0xc014: ['ECDHE-RSA', 'AES-256-CBC', 'SHA1'],
  ...gnutlsOnlySuites,
};
const ecGroups = '+GROUP-X25519:+GROUP-SECP256R1:+GROUP-SECP384R1:+GROUP-SECP521R1:+GROUP-X448';

function gnutlsPriority(version: TlsVersionName, kx: string[], ciphers: string[], macs: string[], extra = ecGroups): string {
  const plus = (names: string[]) => names.map((n) => `+${n}`).join(':');
  return `NONE:+${gnutlsVersion[version]}:${plus(ciphers)}:${plus(macs)}:${plus(kx)}:+SIGN-ALL:+COMP-NULL:${extra}`;
}

/** Whether a gnutls-cli description such as '(TLS1.2-X.509)-(DHE-CUSTOM1024)-(RSA-SHA256)-(3DES-CBC)-(SHA1)' is this suite. */
function describes(description: string, [kx, cipher, mac]: Components): boolean {
  const kxPart = kx === 'RSA' ? '-(RSA)-' : kx === 'DHE-RSA' ? '-(DHE-' : '-(ECDHE-';
  return description.includes(kxPart) && description.includes(`-(${cipher})-`) && description.endsWith(`-(${mac})`);
}

const hex = (codes: readonly number[]) => codes.map((c) => `0x${c.toString(16).padStart(4, '0')}`).join(',');

interface VersionObservation {
  /** From s_client: in server order when serverOrder is true. */
  suites: number[];
  serverOrder: boolean | null;
  /** Accepted suites only gnutls-cli could offer, and [preferred, other] pairs found for them. */
  gnutlsOnly: number[];
  orderPairs: [number, number][];
  groups: number[];
  dhPrimeBits: number[];
}

interface Observation {
  versions: Record<TlsVersionName, VersionObservation | null>;
  clientCertificate: ShapeExpectation['clientCertificate'];
  /** Alerts and other behaviour worth knowing, one line each. */
  notes: string[];
}

async function observe(port: number, withClientCert: boolean, table: OpenSSLSuite[], useGnutlsCli: boolean): Promise<Observation> {
  const notes: string[] = [];
  const byName = new Map(table.map((suite) => [suite.name, suite.code]));
  const run = (offer: Omit<SClientOffer, 'port' | 'clientCert'>) => sClient({ ...offer, port, clientCert: withClientCert });
  const observed = {} as Record<TlsVersionName, VersionObservation | null>;

  for (const version of versions) {
    const tls13 = version === 'TLSv1.3';
    const candidates = table.filter((suite) =>
      tls13
        ? suite.minVersion === 'TLSv1.3'
        : suite.minVersion === 'SSLv3' || suite.minVersion === 'TLSv1' || (suite.minVersion === 'TLSv1.2' && version === 'TLSv1.2'),
    );
    const offer = (names: string[], groups?: string): Omit<SClientOffer, 'port' | 'clientCert'> => ({
      version,
      ...(tls13 ? { ciphersuites: names.join(':') } : { cipher: names.join(':') }),
      ...(groups !== undefined ? { groups } : {}),
    });

    const accepted: string[] = [];
    const refusalAlerts = new Set<string>();
    const dhPrimeBits = new Set<number>();
    for (const suite of candidates) {
      const result = await run(offer([suite.name]));
      if (result.suite === suite.name) {
        accepted.push(suite.name);
        const dh = /^DH, (\d+) bits/.exec(result.tempKey ?? '');
        if (!tls13 && dh?.[1] !== undefined) dhPrimeBits.add(Number(dh[1]));
      } else {
        // "none": the client gave up before sending (PSK/SRP suites without credentials).
        refusalAlerts.add(String(result.alert ?? 'none'));
      }
    }

    const gnutlsOnly: number[] = [];
    const orderPairs: [number, number][] = [];
    if (useGnutlsCli && !tls13) {
      for (const [code, [kx, cipher, mac]] of Object.entries(gnutlsOnlySuites)) {
        const result = await gnutlsCli(port, gnutlsPriority(version, [kx], [cipher], [mac]));
        if (!result.established) continue;
        gnutlsOnly.push(Number(code));
        const dh = /DHE-(?:CUSTOM|FFDHE)(\d+)/.exec(result.description ?? '');
        if (dh?.[1] !== undefined) dhPrimeBits.add(Number(dh[1]));
      }
    }

    if (accepted.length === 0 && gnutlsOnly.length === 0) {
      const whole = await run(offer(candidates.map((suite) => suite.name)));
      notes.push(`${version} refused: alert ${whole.alert ?? 'none'}`);
      observed[version] = null;
      continue;
    }
    notes.push(`${version} single-suite refusals: alert ${[...refusalAlerts].join(', ')}`);

    const pick = async (names: string[]): Promise<string | null> => (await run(offer(names))).suite;
    let serverOrder: boolean | null = null;
    let ordered = accepted;
    if (accepted.length >= 2) {
      const forward = await pick(accepted);
      const backward = await pick([...accepted].reverse());
      serverOrder = forward === backward;
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
    const suites = ordered.map((name) => byName.get(name) ?? -1);

    // Rank each gnutls-only suite against accepted neighbours one component away: the offer is
    // then exactly the two suites, made in both orders to tell server order from client order.
    for (const code of gnutlsOnly) {
      const mine = comparableSuites[code];
      for (const other of [...suites, ...gnutlsOnly]) {
        const theirs = comparableSuites[other];
        if (mine === undefined || theirs === undefined || other === code) continue;
        if (mine.filter((part, i) => part !== theirs[i]).length !== 1) continue;
        const union = (i: number) => [...new Set([mine[i] as string, theirs[i] as string])];
        const reversed = (i: number) => [...union(i)].reverse();
        const first = await gnutlsCli(port, gnutlsPriority(version, union(0), union(1), union(2)));
        const second = await gnutlsCli(port, gnutlsPriority(version, reversed(0), reversed(1), reversed(2)));
        if (first.description !== null && first.description === second.description) {
          const winner = describes(first.description, mine) ? code : other;
          orderPairs.push([winner, winner === code ? other : code]);
        }
      }
    }

    if (gnutlsOnly.length > 0) {
      const pairs = orderPairs.map(([better, worse]) => `${hex([better])}>${hex([worse])}`).join(' ');
      notes.push(`${version} gnutls-cli only: ${hex(gnutlsOnly)} accepted; preferred pairs ${pairs || 'none'}`);
    }

    // Groups: TLS 1.2 with the ECDHE suites only (so success proves the group), TLS 1.3 with all.
    const groupSuites = tls13 ? accepted : accepted.filter((name) => name.startsWith('ECDHE-'));
    const groupCodes: number[] = [];
    if (groupSuites.length > 0) {
      const groupAlerts = new Set<string>();
      for (const [name, code] of Object.entries(groupCandidates[tls13 ? 'tls13' : 'tls12'])) {
        const result = await run(offer(groupSuites, name));
        // The ServerHello is the server's answer; an OpenSSL client may still abort after it
        // (TLS 1.2 ECDSA certificate on a curve it did not list: "wrong curve").
        if (result.suite !== null) groupCodes.push(code);
        else groupAlerts.add(String(result.alert ?? 'none'));
      }
      notes.push(`${version} single-group refusals: alert ${[...groupAlerts].join(', ')}`);
    }

    // RFC 7919 in TLS 1.2: what a DHE offer listing ffdhe2048 gets (s_client cannot list it).
    if (useGnutlsCli && !tls13 && dhPrimeBits.size > 0) {
      const ffdhe = await gnutlsCli(port, gnutlsPriority(version, ['DHE-RSA'], ['AES-128-CBC', 'AES-128-GCM', 'AES-256-CBC', '3DES-CBC'], ['SHA1', 'SHA256', 'AEAD'], '+GROUP-FFDHE2048'));
      notes.push(`${version} DHE offer listing ffdhe2048: ${ffdhe.description ?? `refused, alert ${ffdhe.alert ?? 'none'}`}`);
    }

    observed[version] = { suites, serverOrder, gnutlsOnly, orderPairs, groups: groupCodes, dhPrimeBits: [...dhPrimeBits] };
  }

  // Client certificates: ask without one on the best version and wait for a late TLS 1.3 alert.
  let clientCertificate: ShapeExpectation['clientCertificate'] = 'none';
  const best = [...versions].reverse().find((version) => observed[version] !== null);
  if (best !== undefined) {
    const bare = await sClient({ port, version: best, lingerMs: 500 });
    if (bare.clientCertRequested) clientCertificate = bare.alert !== null ? 'required' : 'requested';
    notes.push(`${best} without a client certificate: ${bare.completed ? 'completed' : 'failed'}, alert ${bare.alert ?? 'none'}, CertificateRequest ${bare.clientCertRequested ? 'sent' : 'not sent'}`);
  }
  return { versions: observed, clientCertificate, notes };
}

function sameSet(a: readonly number[], b: readonly number[]): boolean {
  return a.length === b.length && a.every((x) => b.includes(x));
}


function differences(expected: ShapeExpectation, observed: Observation): string[] {
  const out: string[] = [];
  for (const version of versions) {
    const want = expected.versions[version];
    const got = observed.versions[version];
    if (want === null || got === null) {
      if ((want === null) !== (got === null)) {
        out.push(`${version}: expected ${want === null ? 'not offered' : 'offered'}, observed ${got === null ? 'not offered' : 'offered'}`);
      }
      continue;
    }
    const all = [...got.suites, ...got.gnutlsOnly];
    if (!sameSet(want.suites, all)) out.push(`${version} suites: expected ${hex(want.suites)}, observed ${hex(all)}`);
    if (want.serverOrder === true) {
      const visible = want.suites.filter((code) => got.suites.includes(code));
      if (hex(visible) !== hex(got.suites)) out.push(`${version} order: expected ${hex(visible)}, observed ${hex(got.suites)}`);
      for (const [better, worse] of got.orderPairs) {
        if (want.suites.indexOf(better) > want.suites.indexOf(worse)) out.push(`${version} order: observed ${hex([better])} before ${hex([worse])}`);
      }
    }
    const serverOrder = got.suites.length + got.gnutlsOnly.length < 2 ? null : got.suites.length >= 2 ? got.serverOrder : want.serverOrder;
    if (want.serverOrder !== serverOrder) out.push(`${version} serverOrder: expected ${want.serverOrder}, observed ${serverOrder}`);
    if (!sameSet(want.groups, got.groups)) out.push(`${version} groups: expected ${want.groups.join(',')}, observed ${got.groups.join(',')}`);
    if (!sameSet(want.dhPrimeBits, got.dhPrimeBits)) out.push(`${version} DH bits: expected ${want.dhPrimeBits.join(',')}, observed ${got.dhPrimeBits.join(',')}`);
  }
  if (expected.clientCertificate !== observed.clientCertificate) {
    out.push(`client certificate: expected ${expected.clientCertificate}, observed ${observed.clientCertificate}`);
  }
  return out;
}

async function verify(shape: Shape, stack: Stack, table: OpenSSLSuite[], useGnutlsCli: boolean): Promise<boolean> {
  const server = await startShape(shape, stack);
  try {
    const started = Date.now();
    const observation = await observe(server.port, shape.expected[stack].clientCertificate === 'required', table, useGnutlsCli);
    const diff = differences(shape.expected[stack], observation);
    const head = `${shape.name} on ${stack} (${Math.round((Date.now() - started) / 1000)} s)`;
    console.log(`${diff.length === 0 ? 'ok    ' : 'DIFFER'} ${head}\n  ${[...diff, ...observation.notes].join('\n  ')}`);
    if (diff.length > 0) console.log(`  observed: ${JSON.stringify(observation.versions)}\n  server: ${server.describe}`);
    return diff.length === 0;
  } finally {
    await server.close();
  }
}

async function main(): Promise<void> {
  const filters = process.argv.slice(2);
  const table = await opensslSuites();
  const useGnutlsCli = (await unavailableReason('gnutls')) === undefined;
  const jobs: (() => Promise<boolean>)[] = [];
  for (const shape of Object.values(shapes)) {
    for (const stack of allStacks) {
      if (filters.length > 0 && !filters.includes(shape.name) && !filters.includes(stack)) continue;
      const skip = await unavailableReason(stack);
      if (skip !== undefined) {
        console.log(`skip   ${shape.name} on ${stack}: ${skip}`);
        continue;
      }
      jobs.push(() => verify(shape, stack, table, useGnutlsCli));
    }
  }
  // A few servers at once: s_server handles one connection at a time anyway.
  let failed = false;
  const workers = Array.from({ length: 3 }, async () => {
    for (let job = jobs.shift(); job !== undefined; job = jobs.shift()) {
      const ok = await job().catch((err: unknown) => {
        console.log(`ERROR  ${(err as Error).message}`);
        return false;
      });
      if (!ok) failed = true;
    }
  });
  await Promise.all(workers);
  process.exitCode = failed ? 1 : 0;
}

await main();
