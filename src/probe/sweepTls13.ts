/**
 * TLS 1.3: suites and groups by elimination over HelloRetryRequests. An empty key_share makes
 * the server answer with an HRR that names both its suite and its group, so no key exchange,
 * signature or certificate work is done on either side (RFC 8446 §4.1.4).
 *
 * The first probe also lists a few TLS 1.2 suites: a server without TLS 1.3 then answers with
 * a TLS 1.2 ServerHello, which proves "not offered" without relying on how it words a refusal.
 * A bare refusal (or a TLS 1.2 answer with the TLS 1.3 downgrade sentinel) is checked with real
 * key shares (shareCheck.ts), for stacks that refuse an empty key_share instead of asking for one;
 * the sweep then goes on with real shares.
 */
import { cipherSuiteById, suiteId, suitesForVersion } from '../registry/cipherSuites.js';
import { groupById, groupId, groupsForVersion } from '../registry/groups.js';
import { eliminate, type EliminationResult } from './eliminate.js';
import { currentRung, moveTo, newLadder, onAlertPath, RUNGS, type LadderState, type Rung } from './ladder.js';
import { makeKeyShare } from './keyShares.js';
import { probe, type EndpointContext, type HelloSpec, type ProbeOutcome } from './probe.js';
import { isTls13Downgrade, shareCheck } from './shareCheck.js';
import { sweepSignatureSchemes13 } from './signatureSchemes.js';
import type { Collector } from './collect.js';
import { emptyResult, serverOrder, versionAnswer, SMALL_GROUPS, type LegacySweep } from './sweepLegacy.js';
import type { ProtocolResult } from '../model/scan.js';
import type { Reason } from '../model/errors.js';

/** TLS 1.2 suites in the first TLS 1.3 probe, so that a TLS 1.2 server answers rather than refuses. */
const TLS12_SENTINELS: readonly number[] = [
  'TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256',
  'TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384',
  'TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256',
  'TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384',
  'TLS_DHE_RSA_WITH_AES_128_GCM_SHA256',
  'TLS_RSA_WITH_AES_128_GCM_SHA256',
  'TLS_RSA_WITH_AES_256_GCM_SHA384',
  'TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA',
  'TLS_ECDHE_RSA_WITH_AES_256_CBC_SHA',
  'TLS_DHE_RSA_WITH_AES_128_CBC_SHA',
  'TLS_RSA_WITH_AES_128_CBC_SHA',
  'TLS_RSA_WITH_AES_256_CBC_SHA',
  'TLS_RSA_WITH_3DES_EDE_CBC_SHA',
].map(suiteId);

/** Groups we send real shares for, in this order of preference, at most two per hello. */
const REAL_SHARE_PREFERENCE: readonly number[] = ['x25519', 'secp256r1', 'secp384r1', 'secp521r1', 'x448', 'ffdhe2048'].map(groupId);

function tls13Suites(): number[] {
  const all = suitesForVersion('TLSv1.3').map((s) => s.id);
  const chacha = (id: number): boolean => cipherSuiteById(id)?.mode === 'CHACHA20_POLY1305';
  return [...all.filter((id) => !chacha(id)), ...all.filter(chacha)];
}

function tls13Groups(): number[] {
  return groupsForVersion('TLSv1.3')
    .filter((g) => g.probe)
    .map((g) => g.id);
}

function shareGroups(groups: readonly number[], small: boolean): number[] {
  return REAL_SHARE_PREFERENCE.filter((g) => groups.includes(g) && groupById(g)?.keyShare).slice(0, small ? 1 : 2);
}

/**
 * Group enumeration with real key shares: shares for offered groups we can make one for, the
 * preferred ones first, then the rest in offer order, so that every hello carries a share for
 * some group still in question.
 */
function groupShares(offer: readonly number[], small: boolean): number[] {
  const sharable = offer.filter((g) => makeKeyShare(g) !== null);
  return [...REAL_SHARE_PREFERENCE.filter((g) => sharable.includes(g)), ...sharable.filter((g) => !REAL_SHARE_PREFERENCE.includes(g))].slice(0, small ? 1 : 2);
}

/**
 * A TLS 1.3 hello for group enumeration: `accepted` suites and the `offer` groups with an empty
 * key_share; on real-share rungs only the groups it carries shares for (groupShares), so that a
 * refusal proves exactly those refused: a server that insists on its favourite group may refuse
 * a hello that lists it without a share instead of asking for one.
 */
