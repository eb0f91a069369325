/**
 * Enumeration by elimination, the heart of the minimum-probe sweep: offer every remaining
 * candidate, the server picks one, remove it, repeat until the server refuses. The same
 * engine enumerates cipher suites (the server's pick is the ServerHello's suite) and groups
 * (the pick is the HelloRetryRequest's group or the ServerKeyExchange's curve).
 *
 * A refusal must be proven: only an alert that means "nothing acceptable" counts. A close,
 * reset, timeout or odd alert is ambiguous and climbs the fallback ladder (retry, then smaller
 * hellos, then no optional extensions); what stays ambiguous is reported inconclusive, never
 * "not offered".
 */
import { wireVersion } from '../registry/versions.js';
import { helloLength, probe, type EndpointContext, type HelloSpec, type ProbeOutcome } from './probe.js';
import type { ProtocolName } from './types.js';

/** Alerts that prove "no acceptable choice" (RFC 8446 §6.2): handshake_failure, protocol_version, insufficient_security. */
export const REFUSAL_ALERTS: ReadonlySet<number> = new Set([40, 70, 71]);

const UNRECOGNIZED_NAME = 112;
export const UNRECOGNIZED_NAME_REASON = 'alert unrecognized_name (112): the server does not serve the name sent (see --sni)';

/** One rung of the fallback ladder: how the hello is shaped. */
export interface Rung {
  label: string;
  /** Candidates per hello at most; the rest are offered in later chunks. */
  maxItems: number;
  /** Short lists and no padding, so that the hello stays at or under 255 bytes. */
  small: boolean;
  /** No optional extensions. */
  minimal: boolean;
  /** TLS 1.3: real key shares instead of an empty key_share. */
  realKeyShares: boolean;
}

export const LEGACY_LADDER: readonly Rung[] = [
  { label: 'default', maxItems: Infinity, small: false, minimal: false, realKeyShares: false },
  { label: 'max-128-suites', maxItems: 128, small: false, minimal: false, realKeyShares: false },
  { label: 'max-64-suites', maxItems: 64, small: true, minimal: false, realKeyShares: false },
  { label: 'no-optional-extensions', maxItems: 64, small: true, minimal: true, realKeyShares: false },
];

/**
 * TLS 1.3: real key shares first (a stack that refuses an empty key_share), then small hellos
 * with an empty key_share again (shares are what make a TLS 1.3 hello large), then the plainest
 * hello with a single small share.
 */
export const TLS13_LADDER: readonly Rung[] = [
  { label: 'default', maxItems: Infinity, small: false, minimal: false, realKeyShares: false },
  { label: 'real-key-share', maxItems: Infinity, small: false, minimal: false, realKeyShares: true },
  { label: 'small-hello', maxItems: Infinity, small: true, minimal: false, realKeyShares: false },
  { label: 'no-optional-extensions', maxItems: Infinity, small: true, minimal: true, realKeyShares: true },
];

/**
 * The shape tried when a server answers with an alert that is not a refusal (internal_error,
 * decode_error, ...): an alert is deliberate, so it is not retried; the same offer goes out once
 * more with no optional extensions (and, for TLS 1.3, real key shares). The same kind of answer
 * again is taken as a refusal of that offer.
 */
const LEGACY_ALERT_RUNG: Rung = { label: 'no-optional-extensions', maxItems: Infinity, small: false, minimal: true, realKeyShares: false };
const TLS13_ALERT_RUNG: Rung = { label: 'real-key-share-no-optional-extensions', maxItems: Infinity, small: false, minimal: true, realKeyShares: true };

/** Per-version ladder position, shared by the suite, group and order steps of one version. */
export interface LadderState {
  ladder: readonly Rung[];
  rung: number;
  alertRung: Rung;
  /** The alert rung is in use (set after a non-refusal alert). */
  onAlertRung: boolean;
  workarounds: Set<string>;
  /** TLS 1.3: the server refuses an empty key_share, so rungs without real shares prove nothing. */
  needsRealShares?: boolean;
}

export function newLadder(protocol: ProtocolName): LadderState {
  const tls13 = protocol === 'TLSv1.3';
  return { ladder: tls13 ? TLS13_LADDER : LEGACY_LADDER, rung: 0, alertRung: tls13 ? TLS13_ALERT_RUNG : LEGACY_ALERT_RUNG, onAlertRung: false, workarounds: new Set() };
}

/** The rung hellos are shaped by now. */
export function currentRung(ladder: LadderState): Rung {
  return ladder.onAlertRung ? ladder.alertRung : ladder.ladder[ladder.rung]!;
}

export type Answer =
  | { type: 'picked'; item: number; outcome: Extract<ProbeOutcome, { kind: 'hello' }> }
  | { type: 'lower-version'; version: number }
  | { type: 'refused'; alert: number }
  | { type: 'odd-alert'; alert: number }
  | { type: 'ambiguous'; why: string }
  | { type: 'violation'; why: string }
  | { type: 'unreachable'; why: string; code: string };

