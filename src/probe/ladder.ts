/**
 * The fallback ladder: how a hello is shaped when a server does not answer the plain one. Each
 * rung is named; a version's sweep climbs one path on ambiguous answers (a close, a reset, a
 * timeout) and another on alerts that are not refusals (decode_error, internal_error...). Every
 * rung climbed is recorded by its label in the version's `workarounds`, so a report says which
 * shape the server needed. The state is per version and shared by its suite, group and order
 * steps: once a server needs a shape, every later hello of that version uses it.
 */
import type { ProtocolName } from '../model/scan.js';

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

function rung(label: string, maxItems: number, small: boolean, minimal: boolean, realKeyShares: boolean): Rung {
  return Object.freeze({ label, maxItems, small, minimal, realKeyShares });
}

/** Every rung by name. */
export const RUNGS = Object.freeze({
  default: rung('default', Infinity, false, false, false),
  max128Suites: rung('max-128-suites', 128, false, false, false),
  max64Suites: rung('max-64-suites', 64, true, false, false),
  /** The plainest TLS <= 1.2 hello: few suites, under 256 bytes, no optional extension. */
  plain: rung('no-optional-extensions', 64, true, true, false),
  /** No optional extension, every suite: the first answer to a non-refusal alert. */
  noExtensions: rung('no-optional-extensions', Infinity, false, true, false),
  /** Fewer suites and no optional extension at once (a stack that trips on both, wolfSSL). */
  fewerSuitesNoExtensions: rung('max-64-suites-no-optional-extensions', 64, false, true, false),
  realKeyShare: rung('real-key-share', Infinity, false, false, true),
  smallHello: rung('small-hello', Infinity, true, false, false),
  /** The plainest TLS 1.3 hello: under 256 bytes, no optional extension, one real key share. */
  plainRealShare: rung('no-optional-extensions', Infinity, true, true, true),
  realShareNoExtensions: rung('real-key-share-no-optional-extensions', Infinity, false, true, true),
});

/**
 * Climbed on ambiguous answers. TLS 1.3: real key shares first (a stack that refuses an empty
 * key_share), then small hellos with an empty key_share again (shares are what make a TLS 1.3
 * hello large), then the plainest hello with a single small share.
 */
const LEGACY_PATH: readonly Rung[] = [RUNGS.default, RUNGS.max128Suites, RUNGS.max64Suites, RUNGS.plain];
const TLS13_PATH: readonly Rung[] = [RUNGS.default, RUNGS.realKeyShare, RUNGS.smallHello, RUNGS.plainRealShare];

/**
 * Climbed on alerts that are not refusals: an alert is deliberate, so it is not retried; the same
 * offer goes out with no optional extensions, then (TLS <= 1.2) also with fewer suites. Only the
 * same kind of answer on the last of these reads as a refusal of the offer.
 */
const LEGACY_ALERT_PATH: readonly Rung[] = [RUNGS.noExtensions, RUNGS.fewerSuitesNoExtensions];
const TLS13_ALERT_PATH: readonly Rung[] = [RUNGS.realShareNoExtensions];

/** Per-version ladder position, shared by the suite, group and order steps of one version. */
export interface LadderState {
  readonly path: readonly Rung[];
  /** Position on `path`. */
  step: number;
  readonly alertPath: readonly Rung[];
  /** Position on `alertPath` plus one; 0 while not on it. */
  alertStep: number;
  workarounds: Set<string>;
  /** TLS 1.3: the server refuses an empty key_share, so rungs without real shares prove nothing. */
  needsRealShares?: boolean;
}

export function newLadder(protocol: ProtocolName): LadderState {
  const tls13 = protocol === 'TLSv1.3';
  return { path: tls13 ? TLS13_PATH : LEGACY_PATH, step: 0, alertPath: tls13 ? TLS13_ALERT_PATH : LEGACY_ALERT_PATH, alertStep: 0, workarounds: new Set() };
}

/** The rung hellos are shaped by now. */
export function currentRung(ladder: LadderState): Rung {
  return ladder.alertStep > 0 ? ladder.alertPath[ladder.alertStep - 1]! : ladder.path[ladder.step]!;
}

/** The hellos are shaped by a rung of the alert path (a non-refusal alert was answered). */
export function onAlertPath(ladder: LadderState): boolean {
  return ladder.alertStep > 0;
}

/** Whether two rungs shape a hello alike but for how many candidates it carries. */
export function sameShape(a: Rung, b: Rung): boolean {
  return a.small === b.small && a.minimal === b.minimal && a.realKeyShares === b.realKeyShares;
}

/** Whether two rungs make the same hello for `remaining` candidates. */
function sameHello(a: Rung, b: Rung, remaining: number): boolean {
  return Math.min(a.maxItems, remaining) === Math.min(b.maxItems, remaining) && sameShape(a, b);
}

function allowed(ladder: LadderState, r: Rung): boolean {
  return ladder.needsRealShares !== true || r.realKeyShares;
}

/**
 * After an ambiguous answer: the next rung of the path whose hello differs from the current one,
 * leaving the alert path. False at the top.
 */
export function climb(ladder: LadderState, remaining: number): boolean {
  const cur = currentRung(ladder);
  for (let i = ladder.step + 1; i < ladder.path.length; i++) {
    const r = ladder.path[i]!;
    if (sameHello(r, cur, remaining) || !allowed(ladder, r)) continue;
    ladder.step = i;
    ladder.alertStep = 0;
    ladder.workarounds.add(r.label);
    return true;
  }
  return false;
}

/** After a non-refusal alert: the next alert-path rung whose hello differs from the current one. False at the top. */
export function climbAlertPath(ladder: LadderState, remaining: number): boolean {
  const cur = currentRung(ladder);
  for (let i = ladder.alertStep; i < ladder.alertPath.length; i++) {
    const r = ladder.alertPath[i]!;
    if (ladder.alertStep > 0 && sameHello(r, cur, remaining)) continue;
    ladder.alertStep = i + 1;
    ladder.workarounds.add(r.label);
    return true;
  }
  return false;
}

/** Puts the ladder on a named rung of its path (TLS 1.3: once real key shares are known to be needed). */
export function moveTo(ladder: LadderState, target: Rung): void {
  const i = ladder.path.indexOf(target);
  if (i < 0) throw new Error(`rung ${target.label} is not on this ladder`);
  ladder.step = i;
  ladder.alertStep = 0;
  ladder.workarounds.add(target.label);
}
