/**
 * What the first probes prove about the port before any sweep: nothing listens (a connection
 * failure), another protocol answers (an HTTP page, an SSH banner), or the port takes connections
 * and never answers decisively (a black hole, a plaintext service waiting for its client, a
 * server that drips a byte at a time). Each ends the scan early with an error and every wanted
 * version inconclusive, so a dead or foreign port costs a few connections, not a sweep.
 */
import type { ProtocolName, ProtocolResult, ScanError } from '../model/scan.js';
import { foreignAnswer, type ForeignAnswer } from '../wire/foreign.js';
import { STARTTLS_UPGRADES } from './starttls.js';
import { probe, type EndpointContext, type ProbeOutcome } from './probe.js';
import { sslv2Kinds } from './sweepSslv2.js';
import { legacyGroups, offerOrder } from './sweepLegacy.js';

/** The first probes of a scan: the TLS 1.2 and TLS 1.3 version probes, also the first round of each sweep. */
export interface FirstProbes {
  tls12: ProbeOutcome | null;
  tls13: ProbeOutcome | null;
}

type Failed = Extract<ProbeOutcome, { kind: 'failed' }>;

/** A probe that ran out of time without a decisive answer: nothing at all, or a few bytes of one. */
function undecided(o: ProbeOutcome | null): o is Failed {
  return o !== null && o.kind === 'failed' && o.how === 'timeout';
}

function outcomes(firsts: FirstProbes): ProbeOutcome[] {
  return [firsts.tls12, firsts.tls13].filter((o): o is ProbeOutcome => o !== null);
}

/** Nothing listens: every first probe failed to connect (or the scan was aborted). */
function deadPort(firsts: readonly ProbeOutcome[]): Failed | null {
  const dead = firsts.length > 0 && firsts.every((o) => o.kind === 'failed' && (o.how === 'connect' || o.how === 'aborted'));
  return dead ? (firsts[0] as Failed) : null;
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
 * A port that accepts connections and never answers decisively would otherwise cost the whole
 * fallback ladder of every version, each rung a full timeout, until the endpoint deadline. When
 * both first probes timed out undecided, two more ask in the plainest forms there are, in
 * parallel: a TLS 1.0 hello of 32 suites with no optional extensions, under 255 bytes (what the
 * most intolerant stack answers), and an SSLv2 CLIENT-HELLO. Only when those time out undecided
 * too is the port stalled; any decisive answer, even an alert, or a close, and the full sweep
 * runs. Returns the bytes the server sent over all of them (0 for a silent port), or null.
 */
async function stalledPort(ctx: EndpointContext, firsts: readonly ProbeOutcome[], wanted: ReadonlySet<ProtocolName>): Promise<number | null> {
  if (firsts.length === 0 || !firsts.every(undecided)) return null;
  const plain = probe(ctx, { protocol: 'TLSv1.0', suites: offerOrder('TLSv1.0').slice(0, 32), groups: legacyGroups().slice(0, 4), minimal: true, small: true, extendedMasterSecret: false });
  const sslv2 = wanted.has('SSLv2') ? probe(ctx, { protocol: 'SSLv2', suites: sslv2Kinds() }) : Promise.resolve(null);
  const more = (await Promise.all([plain, sslv2])).filter((o): o is ProbeOutcome => o !== null);
  const all = [...firsts, ...more];
  if (!all.every(undecided)) return null;
  return all.reduce((n, o) => n + (undecided(o) ? o.received : 0), 0);
}

/** Gives every wanted version the same reason (it stays inconclusive). */
function explainAll(protocols: ProtocolResult[], wanted: ReadonlySet<ProtocolName>, reason: string, reasonCode: string): void {
  for (const p of protocols) {
    if (!wanted.has(p.protocol)) continue;
    p.reason = reason;
    p.reasonCode = reasonCode;
  }
}

/**
 * Why the port cannot be swept, or null when it answers TLS (or might): the error of the first
 * dead connection (EDEADLINE when `deadlineHit`), EOTHER_PROTOCOL, or a stalled port's ENOTTLS
 * (never a byte) or ETIMEDOUT_HANDSHAKE (bytes, but no ServerHello within the timeout). Sets
 * each wanted version's reason.
 */
export async function portError(
  ctx: EndpointContext,
  target: string,
  first: FirstProbes,
  wanted: ReadonlySet<ProtocolName>,
  protocols: ProtocolResult[],
  deadlineHit: () => boolean,
): Promise<ScanError | null> {
  const firsts = outcomes(first);
  const dead = deadPort(firsts);
  if (dead) return { code: deadlineHit() ? 'EDEADLINE' : dead.error.code, message: dead.error.message };
  const foreign = foreignPort(firsts);
  if (foreign) {
    explainAll(protocols, wanted, `no TLS on the port: it answers in ${foreign.protocol}`, 'EOTHER_PROTOCOL');
    const hint = STARTTLS_UPGRADES.has(foreign.protocol) ? '; if it offers STARTTLS, see --starttls' : '';
    return { code: 'EOTHER_PROTOCOL', message: `${target}: not TLS: the port answers in ${foreign.protocol} ("${foreign.sample}")${hint}`, protocol: foreign.protocol };
  }
  const received = await stalledPort(ctx, firsts, wanted);
  if (received === null) return null;
  const why =
    received === 0
      ? `the server took the connection but stayed silent to every hello (${ctx.probes} probes, ${ctx.timeoutMs} ms each)`
      : `the server sent ${received} bytes to ${ctx.probes} hellos but not one ServerHello within the ${ctx.timeoutMs} ms timeout`;
  explainAll(protocols, wanted, `no answer: ${why}`, received === 0 ? 'ENOTTLS' : 'ETIMEDOUT_HANDSHAKE');
  return received === 0
    ? { code: 'ENOTTLS', message: `${target}: no TLS answer: ${why}; not TLS, or a service that waits for the client to speak first (see --starttls)` }
    : { code: 'ETIMEDOUT_HANDSHAKE', message: `${target}: no decisive answer: ${why}; a very slow link or server (raise --timeout)` };
}
