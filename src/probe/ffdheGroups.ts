/**
 * RFC 7919 finite-field groups with DHE suites in TLS 1.0-1.2. The suite sweep lists no ffdhe
 * group on purpose (a GnuTLS server refuses every DHE suite to a client listing only groups it
 * lacks), so it sees the prime a plain client gets. This step asks the other question: which
 * RFC 7919 groups the server negotiates when a client lists them (RFC 7919 §4): the accepted DHE
 * suites with the ffdhe groups left in supported_groups; the ServerKeyExchange prime names the
 * group taken, which leaves the list for the next hello. It ends when the server refuses (a
 * strict RFC 7919 server), or answers with a prime it was not offered (its own parameters: the
 * groups still listed are not negotiated), or gives up on the offer after its ServerHello (Botan:
 * handshake_failure after the Certificate) while a control hello listing only a group it took is
 * answered right after. A GnuTLS server offering ffdhe2048-8192 costs six probes; an OpenSSL
 * server, which ignores the list below TLS 1.3, one.
 */
import { cipherSuiteById } from '../registry/cipherSuites.js';
import { ffdheGroupForPrime, groupsForVersion } from '../registry/groups.js';
import { classify, type Hello } from './answer.js';
import type { Collector } from './collect.js';
import { currentRung, type LadderState, type Rung } from './ladder.js';
import { helloLength, probe, type EndpointContext, type HelloSpec } from './probe.js';
import type { ProtocolResult } from '../model/scan.js';

/** What the step proved: groups negotiated, in the order taken; those left in question; whether the list is proven. */
export interface FfdheGroups {
  accepted: number[];
  inconclusive: number[];
  complete: boolean;
}

function isDhe(id: number): boolean {
  const s = cipherSuiteById(id);
  return s?.kx === 'DHE' || (s?.kx === 'DH' && s.auth === 'anon');
}

/** The ffdhe group whose prime the ServerKeyExchange carries; -1 for any other prime. */
function primeGroup(o: Hello): number | null {
  if (o.keyExchange?.kind !== 'dhe') return null;
  return ffdheGroupForPrime(o.keyExchange.prime) ?? -1;
}

/** The RFC 7919 groups a version's accepted DHE suites are negotiated with (see the module comment). */
export async function sweepFfdheGroups(
  ctx: EndpointContext,
  ladder: LadderState,
  collector: Collector,
  result: ProtocolResult,
  spec: (suites: readonly number[], rung: Rung) => HelloSpec,
): Promise<FfdheGroups> {
  const dheSuites = result.suites.filter(isDhe);
  const found: FfdheGroups = { accepted: [], inconclusive: [], complete: true };
  let remaining = groupsForVersion(result.protocol).filter((g) => g.kind === 'ffdhe').map((g) => g.id);
  if (dheSuites.length === 0) return found;
  const hello = (groups: readonly number[], rung: Rung): HelloSpec => ({ ...spec(dheSuites, rung), groups });
  let retried = false;
  while (remaining.length > 0) {
    const rung = currentRung(ladder);
    const asked = hello(remaining, rung);
    const answer = classify(result.protocol, await probe(ctx, asked), primeGroup);
    if (answer.type === 'picked') {
      collector.add(result.protocol, answer.outcome, !rung.minimal);
      // A prime that was not on offer: the server keeps its own parameters, the rest is not negotiated.
      if (!remaining.includes(answer.item)) break;
      found.accepted.push(answer.item);
      remaining = remaining.filter((g) => g !== answer.item);
      retried = false;
      continue;
    }
    if (answer.type === 'refused') break;
    // Botan: ServerHello and Certificate, then handshake_failure: the suite was taken, the groups were not.
    if (answer.type === 'no-choice' && (await controlTaken(ctx, result, found.accepted[0], { ...hello([found.accepted[0]!], rung), padTo: helloLength(ctx, asked) }))) {
      ladder.workarounds.add('control-hello');
      break;
    }
    if (!retried && (answer.type === 'ambiguous' || answer.type === 'no-choice')) {
      retried = true;
      continue;
    }
    found.inconclusive.push(...remaining);
    found.complete = false;
    break;
  }
  return found;
}

/** A control hello listing only `known`, an ffdhe group the server took already, is answered with that group's prime. */
async function controlTaken(ctx: EndpointContext, result: ProtocolResult, known: number | undefined, control: HelloSpec): Promise<boolean> {
  if (known === undefined) return false;
  const answer = classify(result.protocol, await probe(ctx, control), primeGroup);
  return answer.type === 'picked' && answer.item === known;
}