/** Reads a TLS ServerHello-or-not outcome as an answer about `protocol`. `pick` names the chosen item. */
export function classify(protocol: ProtocolName, outcome: ProbeOutcome, pick: (o: Extract<ProbeOutcome, { kind: 'hello' }>) => number | null): Answer {
  switch (outcome.kind) {
    case 'hello': {
      const want = wireVersion(protocol);
      const got = outcome.serverHello.version;
      if (got < want) return { type: 'lower-version', version: got };
      if (got > want) return { type: 'violation', why: `answered a ${protocol} hello with version 0x${got.toString(16)}` };
      if (outcome.serverHello.compressionMethod !== 0) return { type: 'violation', why: `chose compression method ${outcome.serverHello.compressionMethod}, only null was offered` };
      const item = pick(outcome);
      if (item === null) return { type: 'ambiguous', why: 'the answer lacked the message that names the choice' };
      return { type: 'picked', item, outcome };
    }
    case 'alert':
      // unrecognized_name refuses the name we sent, not the offer: it proves nothing about suites.
      if (outcome.description === UNRECOGNIZED_NAME) return { type: 'ambiguous', why: UNRECOGNIZED_NAME_REASON };
      return REFUSAL_ALERTS.has(outcome.description)
        ? { type: 'refused', alert: outcome.description }
        : { type: 'odd-alert', alert: outcome.description };
    case 'failed':
      if (outcome.how === 'connect' || outcome.how === 'aborted') return { type: 'unreachable', why: outcome.error.message, code: outcome.error.code };
      return { type: 'ambiguous', why: outcome.error.message };
    default:
      return { type: 'ambiguous', why: `unexpected ${outcome.kind} answer` };
  }
}

export interface EliminationConfig {
  protocol: ProtocolName;
  candidates: readonly number[];
  /** The hello offering `offer`, shaped by `rung`. */
  spec: (offer: readonly number[], rung: Rung) => HelloSpec;
  /** The item the server chose, or null if the outcome does not say. */
  pick: (o: Extract<ProbeOutcome, { kind: 'hello' }>) => number | null;
  /** Items that end the enumeration when picked (already known, kept in the list on purpose). */
  terminal?: ReadonlySet<number>;
  /** Called with every accepted outcome (certificates, DH parameters, extensions) and the rung it was asked with. */
  onPicked?: (o: Extract<ProbeOutcome, { kind: 'hello' }>, rung: Rung) => void;
  /** An outcome already obtained for the first offer, shaped by the ladder's current rung (the version probe). */
  first?: ProbeOutcome;
  /** Items already known to be accepted (picked by an earlier step); reported first. */
  known?: readonly number[];
  /** Checked before each probe: true ends the loop early (the result is then not complete). */
  stop?: () => boolean;
  /**
   * The part of `offer` that a refusal of its hello proves refused (default: all of it). Offered
   * items outside it stay in question and are offered again; an offer with nothing refutable is
   * reported inconclusive.
   */
  refutes?: (offer: readonly number[], rung: Rung) => readonly number[];
}

export interface EliminationResult {
  /** Picked items in the order the server picked them. */
  accepted: number[];
  inconclusive: number[];
  /** The first answer said the server wants a lower version. */
  lowerVersion: number | null;
  /** Every candidate was either picked or refused by a proven refusal. */
  complete: boolean;
  /** Every probe failed to connect: the endpoint is unreachable. */
  unreachable: { code: string; why: string } | null;
  /** At least one probe got a TLS answer (ServerHello or alert). */
  answered: boolean;
  violations: string[];
  reasons: string[];
  /** Some picks were made from a chunk, not from every remaining candidate: their order is only chunk-wise. */
  partialOrder: boolean;
}

