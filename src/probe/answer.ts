/**
 * What a server's answer to one hello means for the item in question (a suite, a group). A
 * probe's outcome is raw: a ServerHello, an alert, a failure. Read against the version asked and
 * the message that names the server's choice, it becomes one Answer: a pick, a proven refusal, or
 * one of the answers that prove nothing by themselves and send the sweep up its fallback ladder.
 */
import { Alert, REFUSAL_ALERTS } from '../registry/alerts.js';
import { WireVersion, wireVersion } from '../registry/versions.js';
import type { ProbeOutcome } from './probe.js';
import type { ProtocolName } from '../model/scan.js';

const UNRECOGNIZED_NAME_REASON = 'alert unrecognized_name (112): the server does not serve the name sent (see --sni)';
const UNKNOWN_PSK_IDENTITY_REASON = 'alert unknown_psk_identity (115): the server speaks SRP or PSK but refused our user name, so the suite it would take is unproven';

export type Hello = Extract<ProbeOutcome, { kind: 'hello' }>;

export type Answer =
  /** The server chose `item` from the offer. */
  | { type: 'picked'; item: number; outcome: Hello }
  /** The first answer came in an older version: the version asked is not offered. */
  | { type: 'lower-version'; version: number }
  /** An alert that proves "nothing acceptable" (REFUSAL_ALERTS). */
  | { type: 'refused'; alert: number }
  /** Any other alert: the stack objects, but not in words that prove a refusal. */
  | { type: 'odd-alert'; alert: number }
  /**
   * The server engaged with this offer but named no choice: a TLS <= 1.2 ServerHello, then a close
   * or an alert before the message that names the choice (a ServerKeyExchange without a common
   * curve: Mbed TLS), or a HelloRetryRequest that names no group (wolfSSL, for a hello listing
   * none of its groups; RFC 8446 §4.1.4 forbids one that would change nothing). A control hello
   * can turn it into a proven refusal (eliminate.ts).
   */
  | { type: 'no-choice'; why: string }
  /** Proves nothing; `code` names why (model/errors.ts). */
  | { type: 'ambiguous'; why: string; code: string }
  | { type: 'violation'; why: string }
  | { type: 'unreachable'; why: string; code: string };

/** Reads a TLS ServerHello-or-not outcome as an answer about `protocol`. `pick` names the chosen item. */
export function classify(protocol: ProtocolName, outcome: ProbeOutcome, pick: (o: Hello) => number | null): Answer {
  switch (outcome.kind) {
    case 'hello':
      return classifyHello(protocol, outcome, pick);
    case 'alert':
      // unrecognized_name refuses the name we sent, not the offer: it proves nothing about suites.
      if (outcome.description === Alert.unrecognizedName) return { type: 'ambiguous', why: UNRECOGNIZED_NAME_REASON, code: 'EUNRECOGNIZED_NAME' };
      // A refusal of the identity we made up, not of the suites: the server would take one.
      if (outcome.description === Alert.unknownPskIdentity) return { type: 'ambiguous', why: UNKNOWN_PSK_IDENTITY_REASON, code: 'EUNKNOWN_PSK_IDENTITY' };
      return REFUSAL_ALERTS.has(outcome.description) ? { type: 'refused', alert: outcome.description } : { type: 'odd-alert', alert: outcome.description };
    case 'failed':
      if (outcome.how === 'connect' || outcome.how === 'aborted') return { type: 'unreachable', why: outcome.error.message, code: outcome.error.code };
      return { type: 'ambiguous', why: outcome.error.message, code: outcome.error.code };
    default:
      return { type: 'ambiguous', why: `unexpected ${outcome.kind} answer`, code: 'EUNEXPECTED_ANSWER' };
  }
}

function classifyHello(protocol: ProtocolName, outcome: Hello, pick: (o: Hello) => number | null): Answer {
  const want = wireVersion(protocol);
  const sh = outcome.serverHello;
  if (sh.version < want) return { type: 'lower-version', version: sh.version };
  if (sh.version > want) return { type: 'violation', why: `answered a ${protocol} hello with version 0x${sh.version.toString(16)}` };
  if (sh.compressionMethod !== 0) return { type: 'violation', why: `chose compression method ${sh.compressionMethod}, only null was offered` };
  const item = pick(outcome);
  if (item !== null) return { type: 'picked', item, outcome };
  if (sh.isHelloRetryRequest && sh.keyShareGroup === null) return { type: 'no-choice', why: 'a HelloRetryRequest that names no group' };
  // TLS 1.3: the alert may come encrypted, after the ServerHello (JSSE when no offered scheme fits its key).
  const cutShort = sh.version < WireVersion['TLSv1.3'] ? !outcome.flightComplete : outcome.alertAfterHello !== null;
  if (!sh.isHelloRetryRequest && cutShort) {
    const end = outcome.alertAfterHello === null ? 'closed the connection' : `sent alert ${outcome.alertAfterHello}`;
    return { type: 'no-choice', why: `ServerHello for this offer, then ${end} before the message that names its choice` };
  }
  return { type: 'ambiguous', why: 'the answer lacked the message that names the choice', code: 'ENO_NAMING_MESSAGE' };
}

/** The answer in a few words, for reasons. */
export function describeAnswer(a: Answer): string {
  switch (a.type) {
    case 'picked':
      return `picked 0x${a.item.toString(16).padStart(4, '0')}`;
    case 'refused':
    case 'odd-alert':
      return `alert ${a.alert}`;
    case 'lower-version':
      return `version 0x${a.version.toString(16)}`;
    default:
      return a.why;
  }
}
