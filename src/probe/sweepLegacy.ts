/**
 * SSLv3 to TLS 1.2: the version probe, suites by elimination, the server-order probe, TLS 1.2
 * ECDHE groups from the ServerKeyExchange curve, and the extended-master-secret probe.
 *
 * The version probe is the first round of the suite elimination (it offers every suite), so
 * an offered version costs its accepted suites + 1 and a refused one costs 1.
 */
import { Alert } from '../registry/alerts.js';
import { TLS_EMPTY_RENEGOTIATION_INFO_SCSV, cipherSuiteById, suitesForVersion } from '../registry/cipherSuites.js';
import { groupId, groupsForVersion } from '../registry/groups.js';
import { Collector } from './collect.js';
import { classify } from './answer.js';
import { eliminate, type EliminationResult } from './eliminate.js';
import { sweepFfdheGroups } from './ffdheGroups.js';
import { sweepSignatureSchemes } from './signatureSchemes.js';
import { currentRung, newLadder, RUNGS, type LadderState, type Rung } from './ladder.js';
import { probe, type EndpointContext, type HelloSpec, type ProbeOutcome } from './probe.js';
import type { ProtocolName, ProtocolResult, Tri } from '../model/scan.js';

/** Groups offered when a hello must stay small. */
export const SMALL_GROUPS: readonly number[] = ['x25519', 'secp256r1', 'secp384r1', 'secp521r1'].map(groupId);

/**
 * Suites a server can complete only with a secret the client proves: SRP (RFC 5054) and
 * ECCPWD (RFC 8492). A stack may pick one from a hello that lacks the extension it needs and
 * then refuse the whole hello with handshake_failure (Erlang/OTP does for SRP), which would hide
 * every other suite of that hello: they are offered apart, after the others.
 */
function needsClientSecret(id: number): boolean {
  const kx = cipherSuiteById(id)?.kx;
  return kx === 'SRP' || kx === 'ECCPWD';
}

/** offerOrder's lists, made once per version (the registry filter is the costly part). */
const OFFER_ORDERS = new Map<ProtocolName, readonly number[]>();

/**
 * Canonical suite offer order: registry order with ChaCha20 last (servers that prioritize it
 * when the client lists it first), without the client-secret suites (offered apart).
 */
export function offerOrder(protocol: ProtocolName): number[] {
  let order = OFFER_ORDERS.get(protocol);
  if (order === undefined) {
    const all = suitesForVersion(protocol)
      .map((s) => s.id)
      .filter((id) => !needsClientSecret(id));
    const chacha = (id: number): boolean => cipherSuiteById(id)?.mode === 'CHACHA20_POLY1305';
    order = [...all.filter((id) => !chacha(id)), ...all.filter(chacha)];
    OFFER_ORDERS.set(protocol, order);
  }
  return [...order];
}

/** The SRP user name sent with SRP suites: a server without it answers unknown_psk_identity, which proves nothing. */
const SRP_USER = 'fipscan';

/**
 * ECDHE groups offered with TLS <= 1.2. Finite-field groups are left out on purpose: a client
 * listing ffdhe groups makes RFC 7919 servers refuse DHE suites unless one of those groups is
 * configured, which would hide DHE suites that a plain client gets.
 */
export function legacyGroups(): number[] {
  return groupsForVersion('TLSv1.2')
    .filter((g) => g.probe && (g.kind === 'ec' || g.kind === 'ecx' || g.kind === 'brainpool'))
    .map((g) => g.id);
}

export interface LegacySweep {
  result: ProtocolResult;
  violations: string[];
  unreachable: { code: string; why: string } | null;
  answered: boolean;
}

function isEcdhe(id: number): boolean {
  const s = cipherSuiteById(id);
  return s?.kx === 'ECDHE' || (s?.kx === 'ECDH' && s.auth === 'anon');
}