function groupSpec(accepted: readonly number[], offer: readonly number[], rung: Rung): HelloSpec {
  if (!rung.realKeyShares) return { ...spec(accepted, offer, rung), keyShares: 'empty' };
  const shares = inOrderOf(offer, groupShares(offer, rung.small));
  return { ...spec(accepted, shares, rung), keyShares: shares };
}

/**
 * What a refusal of a group-enumeration hello proves. With an empty key_share, every offered
 * group: a server that has one asks for it with a HelloRetryRequest. With real shares (a stack
 * that refused the empty key_share), only the groups we sent a share for: such a stack may refuse
 * a group it supports when the hello holds no share for it, rather than ask for one.
 */
function groupsRefuted(offer: readonly number[], rung: Rung): readonly number[] {
  return rung.realKeyShares ? groupShares(offer, rung.small) : offer;
}

/** `subset` in the order of `order`. */
function inOrderOf(order: readonly number[], subset: readonly number[]): number[] {
  return order.filter((g) => subset.includes(g));
}

/** A TLS 1.3 hello offering exactly `suites` and `groups`, shaped by the rung. */
function spec(suites: readonly number[], groups: readonly number[], rung: Rung): HelloSpec {
  return {
    protocol: 'TLSv1.3',
    suites,
    groups,
    // RFC 8446 §4.2.8: the shares in the order their groups appear in supported_groups.
    keyShares: rung.realKeyShares ? inOrderOf(groups, shareGroups(groups, rung.small)) : 'empty',
    small: rung.small,
    minimal: rung.minimal,
  };
}

/**
 * Suite elimination offers every group, or only the common ones when the hello must be small.
 * `shares`, when known, are the groups a real key share was accepted for (used on real-share rungs).
 */
function suiteSpec(suites: readonly number[], groups: readonly number[], rung: Rung, shares: readonly number[] | null = null): HelloSpec {
  const s = spec(suites, rung.small ? groups.filter((g) => SMALL_GROUPS.includes(g) || shares?.includes(g)) : groups, rung);
  return rung.realKeyShares && shares !== null ? { ...s, keyShares: shares } : s;
}

type Hello = Extract<ProbeOutcome, { kind: 'hello' }>;
const pickSuite = (o: Hello): number => o.serverHello.cipherSuite;
const pickGroup = (o: Hello): number | null => o.serverHello.keyShareGroup;

/**
 * Suites and groups together, then each alone. Each HelloRetryRequest names a (suite, group)
 * pair, so removing both at once finds min(N, G) of each per probe (phase A). Phase A's end
 * proves nothing by itself, so the remaining suites are then offered with every group, and
 * the remaining groups with every accepted suite, until each is refused: completeness comes
 * from those two plain eliminations, phase A only saves probes.
 */
export async function sweepTls13(ctx: EndpointContext, collector: Collector, first?: ProbeOutcome): Promise<LegacySweep> {
  const sweep = new Tls13Sweep(ctx);
  // The first probe carries TLS 1.2 sentinels, so that a TLS 1.2 server answers in 1.2.
  const firstOutcome = first ?? (await probe(ctx, tls13FirstSpec()));
  const phaseA = await sweep.suitesAndGroupsTogether(firstOutcome);
  const run = await sweep.remainingSuites(phaseA, firstOutcome);
  const result = emptyResult('TLSv1.3');
  const { offered, reason, reasonCode } = versionAnswer('TLSv1.3', run);
  Object.assign(result, { offered, reason, reasonCode, suites: run.accepted, suitesComplete: run.complete, inconclusiveSuites: run.inconclusive });
  sweep.violations.push(...run.violations);
  if (offered === true) {
    await sweep.suiteOrder(result, run);
    await sweep.remainingGroups(result, run.accepted);
    if (ctx.skipSignatureSchemes !== true) await sweep.signatureSchemes(result, collector);
  }
  result.workarounds = [...sweep.ladder.workarounds];
  return { result, violations: sweep.violations, unreachable: run.unreachable, answered: run.answered };
}