/** Runs the elimination loop with the fallback ladder. */
export async function eliminate(ctx: EndpointContext, ladder: LadderState, c: EliminationConfig): Promise<EliminationResult> {
  const res: EliminationResult = { accepted: [...(c.known ?? [])], inconclusive: [], lowerVersion: null, complete: true, unreachable: null, answered: false, violations: [], reasons: [], partialOrder: false };
  let remaining = [...c.candidates];
  let retried = false;
  let first = c.first;
  let probes = 0;
  let connectFailures = 0;
  while (remaining.length > 0) {
    if (c.stop?.()) {
      res.complete = false;
      break;
    }
    const rung = currentRung(ladder);
    const offer = chunk(remaining, rung, (o) => helloLength(ctx, c.spec(o, rung)));
    if (first === undefined && c.refutes !== undefined && c.refutes(offer, rung).length === 0) {
      // Nothing a refusal could prove (no key share can be sent for any of it): no probe.
      remaining = refuse(res, remaining, offer, []);
      continue;
    }
    // `first` was asked with this loop's first offer at the rung the ladder is on when it starts.
    const outcome = first ?? (await probe(ctx, c.spec(offer, rung)));
    first = undefined;
    probes++;
    const answer = classify(c.protocol, outcome, c.pick);
    if (answer.type !== 'unreachable' && answer.type !== 'ambiguous') res.answered = true;
    if (answer.type === 'odd-alert') {
      if (!ladder.onAlertRung) {
        ladder.onAlertRung = true;
        ladder.workarounds.add(ladder.alertRung.label);
        res.reasons.push(`alert ${answer.alert}`);
        continue;
      }
      // The same kind of answer to the plainest hello: a refusal of this offer.
      res.reasons.push(`alert ${answer.alert} to the plain hello as well`);
      retried = false;
      remaining = refuse(res, remaining, offer, c.refutes?.(offer, rung));
      continue;
    }
    if (answer.type === 'picked') {
      retried = false;
      const terminal = c.terminal?.has(answer.item) === true;
      if (!offer.includes(answer.item) && !terminal) {
        res.violations.push(`${c.protocol}: server picked 0x${answer.item.toString(16).padStart(4, '0')}, which was not offered as a ${c.protocol} candidate`);
        res.inconclusive.push(...remaining);
        res.complete = false;
        break;
      }
      c.onPicked?.(answer.outcome, rung);
      if (offer.length < remaining.length) res.partialOrder = true;
      // A terminal item picked again: the server takes it over everything still on offer.
      if (terminal && res.accepted.includes(answer.item)) break;
      res.accepted.push(answer.item);
      remaining = remaining.filter((x) => x !== answer.item);
      continue;
    }
    if (answer.type === 'lower-version') {
      if (res.accepted.length === 0 && probes === 1) {
        res.lowerVersion = answer.version;
        res.answered = true;
        return res;
      }
      res.violations.push(`${c.protocol}: server switched to version 0x${answer.version.toString(16)} mid-enumeration`);
      res.inconclusive.push(...remaining);
      res.complete = false;
      break;
    }
    if (answer.type === 'refused') {
      retried = false;
      res.reasons.push(`alert ${answer.alert}`);
      remaining = refuse(res, remaining, offer, c.refutes?.(offer, rung));
      continue;
    }
    if (answer.type === 'violation') {
      res.violations.push(`${c.protocol}: ${answer.why}`);
      res.inconclusive.push(...remaining);
      res.complete = false;
      break;
    }
    if (answer.type === 'unreachable') {
      connectFailures++;
      if (answer.code === 'EABORTED' || connectFailures >= 2) {
        if (!res.answered) res.unreachable = { code: answer.code, why: answer.why };
        res.reasons.push(answer.why);
        res.inconclusive.push(...remaining);
        res.complete = false;
        break;
      }
      continue; // one more try: a refused connection under load is not a verdict
    }
    // Ambiguous: retry once, then climb the ladder; at the top, give up on this offer.
    res.reasons.push(answer.why);
    if (!retried) {
      retried = true;
      ladder.workarounds.add('retry');
      continue;
    }
    const next = nextDistinctRung(ladder, remaining.length);
    if (next !== null) {
      ladder.onAlertRung = false;
      ladder.rung = next;
      ladder.workarounds.add(ladder.ladder[next]!.label);
      retried = true; // the retry was spent; the next ambiguity climbs again
      continue;
    }
    res.inconclusive.push(...offer);
    res.complete = false;
    remaining = remaining.filter((x) => !offer.includes(x));
    retried = false;
  }
  return res;
}

/**
 * The candidates left after a refusal of `offer`: the refuted part goes; with nothing refutable,
 * the whole offer goes as inconclusive, so that the loop always moves on.
 */
function refuse(res: EliminationResult, remaining: readonly number[], offer: readonly number[], refuted: readonly number[] = offer): number[] {
  const gone = offer.filter((x) => refuted.includes(x));
  if (gone.length === 0) {
    res.inconclusive.push(...offer);
    res.complete = false;
    res.reasons.push('a refusal of a hello that proves nothing about what it offered (no key share could be sent for it)');
    return remaining.filter((x) => !offer.includes(x));
  }
  return remaining.filter((x) => !gone.includes(x));
}

/** The next rung whose hello would differ from the current one, or null at the top. */
function nextDistinctRung(ladder: LadderState, remaining: number): number | null {
  const cur = currentRung(ladder);
  for (let i = ladder.rung + 1; i < ladder.ladder.length; i++) {
    const r = ladder.ladder[i]!;
    const sameSize = Math.min(r.maxItems, remaining) === Math.min(cur.maxItems, remaining);
    if (sameSize && r.small === cur.small && r.minimal === cur.minimal && r.realKeyShares === cur.realKeyShares) continue;
    if (ladder.needsRealShares === true && !r.realKeyShares) continue;
    return i;
  }
  return null;
}

/** The first chunk of `remaining` for this rung; small rungs shrink it until the hello is <= 255 bytes. */
function chunk(remaining: readonly number[], rung: Rung, measure: (o: readonly number[]) => number): number[] {
  let n = Math.min(remaining.length, rung.maxItems);
  if (rung.small) {
    while (n > 4 && measure(remaining.slice(0, n)) > 255) n -= 2;
  }
  return remaining.slice(0, n);
}
