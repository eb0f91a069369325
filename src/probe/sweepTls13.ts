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
import { cipherSuiteById, suitesForVersion } from '../registry/cipherSuites.js';
import { groupById, groupsForVersion } from '../registry/groups.js';
import { eliminate } from './eliminate.js';
import { currentRung, moveTo, newLadder, onAlertPath, RUNGS, type Rung } from './ladder.js';
import { makeKeyShare } from './keyShares.js';
import { probe, type EndpointContext, type HelloSpec, type ProbeOutcome } from './probe.js';
import { isTls13Downgrade, shareCheck } from './shareCheck.js';
import { sweepSignatureSchemes13 } from './signatureSchemes.js';
import type { Collector } from './collect.js';
import { emptyResult, orderProbe, recoverOrder, versionAnswer, SMALL_GROUPS, type LegacySweep } from './sweepLegacy.js';

/** TLS 1.2 suites in the first TLS 1.3 probe, so that a TLS 1.2 server answers rather than refuses. */
const TLS12_SENTINELS = [0xc02f, 0xc030, 0xc02b, 0xc02c, 0x009e, 0x009c, 0x009d, 0xc013, 0xc014, 0x0033, 0x002f, 0x0035, 0x000a];

/** Groups we send real shares for, in this order of preference, at most two per hello. */
const REAL_SHARE_PREFERENCE = [29, 23, 24, 25, 30, 0x0100];

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

const pickSuite = (o: Extract<ProbeOutcome, { kind: 'hello' }>): number => o.serverHello.cipherSuite;
const pickGroup = (o: Extract<ProbeOutcome, { kind: 'hello' }>): number | null => o.serverHello.keyShareGroup;

/**
 * Suites and groups together, then each alone. Each HelloRetryRequest names a (suite, group)
 * pair, so removing both at once finds min(N, G) of each per probe (phase A). Phase A's end
 * proves nothing by itself, so the remaining suites are then offered with every group, and
 * the remaining groups with every accepted suite, until each is refused: completeness comes
 * from those two plain eliminations, phase A only saves probes.
 */