export function emptyResult(protocol: ProtocolName): ProtocolResult {
  return {
    protocol,
    offered: null,
    reason: null,
    reasonCode: null,
    suites: [],
    suitesComplete: false,
    serverOrder: null,
    groups: [],
    groupsComplete: false,
    groupServerOrder: null,
    inconclusiveSuites: [],
    inconclusiveGroups: [],
    dhParameters: [],
    workarounds: [],
  };
}

/** Reduces a suite elimination to `offered` and the reason (with its catalogue code) when it is not true. */
export function versionAnswer(protocol: ProtocolName, e: EliminationResult): Pick<ProtocolResult, 'offered' | 'reason' | 'reasonCode'> {
  const last = e.reasons.at(-1);
  if (e.accepted.length > 0) return { offered: true, reason: null, reasonCode: null };
  if (e.lowerVersion !== null) return { offered: false, reason: `server answered with version 0x${e.lowerVersion.toString(16)}`, reasonCode: 'LOWER_VERSION' };
  if (e.complete && e.answered) {
    const code = last?.code.startsWith('REFUSED_') ? last.code : 'REFUSED_ALERT';
    return { offered: false, reason: `refused every ${protocol} suite with an alert${last ? ` (${last.text})` : ''}`, reasonCode: code };
  }
  if (e.violations.length) return { offered: null, reason: `the server broke the protocol: ${e.violations[0]}`, reasonCode: 'EPROTOCOL_VIOLATION' };
  return { offered: null, reason: last?.text ?? 'no conclusive answer', reasonCode: last?.code ?? 'ENO_ANSWER' };
}

/** Sweeps one version from SSLv3 to TLS 1.2. `first` is an outcome already had for the full offer. */
export async function sweepLegacy(ctx: EndpointContext, protocol: ProtocolName, collector: Collector, first?: ProbeOutcome): Promise<LegacySweep> {
  const ladder = newLadder(protocol);
  const groups = legacyGroups();
  const spec = (suites: readonly number[], rung: Rung, extra: Partial<HelloSpec> = {}): HelloSpec => ({
    protocol,
    // RFC 5746: the SCSV stands in for the renegotiation_info extension when extensions are dropped.
    suites: rung.minimal || protocol === 'SSLv3' ? [...suites, TLS_EMPTY_RENEGOTIATION_INFO_SCSV] : suites,
    groups: rung.small ? SMALL_GROUPS : groups,
    small: rung.small,
    minimal: rung.minimal,
    ...extra,
  });
  const mainRun = await eliminate(ctx, ladder, {
    protocol,
    candidates: offerOrder(protocol),
    spec: (offer, rung) => spec(offer, rung),
    pick: (o) => o.serverHello.cipherSuite,
    onPicked: (o, rung) => collector.add(protocol, o, !rung.minimal),
    first,
  });
  const suitesRun = await withClientSecretSuites(ctx, ladder, protocol, mainRun, spec, collector);
  const result = emptyResult(protocol);
  const { offered, reason, reasonCode } = versionAnswer(protocol, suitesRun);
  Object.assign(result, { offered, reason, reasonCode, suites: suitesRun.accepted, suitesComplete: suitesRun.complete, inconclusiveSuites: suitesRun.inconclusive });
  const violations = [...suitesRun.violations];
  if (offered === true) {
    const pickSuite = (o: Extract<ProbeOutcome, { kind: 'hello' }>): number => o.serverHello.cipherSuite;
    // The order is asked of the suites plain hellos can offer; client-secret suites stay listed last.
    const secret = suitesRun.accepted.filter(needsClientSecret);
    const plain = suitesRun.accepted.filter((id) => !needsClientSecret(id));
    const order = await serverOrder({ ctx, ladder, protocol, spec: (s, r) => spec(s, r), pick: pickSuite }, plain, mainRun.partialOrder, mainRun.overrodeOffer);
    result.serverOrder = order.enforced;
    if (order.recovered) result.suites = [...order.recovered, ...secret];
    if (protocol !== 'SSLv3') {
      violations.push(...(await sweepEcdheGroups(ctx, ladder, collector, result, spec)));
      const ffdhe = await sweepFfdheGroups(ctx, ladder, collector, result, spec);
      result.groups.push(...ffdhe.accepted);
      result.inconclusiveGroups.push(...ffdhe.inconclusive);
      result.groupsComplete &&= ffdhe.complete;
    }
    if (protocol === 'TLSv1.2' && ctx.skipSignatureSchemes !== true) {
      const signatures = await sweepSignatureSchemes(ctx, ladder, result, spec, collector);
      Object.assign(result, { signatureSchemes: signatures.uses, signatureSchemesComplete: signatures.complete, inconclusiveSignatureSchemes: signatures.inconclusive });
      violations.push(...signatures.violations);
    }
  }
  result.dhParameters = collector.dh.get(protocol) ?? [];
  result.workarounds = [...ladder.workarounds];
  return { result, violations, unreachable: suitesRun.unreachable, answered: suitesRun.answered };
}