/** One TLS 1.3 sweep's state: its ladder, what was found so far, and the groups still in question. */
class Tls13Sweep {
  readonly ladder: LadderState = newLadder('TLSv1.3');
  readonly violations: string[] = [];
  private readonly suites = tls13Suites();
  private readonly groups = tls13Groups();
  private readonly foundGroups: number[] = [];
  private groupsLeft: number[] = [...this.groups];
  /** Group picks made from a trimmed list (small hellos) or steered by our own key share are not in the server's order. */
  private groupOrderPartial = false;
  /** Real-share rungs: the groups suite hellos carry shares for, once a share was taken outside the preferred ones. */
  private suiteShares: readonly number[] | null = null;

  constructor(private readonly ctx: EndpointContext) {}

  /** Records the group a suite pick came with. */
  private noteGroup(o: Hello, offered: readonly number[], rung: Rung): void {
    if (rung.small || rung.realKeyShares) this.groupOrderPartial = true;
    const g = o.serverHello.keyShareGroup;
    if (g === null || this.foundGroups.includes(g)) return;
    if (!offered.includes(g)) {
      this.violations.push(`TLSv1.3: server picked group 0x${g.toString(16).padStart(4, '0')}, which was not offered`);
      return;
    }
    this.foundGroups.push(g);
    this.groupsLeft = this.groupsLeft.filter((x) => x !== g);
  }

  private suiteSpecFor = (offer: readonly number[], rung: Rung): HelloSpec => suiteSpec(offer, this.groups, rung, this.suiteShares);

  /** Phase A: both lists shrinking together, from the first probe on, until a pick stops coming. */
  async suitesAndGroupsTogether(first: ProbeOutcome): Promise<EliminationResult> {
    let phaseGroups: readonly number[] = this.groups;
    const run = await eliminate(this.ctx, this.ladder, {
      protocol: 'TLSv1.3',
      candidates: this.suites,
      spec: (offer, rung) => {
        phaseGroups = this.groupsLeft;
        return suiteSpec(offer, this.groupsLeft, rung);
      },
      pick: pickSuite,
      onPicked: (o, rung) => this.noteGroup(o, phaseGroups, rung),
      first,
      stop: () => this.groupsLeft.length === 0,
      // Phase A only saves probes: a refusal here may be about the groups left rather than the
      // suites (JSSE answers a hello with no group in common with unexpected_message), and phases
      // B1 and B2 prove every suite and group again, so anything but a pick just ends it.
      onlyPicks: true,
    });
    // Its hellos differ in their groups too, so a pick here shows no suite order (phase B1's may).
    return { ...run, overrodeOffer: false };
  }

  /**
   * Phase B1: the suites phase A did not find, offered with every group until each is refused.
   * When phase A found none (every suite refused with an alert, or a TLS 1.2 answer carrying the
   * TLS 1.3 downgrade sentinel of RFC 8446 §4.1.3, from a server that does TLS 1.3 but fell back
   * rather than ask for a key share), real key shares are tried first (shareCheck).
   */
  async remainingSuites(phaseA: EliminationResult, first: ProbeOutcome): Promise<EliminationResult> {
    const downgraded = phaseA.lowerVersion !== null && first.kind === 'hello' && isTls13Downgrade(first.serverHello.random);
    const everySuiteRefused = phaseA.accepted.length === 0 && phaseA.lowerVersion === null && phaseA.complete && phaseA.answered;
    if (everySuiteRefused || downgraded) return this.suitesWithRealShares(phaseA, downgraded);
    if (phaseA.accepted.length === 0) return phaseA;
    const b1 = await eliminate(this.ctx, this.ladder, {
      protocol: 'TLSv1.3',
      candidates: this.suites.filter((x) => !phaseA.accepted.includes(x)),
      known: phaseA.accepted,
      spec: (offer, rung) => suiteSpec(offer, this.groups, rung),
      pick: pickSuite,
      onPicked: (o, rung) => this.noteGroup(o, this.groups, rung),
    });
    return { ...b1, lowerVersion: null, answered: true, violations: [...phaseA.violations, ...b1.violations], reasons: [...phaseA.reasons, ...b1.reasons], partialOrder: phaseA.partialOrder || b1.partialOrder };
  }

