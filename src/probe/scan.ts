/**
 * Scans one endpoint: resolves it, proves it answers TLS with the TLS 1.2 and TLS 1.3 probes
 * first (a dead endpoint costs two connections, not a sweep), then sweeps every version under
 * the endpoint's connection limit and assembles the typed ScanResult.
 */
import { lookup } from 'node:dns/promises';
import { isIP } from 'node:net';
import pLimit from 'p-limit';
import { SSLV2_CIPHER_KINDS } from '../registry/sslv2.js';
import { caNameText, describeCertificate } from './certificate.js';
import { Collector } from './collect.js';
import { UNRECOGNIZED_NAME_REASON } from './answer.js';
import { foreignAnswer, STARTTLS_UPGRADES, type ForeignAnswer } from './foreign.js';
import { fullHandshakes } from './negotiate.js';
import type { Preamble } from './preamble.js';
import { probe, type EndpointContext, type ProbeOutcome } from './probe.js';
import { parseProxy, proxyPreamble, type ProxyAddress } from './proxy.js';
import { starttlsPreamble } from './starttls.js';
import { emsRequired, emptyResult, legacyGroups, offerOrder, sweepLegacy, type LegacySweep } from './sweepLegacy.js';
import { sweepTls13, tls13FirstSpec } from './sweepTls13.js';
import { ProbeError } from './transport.js';
import type { ScanOptions } from './types.js';
import type { ProtocolName, ProtocolResult, ScanResult } from '../model/scan.js';

export const DEFAULTS = { timeoutMs: 5000, deadlineMs: 60000, concurrency: 2 } as const;

const ALL_PROTOCOLS: readonly ProtocolName[] = ['SSLv2', 'SSLv3', 'TLSv1.0', 'TLSv1.1', 'TLSv1.2', 'TLSv1.3'];

export interface Endpoint {
  /** The target as the user wrote it, for reports. */
  target: string;
  host: string;
  port: number;
  /** Connect to this address instead of resolving `host` (which stays the SNI and the report's host). */
  address?: string;
}

async function resolve(host: string): Promise<string> {
  if (isIP(host)) return host;
  try {
    return (await lookup(host)).address;
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code ?? 'ENOTFOUND';
    throw new ProbeError(code, `${host}: name does not resolve (${code})`, { cause: err });
  }
}

function defaultSni(host: string): string | null {
  return isIP(host) ? null : host.replace(/\.$/, '');
}

/** SSLv2: one CLIENT-HELLO offering every cipher kind; the SERVER-HELLO lists all the server's. */
async function sweepSslv2(ctx: EndpointContext, tlsAnswered: () => boolean): Promise<ProtocolResult> {
  const result = emptyResult('SSLv2');
  const kinds = SSLV2_CIPHER_KINDS.map((k) => k.id);
  let outcome = await probe(ctx, { protocol: 'SSLv2', suites: kinds });
  if (outcome.kind === 'failed' && outcome.how === 'timeout') {
    result.workarounds.push('retry');
    outcome = await probe(ctx, { protocol: 'SSLv2', suites: kinds });
  }
  result.suitesComplete = true;
  result.groupsComplete = true;
  switch (outcome.kind) {
    case 'sslv2':
      result.offered = true;
      result.suites = outcome.hello.cipherKinds;
      if (result.suites.length === 0) result.reason = 'SSLv2 SERVER-HELLO with no cipher kinds';
      break;
    case 'sslv2-error':
      result.offered = true;
      result.reason = `SSLv2 spoken, but ERROR 0x${outcome.errorCode.toString(16)} (no shared cipher)`;
      break;
    case 'alert':
    case 'hello':
      result.offered = false;
      result.reason = 'answered the SSLv2 CLIENT-HELLO in TLS';
      break;
    case 'failed':
      // An SSLv2 server always answers a CLIENT-HELLO (SERVER-HELLO or ERROR); a TLS server that
      // closes on one does not speak SSLv2. That only proves something if it speaks TLS at all.
      if ((outcome.how === 'eof' || outcome.how === 'reset') && tlsAnswered()) {
        result.offered = false;
        result.reason = `closed the connection on an SSLv2 CLIENT-HELLO (${outcome.error.code})`;
      } else {
        result.suitesComplete = false;
        result.reason = outcome.error.message;
      }
      break;
  }
  return result;
}

