/**
 * Scans one endpoint: resolves it, proves it answers TLS with the TLS 1.2 and TLS 1.3 probes
 * first (a dead endpoint costs two connections, not a sweep), then sweeps every version under
 * the endpoint's connection limit and assembles the typed ScanResult.
 */
import { lookup } from 'node:dns/promises';
import { isIP } from 'node:net';
import pLimit from 'p-limit';
import { caNameText, describeCertificate } from './certificate.js';
import { Collector } from './collect.js';
import { fullHandshakes } from './negotiate.js';
import type { Preamble } from './preamble.js';
import { portError, type FirstProbes } from './portCheck.js';
import { probe, type EndpointContext } from './probe.js';
import { parseProxy, proxyPreamble, type ProxyAddress } from './proxy.js';
import { starttlsPreamble } from './starttls.js';
import { emsRequired, emptyResult, legacyGroups, offerOrder, sweepLegacy, type LegacySweep } from './sweepLegacy.js';
import { plaintextCheck } from './plaintext.js';
import { scanSsh } from './scanSsh.js';
import { sweepSslv2 } from './sweepSslv2.js';
import { sweepTls13, tls13FirstSpec } from './sweepTls13.js';
import { ProbeError } from './transport.js';
import type { ScanOptions } from './types.js';
import { protocolResult, setProtocolResult, type ProtocolName, type ProtocolResult, type ScanError, type ScanResult } from '../model/scan.js';

export const DEFAULTS = { timeoutMs: 5000, deadlineMs: 60000, concurrency: 2 } as const;

const ALL_PROTOCOLS: readonly ProtocolName[] = ['SSLv2', 'SSLv3', 'TLSv1.0', 'TLSv1.1', 'TLSv1.2', 'TLSv1.3'];