  /** Every suite was refused: make sure it was not the empty key_share (or the lack of a share for the server's group) that was refused. */
  private async suitesWithRealShares(phaseA: EliminationResult, downgraded: boolean): Promise<EliminationResult> {
    const check = await shareCheck(this.ctx, this.ladder, this.groups, (rung) => suiteSpec(this.suites, this.groups, rung), pickSuite);
    if (check.kind === 'picked') {
      this.ladder.needsRealShares = true;
      if (!onAlertPath(this.ladder)) moveTo(this.ladder, currentRung(this.ladder).small ? RUNGS.plainRealShare : RUNGS.realKeyShare);
      this.ladder.workarounds.add('real-key-share');
      // The suites are enumerated with a share for the group the server just took.
      const taken = check.outcome.serverHello.keyShareGroup;
      if (taken !== null && makeKeyShare(taken) !== null) this.suiteShares = [taken];
      return eliminate(this.ctx, this.ladder, { protocol: 'TLSv1.3', candidates: this.suites, spec: this.suiteSpecFor, pick: pickSuite, onPicked: (o, rung) => this.noteGroup(o, this.groups, rung), first: check.outcome });
    }
    if (check.kind === 'unanswered' || downgraded) {
      const why: Reason =
        check.kind === 'unanswered'
          ? { code: 'EREAL_SHARES_UNANSWERED', text: check.why }
          : { code: 'EDOWNGRADE_SENTINEL', text: 'answered in TLS 1.2 with the TLS 1.3 downgrade sentinel (RFC 8446 §4.1.3), yet refused TLS 1.3 hellos with real key shares' };
      return { ...phaseA, lowerVersion: null, complete: false, inconclusive: [...this.suites], reasons: [...phaseA.reasons, why] };
    }
    return phaseA;
  }

  /** Whether the server enforces its suite order, and that order when the picks were made chunk-wise. */
  async suiteOrder(result: ProtocolResult, run: EliminationResult): Promise<void> {
    const order = await serverOrder({ ctx: this.ctx, ladder: this.ladder, protocol: 'TLSv1.3', spec: this.suiteSpecFor, pick: pickSuite }, run.accepted, run.partialOrder, run.overrodeOffer);
    result.serverOrder = order.enforced;
    if (order.recovered) result.suites = order.recovered;
  }

  /** Phase B2: the groups not yet found, against every `accepted` suite, then the group order. */
  async remainingGroups(result: ProtocolResult, accepted: readonly number[]): Promise<void> {
    const known = [...this.foundGroups];
    const groupSpecFor = (offer: readonly number[], rung: Rung): HelloSpec => groupSpec(accepted, offer, rung);
    const groupRun = await eliminate(this.ctx, this.ladder, {
      protocol: 'TLSv1.3',
      candidates: this.groups.filter((g) => !known.includes(g)),
      spec: groupSpecFor,
      refutes: groupsRefuted,
      pick: pickGroup,
      known,
      confirmByControl: true,
    });
    Object.assign(result, { groups: groupRun.accepted, groupsComplete: groupRun.complete, inconclusiveGroups: groupRun.inconclusive });
    this.violations.push(...groupRun.violations);
    // With real key shares the server may take the group of our share rather than its favourite: no order to learn.
    const steered = currentRung(this.ladder).realKeyShares;
    if (steered) {
      result.groupServerOrder = null;
      return;
    }
    const order = await serverOrder({ ctx: this.ctx, ladder: this.ladder, protocol: 'TLSv1.3', spec: groupSpecFor, pick: pickGroup }, groupRun.accepted, groupRun.partialOrder || this.groupOrderPartial);
    result.groupServerOrder = order.enforced;
    if (order.recovered) result.groups = order.recovered;
  }

  /** The schemes the server signs CertificateVerify with (signatureSchemes.ts). */
  async signatureSchemes(result: ProtocolResult, collector: Collector): Promise<void> {
    const signatures = await sweepSignatureSchemes13(this.ctx, this.ladder, result, (flight) => collector.addFlight13(flight));
    Object.assign(result, { signatureSchemes: signatures.uses, signatureSchemesComplete: signatures.complete, inconclusiveSignatureSchemes: signatures.inconclusive });
    this.violations.push(...signatures.violations);
  }
}

/** The first TLS 1.3 probe's spec (exported so the scan can run it in its reachability phase). */
export function tls13FirstSpec(): HelloSpec {
  const s = spec(tls13Suites(), tls13Groups(), RUNGS.default);
  return { ...s, suites: [...s.suites, ...TLS12_SENTINELS] };
}