/** How connections reach the endpoint: through the proxy's tunnel, then the STARTTLS upgrade, when asked. */
function reach(endpoint: Endpoint, sni: string | null, options: ScanOptions, proxy: ProxyAddress | null): Pick<EndpointContext, 'via' | 'preamble'> {
  const preamble: Preamble[] = [];
  if (proxy) preamble.push(proxyPreamble(endpoint.address ?? endpoint.host, endpoint.port));
  if (options.starttls) preamble.push(starttlsPreamble(options.starttls, sni ?? endpoint.host));
  return proxy ? { via: { address: proxy.host, port: proxy.port }, preamble } : { preamble };
}

/** A probe that ran out of time without a decisive answer: nothing at all, or a few bytes of one. */
function undecided(o: ProbeOutcome | null): o is Extract<ProbeOutcome, { kind: 'failed' }> {
  return o !== null && o.kind === 'failed' && o.how === 'timeout';
}

/** What the first probes and the plainest hellos all met, when every one of them timed out. */
interface Stalled {
  /** Bytes the server sent over all of them: 0 for a silent port, more for one that drips. */
  received: number;
}

/**
 * A port that accepts connections and never answers decisively (a black hole, a plaintext
 * protocol waiting for its client, a server that drips a byte at a time) would otherwise cost
 * the whole fallback ladder of every version, each rung a full timeout, until the endpoint
 * deadline. When both first probes timed out undecided, two more ask in the plainest forms
 * there are, in parallel: a TLS 1.0 hello of 32 suites with no optional extensions, under 255
 * bytes (what the most intolerant stack answers), and an SSLv2 CLIENT-HELLO. Only when those
 * time out undecided too is the port stalled; any decisive answer, even an alert, or a close,
 * and the full sweep runs. A stalled port is an error, each version inconclusive: ENOTTLS when
 * it never sent a byte, ETIMEDOUT_HANDSHAKE when it sent some but no ServerHello within the
 * timeout (a ServerHello alone decides a probe, so no later probe would fare better).
 */
async function stalledPort(ctx: EndpointContext, firsts: readonly ProbeOutcome[], wanted: ReadonlySet<ProtocolName>): Promise<Stalled | null> {
  if (firsts.length === 0 || !firsts.every(undecided)) return null;
  const plain = probe(ctx, { protocol: 'TLSv1.0', suites: offerOrder('TLSv1.0').slice(0, 32), groups: legacyGroups().slice(0, 4), minimal: true, small: true, extendedMasterSecret: false });
  const sslv2 = wanted.has('SSLv2') ? probe(ctx, { protocol: 'SSLv2', suites: SSLV2_CIPHER_KINDS.map((k) => k.id) }) : Promise.resolve(null);
  const more = (await Promise.all([plain, sslv2])).filter((o): o is ProbeOutcome => o !== null);
  const all = [...firsts, ...more];
  if (!all.every(undecided)) return null;
  return { received: all.reduce((n, o) => n + (undecided(o) ? o.received : 0), 0) };
}

/**
 * Another protocol on the port: every first probe was answered with bytes that cannot begin a
 * TLS record or an SSLv2 message (an HTTP 400 page, an SSH banner). A TLS stack, however
 * intolerant, answers a hello with a record, an alert or nothing: no further hello can change
 * that, so the scan stops after these probes with EOTHER_PROTOCOL and every version inconclusive.
 */
function foreignPort(firsts: readonly ProbeOutcome[]): ForeignAnswer | null {
  let answer: ForeignAnswer | null = null;
  for (const o of firsts) {
    if (o.kind !== 'failed' || o.how === 'connect' || o.how === 'aborted') return null;
    answer = foreignAnswer(o.head);
    if (answer === null) return null;
  }
  return answer;
}

/**
 * Every version refused, though the port speaks TLS: every hello of a full sweep offers every
 * suite and group there is, so a server that takes none of them wants something a scan cannot
 * guess (another server name, a client certificate asked for before the handshake, a PSK).
 * Nothing about its configuration was learned: an error with a hint, never a verdict.
 */
function refusedEveryHello(target: string, protocols: readonly ProtocolResult[]): { code: string; message: string } {
  const tls12 = protocols.find((p) => p.protocol === 'TLSv1.2');
  const why = tls12?.reason ? ` (TLSv1.2: ${tls12.reason})` : '';
  return {
    code: 'EHELLO_REFUSED',
    message: `${target}: the server refused every hello, every version and suite${why}: nothing about its TLS configuration could be learned; it may want another server name (--sni NAME) or a client certificate (--cert/--key)`,
  };
}