export async function sweepTls13(ctx: EndpointContext, collector: Collector, first?: ProbeOutcome): Promise<LegacySweep> {
  const ladder = newLadder('TLSv1.3');
  const suites = tls13Suites();
  const groups = tls13Groups();
  const violations: string[] = [];
  const foundGroups: number[] = [];
  let groupsLeft = [...groups];
  // Group picks made from a trimmed list (small hellos) or steered by our own key share are not in the server's order.
  let groupOrderPartial = false;
  const noteGroup = (o: Extract<ProbeOutcome, { kind: 'hello' }>, offered: readonly number[], rung: Rung): void => {
    if (rung.small || rung.realKeyShares) groupOrderPartial = true;
    const g = o.serverHello.keyShareGroup;
    if (g === null || foundGroups.includes(g)) return;
    if (!offered.includes(g)) {
      violations.push(`TLSv1.3: server picked group 0x${g.toString(16).padStart(4, '0')}, which was not offered`);
      return;
    }
    foundGroups.push(g);
    groupsLeft = groupsLeft.filter((x) => x !== g);
  };
  // Phase A: the first probe (with TLS 1.2 sentinels, so a TLS 1.2 server answers in 1.2) and then both lists shrinking together.
  const firstOutcome = first ?? (await probe(ctx, tls13FirstSpec()));
  let phaseGroups: readonly number[] = groups;
  const phaseA = await eliminate(ctx, ladder, {
    protocol: 'TLSv1.3',
    candidates: suites,
    spec: (offer, rung) => {
      phaseGroups = groupsLeft;
      return suiteSpec(offer, groupsLeft, rung);
    },
    pick: pickSuite,
    onPicked: (o, rung) => noteGroup(o, phaseGroups, rung),
    first: firstOutcome,
    stop: () => groupsLeft.length === 0,
    // Phase A only saves probes: a refusal here may be about the groups left rather than the
    // suites (JSSE answers a hello with no group in common with unexpected_message), and phases
    // B1 and B2 prove every suite and group again, so anything but a pick just ends it.
    onlyPicks: true,
  });
  let run = phaseA;
  // Real-share rungs: the groups suite hellos carry shares for, once a share was taken outside the preferred ones.
  let suiteShares: readonly number[] | null = null;
  // A TLS 1.2 answer that carries the TLS 1.3 downgrade sentinel (RFC 8446 §4.1.3) comes from a
  // server that does TLS 1.3: one that fell back rather than ask for a key share.
  const downgraded = phaseA.lowerVersion !== null && firstOutcome.kind === 'hello' && isTls13Downgrade(firstOutcome.serverHello.random);
  if ((phaseA.accepted.length === 0 && phaseA.lowerVersion === null && phaseA.complete && phaseA.answered) || downgraded) {
    // Every suite refused with an alert: make sure it was not the empty key_share (or the lack of
    // a share for the server's group) that was refused.
    const check = await shareCheck(ctx, ladder, groups, (rung) => suiteSpec(suites, groups, rung), pickSuite);
    if (check.kind === 'picked') {
      ladder.needsRealShares = true;
      if (!onAlertPath(ladder)) moveTo(ladder, currentRung(ladder).small ? RUNGS.plainRealShare : RUNGS.realKeyShare);
      ladder.workarounds.add('real-key-share');
      // The suites are enumerated with a share for the group the server just took.
      const taken = check.outcome.serverHello.keyShareGroup;
      if (taken !== null && makeKeyShare(taken) !== null) suiteShares = [taken];
      run = await eliminate(ctx, ladder, { protocol: 'TLSv1.3', candidates: suites, spec: (offer, rung) => suiteSpec(offer, groups, rung, suiteShares), pick: pickSuite, onPicked: (o, rung) => noteGroup(o, groups, rung), first: check.outcome });
    } else if (check.kind === 'unanswered' || downgraded) {
      const why = check.kind === 'unanswered' ? check.why : 'answered in TLS 1.2 with the TLS 1.3 downgrade sentinel (RFC 8446 §4.1.3), yet refused TLS 1.3 hellos with real key shares';
      run = { ...phaseA, lowerVersion: null, complete: false, inconclusive: [...suites], reasons: [...phaseA.reasons, why] };
    }
  } else if (phaseA.accepted.length > 0) {
    // Phase B1: remaining suites against every group.
    const b1 = await eliminate(ctx, ladder, {
      protocol: 'TLSv1.3',
      candidates: suites.filter((x) => !phaseA.accepted.includes(x)),
      known: phaseA.accepted,
      spec: (offer, rung) => suiteSpec(offer, groups, rung),
      pick: pickSuite,
      onPicked: (o, rung) => noteGroup(o, groups, rung),
    });
    run = { ...b1, lowerVersion: null, answered: true, violations: [...phaseA.violations, ...b1.violations], reasons: [...phaseA.reasons, ...b1.reasons], partialOrder: phaseA.partialOrder || b1.partialOrder };
  }
  const result = emptyResult('TLSv1.3');
  const { offered, reason } = versionAnswer('TLSv1.3', run);
  Object.assign(result, { offered, reason, suites: run.accepted, suitesComplete: run.complete, inconclusiveSuites: run.inconclusive });
  violations.push(...run.violations);
  if (offered === true) {
    const accepted = run.accepted;
    result.serverOrder = await orderProbe(ctx, ladder, 'TLSv1.3', accepted, (offer, rung) => suiteSpec(offer, groups, rung, suiteShares), pickSuite);
    if (result.serverOrder === true && run.partialOrder) result.suites = await recoverOrder(ctx, ladder, 'TLSv1.3', accepted, (offer, rung) => suiteSpec(offer, groups, rung, suiteShares), pickSuite);
    // Phase B2: remaining groups against every accepted suite.
    const known = [...foundGroups];
    const groupRun = await eliminate(ctx, ladder, {
      protocol: 'TLSv1.3',
      candidates: groups.filter((g) => !known.includes(g)),
      spec: (offer, rung) => groupSpec(accepted, offer, rung),
      refutes: groupsRefuted,
      pick: pickGroup,
      known,
      confirmByControl: true,
    });
    result.groups = groupRun.accepted;
    result.groupsComplete = groupRun.complete;
    result.inconclusiveGroups = groupRun.inconclusive;
    violations.push(...groupRun.violations);
    // With real key shares the server may take the group of our share rather than its favourite: no order to learn.
    const steered = currentRung(ladder).realKeyShares;
    result.groupServerOrder = steered ? null : await orderProbe(ctx, ladder, 'TLSv1.3', groupRun.accepted, (offer, rung) => groupSpec(accepted, offer, rung), pickGroup);
    if (result.groupServerOrder === true && (groupRun.partialOrder || groupOrderPartial)) {
      result.groups = await recoverOrder(ctx, ladder, 'TLSv1.3', groupRun.accepted, (offer, rung) => groupSpec(accepted, offer, rung), pickGroup);
    }
  }
  if (offered === true && ctx.skipSignatureSchemes !== true) {
    const signatures = await sweepSignatureSchemes13(ctx, ladder, result, (flight) => collector.addFlight13(flight));
    Object.assign(result, { signatureSchemes: signatures.uses, signatureSchemesComplete: signatures.complete, inconclusiveSignatureSchemes: signatures.inconclusive });
    violations.push(...signatures.violations);
  }
  result.workarounds = [...ladder.workarounds];
  return { result, violations, unreachable: run.unreachable, answered: run.answered };
}

/** The first TLS 1.3 probe's spec (exported so the scan can run it in its reachability phase). */
export function tls13FirstSpec(): HelloSpec {
  const s = spec(tls13Suites(), tls13Groups(), RUNGS.default);
  return { ...s, suites: [...s.suites, ...TLS12_SENTINELS] };
}