/**
 * The client-secret suites (needsClientSecret) in hellos of their own, with the SRP extension,
 * after the others; their results are appended to the main run's. Skipped when the version was
 * refused as a version (protocol_version) or answered in a lower one. On a position copied from
 * the main ladder, so that what these hellos need does not reshape the version's other steps.
 */
async function withClientSecretSuites(
  ctx: EndpointContext,
  ladder: LadderState,
  protocol: ProtocolName,
  main: EliminationResult,
  spec: (suites: readonly number[], rung: Rung, extra?: Partial<HelloSpec>) => HelloSpec,
  collector: Collector,
): Promise<EliminationResult> {
  const candidates = suitesForVersion(protocol)
    .map((s) => s.id)
    .filter(needsClientSecret);
  const versionRefused = main.accepted.length === 0 && main.refusedWith === Alert.protocolVersion;
  if (candidates.length === 0 || protocol === 'SSLv3' || main.lowerVersion !== null || main.unreachable !== null || versionRefused || !main.answered) return main;
  // Without optional extensions an SRP hello lacks the SRP extension, so a refusal of it proves
  // nothing, unless the version already needed such hellos: an endpoint that cannot take optional
  // extensions cannot take SRP's either.
  const endpointMinimal = currentRung(ladder).minimal;
  const secret = await eliminate(ctx, { ...ladder }, {
    protocol,
    candidates,
    spec: (offer, rung) => spec(offer, rung, { srpIdentity: SRP_USER }),
    pick: (o) => o.serverHello.cipherSuite,
    onPicked: (o, rung) => collector.add(protocol, o, !rung.minimal),
    refutes: (offer, rung) => (!rung.minimal || endpointMinimal ? offer : []),
  });
  return {
    ...main,
    accepted: [...main.accepted, ...secret.accepted],
    inconclusive: [...main.inconclusive, ...secret.inconclusive],
    complete: main.complete && secret.complete,
    violations: [...main.violations, ...secret.violations],
    reasons: [...main.reasons, ...secret.reasons],
    refusedWith: main.refusedWith,
  };
}

/** How an order question is asked: on the sweep's ladder, with its hello shape and what names the pick. */
export interface OrderAsk {
  ctx: EndpointContext;
  ladder: LadderState;
  protocol: ProtocolName;
  spec: (offer: readonly number[], rung: Rung) => HelloSpec;
  pick: (o: Extract<ProbeOutcome, { kind: 'hello' }>) => number | null;
}

/**
 * Whether the server enforces its own order over `accepted`. When the enumeration already showed
 * it (`shown`: a pick passed over an item the server accepts, eliminate.ts), no probe; else one
 * probe offering them reversed (a server that still picks its first choice enforces its order;
 * one that picks our new first follows the client). When it does and the picks were made
 * chunk-wise (`partial`, intolerance forced small offers), picks are ordered only within each
 * chunk: the accepted items fit in one hello, so eliminating over them alone recovers the
 * server's real order (one probe per item).
 */