/** Scans one endpoint. Never throws: failures end up in `error` or as inconclusive items. */
export async function scanEndpoint(endpoint: Endpoint, options: ScanOptions = {}): Promise<ScanResult> {
  const started = Date.now();
  const sni = options.sni === undefined ? defaultSni(endpoint.host) : options.sni;
  const result: ScanResult = {
    target: endpoint.target,
    host: endpoint.host,
    port: endpoint.port,
    address: null,
    sni,
    startedAt: new Date(started).toISOString(),
    durationMs: 0,
    probes: 0,
    error: null,
    protocols: ALL_PROTOCOLS.map(emptyResult),
    certificates: [],
    features: { extendedMasterSecret: { supported: null, required: null }, secureRenegotiation: null, alpn: null, clientCertificateRequested: null },
    protocolViolations: [],
  };
  const deadline = AbortSignal.timeout(options.deadlineMs ?? DEFAULTS.deadlineMs);
  const signal = options.signal ? AbortSignal.any([options.signal, deadline]) : deadline;
  const finish = (): ScanResult => {
    result.durationMs = Date.now() - started;
    return result;
  };
  let proxy: ProxyAddress | null = null;
  try {
    proxy = options.proxy ? parseProxy(options.proxy) : null;
  } catch (err) {
    result.error = { code: 'EBADPROXY', message: `--proxy ${(err as Error).message}` };
    return finish();
  }
  try {
    // Through a proxy the name is the proxy's to resolve, as for any client behind it.
    result.address = endpoint.address ?? (proxy ? null : await resolve(endpoint.host));
  } catch (err) {
    const e = err as ProbeError;
    result.error = { code: e.code, message: e.message };
    return finish();
  }
  const ctx: EndpointContext = {
    address: result.address ?? endpoint.host,
    port: endpoint.port,
    sni,
    alpn: options.alpn ?? [],
    timeoutMs: options.timeoutMs ?? DEFAULTS.timeoutMs,
    signal,
    probes: 0,
    limit: pLimit(Math.max(1, options.concurrency ?? DEFAULTS.concurrency)),
    skipSignatureSchemes: options.skipSignatureSchemes === true,
    ...reach(endpoint, sni, options, proxy),
  };
  const wanted = new Set(options.protocols ?? ALL_PROTOCOLS);
  const collector = new Collector();

  // Reachability: the TLS 1.2 and 1.3 version probes first; they are also the first round of each sweep.
  const tls12First = wanted.has('TLSv1.2') ? probe(ctx, { protocol: 'TLSv1.2', suites: offerOrder('TLSv1.2'), groups: legacyGroups() }) : null;
  const tls13First = wanted.has('TLSv1.3') ? probe(ctx, tls13FirstSpec()) : null;
  const firsts = (await Promise.all([tls12First, tls13First])).filter((o): o is ProbeOutcome => o !== null);
  const dead = firsts.length > 0 && firsts.every((o) => o.kind === 'failed' && (o.how === 'connect' || o.how === 'aborted'));
  if (dead) {
    const failure = firsts[0] as Extract<ProbeOutcome, { kind: 'failed' }>;
    result.error = { code: signal.aborted && !options.signal?.aborted ? 'EDEADLINE' : failure.error.code, message: failure.error.message };
    result.probes = ctx.probes;
    return finish();
  }
  const foreign = foreignPort(firsts);
  if (foreign) {
    for (const p of result.protocols) if (wanted.has(p.protocol)) p.reason = `no TLS on the port: it answers in ${foreign.protocol}`;
    result.error = { code: 'EOTHER_PROTOCOL', message: `${endpoint.target}: not TLS: the port answers in ${foreign.protocol} ("${foreign.sample}")${STARTTLS_UPGRADES.has(foreign.protocol) ? '; if it offers STARTTLS, see --starttls' : ''}`, protocol: foreign.protocol };
    result.probes = ctx.probes;
    return finish();
  }
  const stalled = await stalledPort(ctx, firsts, wanted);
  if (stalled) {
    const silent = stalled.received === 0;
    const why = silent
      ? `the server took the connection but stayed silent to every hello (${ctx.probes} probes, ${ctx.timeoutMs} ms each)`
      : `the server sent ${stalled.received} bytes to ${ctx.probes} hellos but not one ServerHello within the ${ctx.timeoutMs} ms timeout`;
    for (const p of result.protocols) if (wanted.has(p.protocol)) p.reason = `no answer: ${why}`;
    result.error = silent
      ? { code: 'ENOTTLS', message: `${endpoint.target}: no TLS answer: ${why}; not TLS, or a service that waits for the client to speak first (see --starttls)` }
      : { code: 'ETIMEDOUT_HANDSHAKE', message: `${endpoint.target}: no decisive answer: ${why}; a very slow link or server (raise --timeout)` };
    result.probes = ctx.probes;
    return finish();
  }
  const sweeps: LegacySweep[] = [];
  const answeredFirst = firsts.some((o) => o.kind === 'hello' || o.kind === 'alert');
  const tlsAnswered = (): boolean => answeredFirst || sweeps.some((s) => s.answered);
  const run = async (p: ProtocolName): Promise<void> => {
    if (!wanted.has(p)) return;
    if (p === 'SSLv2') return;
    const s = p === 'TLSv1.3' ? await sweepTls13(ctx, collector, (await tls13First) ?? undefined) : await sweepLegacy(ctx, p, collector, p === 'TLSv1.2' ? ((await tls12First) ?? undefined) : undefined);
    sweeps.push(s);
    result.protocols[ALL_PROTOCOLS.indexOf(p)] = s.result;
    result.protocolViolations.push(...s.violations);
  };
  const sslv2 = async (): Promise<void> => {
    if (wanted.has('SSLv2')) result.protocols[0] = await sweepSslv2(ctx, tlsAnswered);
  };
  await Promise.all([...(['TLSv1.3', 'TLSv1.2', 'TLSv1.1', 'TLSv1.0', 'SSLv3'] as const).map(run), sslv2()]);

  const unreachable = sweeps.length > 0 && sweeps.every((s) => s.unreachable !== null && !s.answered);
  if (unreachable) {
    const u = sweeps[0]!.unreachable!;
    result.error = { code: signal.aborted && !options.signal?.aborted ? 'EDEADLINE' : u.code, message: u.why };
  }
  const nameRefused = result.protocols.filter((p) => p.offered === null && p.reason === UNRECOGNIZED_NAME_REASON).length;
  if (!result.error && nameRefused > 0 && result.protocols.every((p) => p.offered !== true)) {
    result.error = { code: 'EUNRECOGNIZED_NAME', message: `${endpoint.target}: the server refuses the server name ${sni === null ? '(none sent)' : `'${sni}'`} with unrecognized_name; give the name it serves with --sni` };
  }
  const tlsVersions = result.protocols.filter((p) => p.protocol !== 'SSLv2');
  if (!result.error && wanted.size === ALL_PROTOCOLS.length && tlsVersions.every((p) => p.offered === false) && result.protocols[0]!.offered !== true) {
    result.error = refusedEveryHello(endpoint.target, result.protocols);
  }
  if (!tlsAnswered() && !result.error && result.protocols.every((p) => p.offered !== true)) {
    const deadlineHit = deadline.aborted && !options.signal?.aborted;
    result.error = deadlineHit
      ? { code: 'EDEADLINE', message: `${endpoint.target}: no TLS answer before the ${options.deadlineMs ?? DEFAULTS.deadlineMs} ms endpoint deadline` }
      : { code: 'ENOTTLS', message: `${endpoint.target}: no TLS answer to any probe (${sweeps.flatMap((s) => s.result.reason ?? []).at(-1) ?? 'no answer'})` };
  }

  const tls12 = result.protocols[4]!;
  const tls13 = result.protocols[5]!;
  result.features.extendedMasterSecret.supported = tls12.offered === true ? collector.emsSeen : null;
  if (tls12.offered === true && !result.error) result.features.extendedMasterSecret.required = await emsRequired(ctx, tls12, collector);
  result.features.secureRenegotiation = collector.secureRenegotiation;
  result.features.alpn = collector.alpn;
  result.features.clientCertificateRequested = collector.certificateRequested;
  result.features.clientCertificateRequired = null;
  result.features.clientCertificateCAs = collector.certificateRequested === true ? collector.caNames.map(caNameText) : [];
  result.negotiated = null;
  for (const { protocol, protocols, der } of collector.chains.values()) {
    result.certificates.push({ protocol, protocols, source: 'wire', chain: der.map(describeCertificate) });
  }
  if ((tls12.offered === true || tls13.offered === true) && !result.error && !options.skipTlsCertificate) {
    const found = await fullHandshakes(ctx, options.clientIdentity, collector.certificateRequested);
    result.negotiated = found.negotiated;
    result.features.clientCertificateRequested = found.requested;
    result.features.clientCertificateRequired = found.required;
    // The TLS 1.3 chain is encrypted on the wire: read it from the handshake when no TLS <= 1.2 flight showed one.
    if (found.negotiated.protocol === 'TLSv1.3' && result.certificates.length === 0 && found.chain.length > 0) {
      result.certificates.push({ protocol: 'TLSv1.3', source: 'tls', chain: found.chain.map(describeCertificate) });
    }
    result.features.alpn ??= found.alpn;
  }
  result.probes = ctx.probes;
  return finish();
}
