/**
 * TLS 1.3 on a server that refused every suite, or fell back to TLS 1.2 with the downgrade
 * sentinel, when asked with an empty key_share: was it the missing key share it refused? Some
 * stacks refuse an empty key_share (or a hello without a share for their group) instead of asking
 * for one with a HelloRetryRequest. The same offer goes out once more with real key shares
 * (keyShares.ts) for every group one can be made for; what that proves is decided here, and the
 * sweep (sweepTls13.ts) goes on with real shares when it is a pick.
 */
import { groupId } from '../registry/groups.js';
import { DOWNGRADE_SENTINEL } from '../registry/versions.js';
import { classify, describeAnswer, type Answer } from './answer.js';
import { currentRung, onAlertPath, RUNGS, type LadderState, type Rung } from './ladder.js';
import { makeKeyShare } from './keyShares.js';
import { probe, type EndpointContext, type HelloSpec, type ProbeOutcome } from './probe.js';

/** Whether a TLS 1.2 ServerHello's random says the server does TLS 1.3 (it fell back). */
export function isTls13Downgrade(random: Uint8Array): boolean {
  return random.length === 32 && DOWNGRADE_SENTINEL.tls12.every((b, i) => random[24 + i] === b);
}

/** What the check proved: the server takes real shares (its answer), refuses them too, or said nothing decisive. */
export type ShareCheck = { kind: 'picked'; outcome: Extract<ProbeOutcome, { kind: 'hello' }> } | { kind: 'refused' } | { kind: 'unanswered'; why: string };

/** Share bytes per hello when a large check hello has to be split (a front end that drops large hellos). */
const CHECK_CHUNK_BYTES = 600;

/**
 * After every TLS 1.3 suite was refused: the same offer once more with a real key share for every
 * group a share can be made for (those the refused hellos did not already carry), in one hello,
 * so that a TLS 1.2-only server costs one probe. A pick means the server needs real shares; a
 * refusal confirms the refusal. Unanswered, the shares go out again in smaller hellos (preferred
 * groups first), and one that stays unanswered leaves TLS 1.3 in question. Where the hellos had
 * to stay under 256 bytes, only x25519 and P-256 (the mandatory group of RFC 8446 §9.1) fit, one
 * per hello: a server with neither that also refuses to ask for a share is not looked for there.
 * On the alert rung the same non-refusal alert again counts as a refusal, as it does there.
 */
export async function shareCheck(
  ctx: EndpointContext,
  ladder: LadderState,
  groups: readonly number[],
  hello: (rung: Rung) => HelloSpec,
  pick: (o: Extract<ProbeOutcome, { kind: 'hello' }>) => number | null,
): Promise<ShareCheck> {
  const refusedRung = currentRung(ladder);
  const inGroupOrder = (gs: readonly number[]): number[] => groups.filter((g) => gs.includes(g));
  const asker = (rung: Rung) => async (shares: readonly number[]): Promise<Answer> => {
    const a = classify('TLSv1.3', await probe(ctx, { ...hello(rung), keyShares: inGroupOrder(shares) }), pick);
    return a.type === 'odd-alert' && onAlertPath(ladder) ? { type: 'refused', alert: a.alert } : a;
  };
  const large = onAlertPath(ladder) ? refusedRung : RUNGS.realKeyShare;
  const preferredOf = (rung: Rung): number[] => {
    const k = hello(rung).keyShares;
    return k === 'empty' || k === undefined ? [] : [...k];
  };
  const carried = refusedRung.realKeyShares ? preferredOf(refusedRung) : [];
  const all = groups.filter((g) => !carried.includes(g) && makeKeyShare(g) !== null);
  const ask = asker(large);
  // One hello with every share we can make: one probe for the common TLS 1.2-only server.
  if (all.length === 0) return { kind: 'refused' };
  let a = await ask(all);
  if (a.type === 'picked') return { kind: 'picked', outcome: a.outcome };
  if (a.type === 'refused') return { kind: 'refused' };
  if (refusedRung.small) {
    // The large hello does not get through (a size-limited path): under 255 bytes one EC share fits beside every suite.
    const small = asker(RUNGS.plainRealShare);
    for (const g of [groupId('x25519'), groupId('secp256r1')]) {
      if (carried.includes(g)) continue;
      a = await small([g]);
      if (a.type === 'picked') return { kind: 'picked', outcome: a.outcome };
      if (a.type !== 'refused') return { kind: 'unanswered', why: `a hello with real key shares was not answered decisively (${describeAnswer(a)})` };
    }
    return { kind: 'refused' };
  }
  // A large hello unanswered: the same shares in smaller hellos, the preferred ones first.
  const preferred = preferredOf(large);
  const first = all.filter((g) => preferred.includes(g));
  const rest = all.filter((g) => !preferred.includes(g));
  for (const chunk of [...(first.length ? [first] : []), ...shareChunks(rest)]) {
    a = await ask(chunk);
    if (a.type === 'picked') return { kind: 'picked', outcome: a.outcome };
    if (a.type !== 'refused') return { kind: 'unanswered', why: `hellos with key shares for ${chunk.map((g) => `0x${g.toString(16).padStart(4, '0')}`).join(', ')} were not answered decisively (${describeAnswer(a)})` };
  }
  return { kind: 'refused' };
}


/** Groups in hellos of at most CHECK_CHUNK_BYTES of share each (a larger share goes alone). */
function shareChunks(groups: readonly number[]): number[][] {
  const chunks: number[][] = [];
  let current: number[] = [];
  let bytes = 0;
  for (const g of groups) {
    const size = makeKeyShare(g)?.keyExchange.length ?? 0;
    if (current.length > 0 && bytes + size > CHECK_CHUNK_BYTES) {
      chunks.push(current);
      current = [];
      bytes = 0;
    }
    current.push(g);
    bytes += size;
  }
  if (current.length > 0) chunks.push(current);
  return chunks;
}