export async function serverOrder(ask: OrderAsk, accepted: readonly number[], partial: boolean, shown = false): Promise<{ enforced: Tri; recovered: number[] | null }> {
  const { ctx, ladder, protocol, spec, pick } = ask;
  if (accepted.length < 2) return { enforced: null, recovered: null };
  const reversed = [...accepted].reverse();
  const answer = shown ? null : classify(protocol, await probe(ctx, spec(reversed, currentRung(ladder))), pick);
  const enforced = answer === null ? true : answer.type === 'picked' ? answer.item !== reversed[0] : null;
  if (enforced !== true || !partial) return { enforced, recovered: null };
  const run = await eliminate(ctx, ladder, { protocol, candidates: accepted, spec, pick });
  // Anything the second pass could not place keeps its first-pass position at the end.
  const recovered = run.complete && run.accepted.length === accepted.length ? run.accepted : [...run.accepted, ...accepted.filter((x) => !run.accepted.includes(x))];
  return { enforced, recovered };
}

/**
 * TLS 1.0-1.2 ECDHE groups by elimination over the ServerKeyExchange curve. With only an ECDSA
 * certificate the server needs its certificate's curve in our list (OpenSSL refuses the
 * handshake otherwise), so that curve stays in every hello, listed last; the server picking
 * it again ends the enumeration.
 */
async function sweepEcdheGroups(
  ctx: EndpointContext,
  ladder: LadderState,
  collector: Collector,
  result: ProtocolResult,
  spec: (suites: readonly number[], rung: Rung, extra?: Partial<HelloSpec>) => HelloSpec,
): Promise<string[]> {
  const ecdheSuites = result.suites.filter(isEcdhe);
  if (ecdheSuites.length === 0) {
    result.groupsComplete = true;
    return [];
  }
  const rsaEcdhe = ecdheSuites.some((id) => cipherSuiteById(id)?.auth !== 'ECDSA');
  const keep = !rsaEcdhe ? collector.ecdsaCertificateGroup : null;
  const protocol = result.protocol;
  const firstGroup = collector.firstEcdheGroup.get(protocol);
  const known = firstGroup !== undefined ? [firstGroup] : [];
  const candidates = legacyGroups().filter((g) => !known.includes(g) && g !== keep);
  const pick = (o: Extract<ProbeOutcome, { kind: 'hello' }>): number | null => (o.keyExchange?.kind === 'ecdhe' ? o.keyExchange.namedGroup : null);
  const groupSpec = (offer: readonly number[], rung: Rung): HelloSpec => ({ ...spec(ecdheSuites, rung), groups: keep !== null && !offer.includes(keep) ? [...offer, keep] : offer });
  const run = await eliminate(ctx, ladder, {
    protocol,
    candidates: keep !== null && !known.includes(keep) ? [...candidates, keep] : candidates,
    spec: groupSpec,
    pick,
    terminal: keep !== null ? new Set([keep]) : undefined,
    known,
    confirmByControl: true,
  });
  result.groups = run.accepted;
  result.groupsComplete = run.complete;
  result.inconclusiveGroups = run.inconclusive;
  if (keep === null) {
    const order = await serverOrder({ ctx, ladder, protocol, spec: groupSpec, pick }, run.accepted, run.partialOrder, run.overrodeOffer);
    result.groupServerOrder = order.enforced;
    if (order.recovered) result.groups = order.recovered;
  }
  return run.violations;
}

/**
 * Extended master secret (RFC 7627): supported when the server echoed it; required when a
 * hello without it is refused. One probe, only when the server supports it at all.
 */
export async function emsRequired(ctx: EndpointContext, tls12: ProtocolResult, collector: Collector): Promise<Tri> {
  if (tls12.offered !== true || collector.emsSeen !== true) return collector.emsSeen === false ? false : null;
  const spec: HelloSpec = { protocol: 'TLSv1.2', suites: tls12.suites, groups: legacyGroups(), extendedMasterSecret: false, small: RUNGS.default.small };
  const answer = classify('TLSv1.2', await probe(ctx, spec), (o) => o.serverHello.cipherSuite);
  if (answer.type === 'picked') return false;
  if (answer.type === 'refused') return true;
  return null;
}