export interface Endpoint {
  /** The target as the user wrote it, for reports. */
  target: string;
  host: string;
  port: number;
  /** Connect to this address instead of resolving `host` (which stays the SNI and the report's host). */
  address?: string;
  /** 'ssh' for an ssh:// target; TLS otherwise. */
  service?: 'tls' | 'ssh';
  /** What the port declares it speaks (a Kubernetes appProtocol or port name): gRPC and h2c ports get the HTTP/2 preface in the plaintext check. */
  appProtocol?: string;
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

/** How connections reach the endpoint: through the proxy's tunnel, then the STARTTLS upgrade, when asked. */
function reach(endpoint: Endpoint, sni: string | null, options: ScanOptions, proxy: ProxyAddress | null): Pick<EndpointContext, 'via' | 'preamble'> {
  const preamble: Preamble[] = [];
  if (proxy) preamble.push(proxyPreamble(endpoint.address ?? endpoint.host, endpoint.port));
  if (options.starttls) preamble.push(starttlsPreamble(options.starttls, sni ?? endpoint.host));
  return proxy ? { via: { address: proxy.host, port: proxy.port }, preamble } : { preamble };
}

/**
 * Every version refused, though the port speaks TLS: every hello of a full sweep offers every
 * suite and group there is, so a server that takes none of them wants something a scan cannot
 * guess (another server name, a client certificate asked for before the handshake, a PSK).
 * Nothing about its configuration was learned: an error with a hint, never a verdict.
 */
function refusedEveryHello(target: string, protocols: readonly ProtocolResult[]): ScanError {
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
  const ssh = endpoint.service === 'ssh';
  const sni = ssh ? null : options.sni === undefined ? defaultSni(endpoint.host) : options.sni;
  const result = ssh ? emptySshResult(endpoint, started) : emptyScanResult(endpoint, sni, started, options.protocols);
  const deadline = AbortSignal.timeout(options.deadlineMs ?? DEFAULTS.deadlineMs);
  const signal = options.signal ? AbortSignal.any([options.signal, deadline]) : deadline;
  const run: Run = { endpoint, options, result, deadlineHit: () => deadline.aborted && !options.signal?.aborted };
  const ctx = await endpointContext(run, signal);
  if (ctx && ssh) await scanSsh(ctx, result);
  else if (ctx) await scanReachable(run, ctx);
  if (run.deadlineHit()) explainDeadline(result, options.deadlineMs ?? DEFAULTS.deadlineMs);
  result.probes = ctx?.probes ?? 0;
  result.durationMs = Date.now() - started;
  return result;
}

/**
 * The deadline cut the scan short: each version left unsettled without a reason of its own says
 * so, rather than leaving a reader to guess why its suites or groups stayed incomplete. What was
 * proven stands (a violation found still fails the endpoint).
 */
function explainDeadline(result: ScanResult, deadlineMs: number): void {
  for (const p of result.protocols) {
    const unsettled = p.offered === null || (p.offered === true && (!p.suitesComplete || !p.groupsComplete));
    if (unsettled && (!p.reason || p.reasonCode === 'EABORTED')) Object.assign(p, { reason: `the ${deadlineMs} ms endpoint deadline ran out before this version was settled`, reasonCode: 'EDEADLINE' });
  }
}

/** One endpoint's scan as it goes: what was asked, and the result being filled in. */
interface Run {
  endpoint: Endpoint;
  options: ScanOptions;
  result: ScanResult;
  /** The endpoint deadline ran out (not the caller's abort). */
  deadlineHit: () => boolean;
}

/** A result with nothing found yet: every version inconclusive, those not asked for `not probed`. */
function emptyScanResult(endpoint: Endpoint, sni: string | null, started: number, wanted?: readonly ProtocolName[]): ScanResult {
  const notProbed = (p: ProtocolResult): ProtocolResult => (wanted && !wanted.includes(p.protocol) ? { ...p, reason: 'not probed (--protocols)', reasonCode: 'ENOT_PROBED' } : p);
  return {
    target: endpoint.target,
    host: endpoint.host,
    port: endpoint.port,
    address: null,
    sni,
    startedAt: new Date(started).toISOString(),
    durationMs: 0,
    probes: 0,
    error: null,
    protocols: ALL_PROTOCOLS.map(emptyResult).map(notProbed),
    certificates: [],
    features: { extendedMasterSecret: { supported: null, required: null }, secureRenegotiation: null, alpn: null, clientCertificateRequested: null },
    protocolViolations: [],
  };
}

/** An SSH endpoint's result before its probe: no TLS versions, no server name. */
function emptySshResult(endpoint: Endpoint, started: number): ScanResult {
  return { service: 'ssh', ...emptyScanResult(endpoint, null, started), protocols: [], ssh: null };
}

/** How every connection of this endpoint is made, or null with `result.error` set (a bad proxy, a name that does not resolve). */
async function endpointContext(run: Run, signal: AbortSignal): Promise<EndpointContext | null> {
  const { endpoint, options, result } = run;
  let proxy: ProxyAddress | null = null;
  try {
    proxy = options.proxy ? parseProxy(options.proxy) : null;
  } catch (err) {
    result.error = { code: 'EBADPROXY', message: `--proxy ${(err as Error).message}` };
    return null;
  }
  try {
    // Through a proxy the name is the proxy's to resolve, as for any client behind it.
    result.address = endpoint.address ?? (proxy ? null : await resolve(endpoint.host));
  } catch (err) {
    const e = err as ProbeError;
    result.error = { code: e.code, message: e.message };
    return null;
  }
  return {
    address: result.address ?? endpoint.host,
    port: endpoint.port,
    sni: result.sni,
    alpn: options.alpn ?? [],
    timeoutMs: options.timeoutMs ?? DEFAULTS.timeoutMs,
    signal,
    probes: 0,
    limit: pLimit(Math.max(1, options.concurrency ?? DEFAULTS.concurrency)),
    skipSignatureSchemes: options.skipSignatureSchemes === true,
    ...reach(endpoint, result.sni, options, proxy),
  };
}

/** The scan of an endpoint that has an address: first probes, port check, sweeps, then what the sweeps and a real client show. */
async function scanReachable(run: Run, ctx: EndpointContext): Promise<void> {
  const { endpoint, options, result } = run;
  const wanted = new Set(options.protocols ?? ALL_PROTOCOLS);
  const first = await firstProbes(ctx, wanted);
  result.error = await portError(ctx, endpoint.target, first, wanted, result.protocols, run.deadlineHit);
  // A port whose server speaks first with `SSH-` is scanned as SSH, as if given as ssh://.
  if (result.error?.code === 'EOTHER_PROTOCOL' && result.error.protocol === 'SSH') {
    Object.assign(result, { service: 'ssh', sni: null, error: null, protocols: [], ssh: null });
    await scanSsh(ctx, result);
    return;
  }
  if (result.error) return;
  const collector = new Collector();
  const sweeps = await sweepVersions(ctx, wanted, first, collector, result);
  result.error = sweepError(run, wanted, sweeps);
  await readFeatures(ctx, result, collector);
  if (result.error || !result.protocols.some((p) => p.offered === true)) return;
  const tls12or13 = protocolResult(result, 'TLSv1.2').offered === true || protocolResult(result, 'TLSv1.3').offered === true;
  await Promise.all([tls12or13 && !options.skipTlsCertificate ? realClientHandshakes(ctx, result, collector, options) : null, plaintextStep(run, ctx)]);
}

/** The plaintext check (plaintext.ts), unless the port is reached by STARTTLS, whose plaintext start is the point. */
async function plaintextStep(run: Run, ctx: EndpointContext): Promise<void> {
  const skip = run.options.starttls !== undefined || run.options.skipPlaintextCheck === true;
  run.result.plaintext = skip ? null : await plaintextCheck(ctx, run.endpoint.appProtocol);
}

/** Reachability: the TLS 1.2 and 1.3 version probes first; they are also the first round of each sweep. */
async function firstProbes(ctx: EndpointContext, wanted: ReadonlySet<ProtocolName>): Promise<FirstProbes> {
  const tls12 = wanted.has('TLSv1.2') ? probe(ctx, { protocol: 'TLSv1.2', suites: offerOrder('TLSv1.2'), groups: legacyGroups() }) : null;
  const tls13 = wanted.has('TLSv1.3') ? probe(ctx, tls13FirstSpec()) : null;
  const [a, b] = await Promise.all([tls12, tls13]);
  return { tls12: a ?? null, tls13: b ?? null };
}

/** What the version sweeps found, and whether the port answered TLS at all. */
interface Sweeps {
  all: LegacySweep[];
  tlsAnswered: () => boolean;
}

/** Sweeps every wanted version at once (under the endpoint's connection limit) into `result`. */
async function sweepVersions(ctx: EndpointContext, wanted: ReadonlySet<ProtocolName>, first: FirstProbes, collector: Collector, result: ScanResult): Promise<Sweeps> {
  const all: LegacySweep[] = [];
  const answeredFirst = [first.tls12, first.tls13].some((o) => o?.kind === 'hello' || o?.kind === 'alert');
  const tlsAnswered = (): boolean => answeredFirst || all.some((s) => s.answered);
  const sweep = async (p: ProtocolName): Promise<void> => {
    if (!wanted.has(p)) return;
    if (p === 'SSLv2') {
      setProtocolResult(result, await sweepSslv2(ctx, tlsAnswered));
      return;
    }
    const s = p === 'TLSv1.3' ? await sweepTls13(ctx, collector, first.tls13 ?? undefined) : await sweepLegacy(ctx, p, collector, p === 'TLSv1.2' ? (first.tls12 ?? undefined) : undefined);
    all.push(s);
    setProtocolResult(result, s.result);
    result.protocolViolations.push(...s.violations);
  };
  await Promise.all((['TLSv1.3', 'TLSv1.2', 'TLSv1.1', 'TLSv1.0', 'SSLv3', 'SSLv2'] as const).map(sweep));
  return { all, tlsAnswered };
}

/** Why a swept endpoint has no findings, or null: unreachable, a refused server name, every hello refused, or no TLS answer at all. */
function sweepError(run: Run, wanted: ReadonlySet<ProtocolName>, sweeps: Sweeps): ScanError | null {
  const { endpoint, options, result } = run;
  const noneOffered = result.protocols.every((p) => p.offered !== true);
  if (sweeps.all.length > 0 && sweeps.all.every((s) => s.unreachable !== null && !s.answered)) {
    const u = sweeps.all[0]!.unreachable!;
    return { code: run.deadlineHit() ? 'EDEADLINE' : u.code, message: u.why };
  }
  if (noneOffered && result.protocols.some((p) => p.offered === null && p.reasonCode === 'EUNRECOGNIZED_NAME')) {
    return { code: 'EUNRECOGNIZED_NAME', message: `${endpoint.target}: the server refuses the server name ${result.sni === null ? '(none sent)' : `'${result.sni}'`} with unrecognized_name; give the name it serves with --sni` };
  }
  const tlsVersions = result.protocols.filter((p) => p.protocol !== 'SSLv2');
  if (wanted.size === ALL_PROTOCOLS.length && tlsVersions.every((p) => p.offered === false) && protocolResult(result, 'SSLv2').offered !== true) {
    return refusedEveryHello(endpoint.target, result.protocols);
  }
  if (!sweeps.tlsAnswered() && noneOffered) {
    return run.deadlineHit()
      ? { code: 'EDEADLINE', message: `${endpoint.target}: no TLS answer before the ${options.deadlineMs ?? DEFAULTS.deadlineMs} ms endpoint deadline` }
      : { code: 'ENOTTLS', message: `${endpoint.target}: no TLS answer to any probe (${sweeps.all.flatMap((s) => s.result.reason ?? []).at(-1) ?? 'no answer'})` };
  }
  return null;
}

/** What the sweeps' flights showed beyond versions and suites: EMS, renegotiation, ALPN, client certificates, chains. */
async function readFeatures(ctx: EndpointContext, result: ScanResult, collector: Collector): Promise<void> {
  const tls12 = protocolResult(result, 'TLSv1.2');
  const features = result.features;
  features.extendedMasterSecret.supported = tls12.offered === true ? collector.emsSeen : null;
  if (tls12.offered === true && !result.error) features.extendedMasterSecret.required = await emsRequired(ctx, tls12, collector);
  features.secureRenegotiation = collector.secureRenegotiation;
  features.alpn = collector.alpn;
  features.clientCertificateRequested = collector.certificateRequested;
  features.clientCertificateRequired = null;
  features.clientCertificateCAs = collector.certificateRequested === true ? collector.caNames.map(caNameText) : [];
  result.negotiated = null;
  for (const { protocol, protocols, der } of collector.chains.values()) {
    result.certificates.push({ protocol, protocols, source: 'wire', chain: der.map((d) => collector.describe(d)) });
  }
}

/** A real client's handshakes (node:tls): what it negotiates, the client-certificate stance, and the TLS 1.3 chain. */
async function realClientHandshakes(ctx: EndpointContext, result: ScanResult, collector: Collector, options: ScanOptions): Promise<void> {
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
