/**
 * SSL 2.0: one CLIENT-HELLO offering every cipher kind (draft-hickman-netscape-ssl-00). An SSL 2.0
 * server's SERVER-HELLO lists every kind it has, so one probe (and one retry after a timeout)
 * settles the version; a TLS server answers in TLS or hangs up.
 */
import { SSLV2_CIPHER_KINDS } from '../registry/sslv2.js';
import type { ProtocolResult } from '../model/scan.js';
import { foreignAnswer } from '../wire/foreign.js';
import { probe, type EndpointContext, type ProbeOutcome } from './probe.js';
import { emptyResult } from './sweepLegacy.js';

/** Every SSL 2.0 cipher kind, offered in one CLIENT-HELLO. */
export function sslv2Kinds(): number[] {
  return SSLV2_CIPHER_KINDS.map((k) => k.id);
}

/** Sweeps SSL 2.0. `tlsAnswered` says whether the port has answered any TLS hello (a close then proves SSL 2.0 is not spoken). */
export async function sweepSslv2(ctx: EndpointContext, tlsAnswered: () => boolean): Promise<ProtocolResult> {
  const result = emptyResult('SSLv2');
  let outcome = await probe(ctx, { protocol: 'SSLv2', suites: sslv2Kinds() });
  if (outcome.kind === 'failed' && outcome.how === 'timeout') {
    result.workarounds.push('retry');
    outcome = await probe(ctx, { protocol: 'SSLv2', suites: sslv2Kinds() });
  }
  result.suitesComplete = true;
  result.groupsComplete = true;
  Object.assign(result, sslv2Answer(outcome, tlsAnswered));
  return result;
}

/** What one answer to the CLIENT-HELLO proves. */
function sslv2Answer(outcome: ProbeOutcome, tlsAnswered: () => boolean): Partial<ProtocolResult> {
  switch (outcome.kind) {
    case 'sslv2':
      if (outcome.hello.cipherKinds.length > 0) return { offered: true, suites: outcome.hello.cipherKinds };
      return { offered: true, suites: [], reason: 'SSLv2 SERVER-HELLO with no cipher kinds', reasonCode: 'SSLV2_NO_CIPHERS' };
    case 'sslv2-error':
      return { offered: true, reason: `SSLv2 spoken, but ERROR 0x${outcome.errorCode.toString(16)} (no shared cipher)`, reasonCode: 'SSLV2_ERROR' };
    case 'alert':
    case 'hello':
      return { offered: false, reason: 'answered the SSLv2 CLIENT-HELLO in TLS', reasonCode: 'TLS_ANSWER_TO_SSLV2' };
    case 'failed':
      // An SSLv2 server always answers a CLIENT-HELLO (SERVER-HELLO or ERROR); a TLS server that
      // closes on one does not speak SSLv2. That only proves something if it speaks TLS at all.
      if (!tlsAnswered()) return unsettled(outcome);
      if (outcome.how === 'eof' || outcome.how === 'reset') return plaintextAnswer(outcome.head) ?? { offered: false, reason: `closed the connection on an SSLv2 CLIENT-HELLO (${outcome.error.code})`, reasonCode: 'CLOSED_ON_SSLV2' };
      return plaintextAnswer(outcome.head) ?? unsettled(outcome);
  }
}

/** An answer that settles nothing: the version stays undetermined, with the probe's error. */
function unsettled(outcome: Extract<ProbeOutcome, { kind: 'failed' }>): Partial<ProtocolResult> {
  return { suitesComplete: false, reason: outcome.error.message, reasonCode: outcome.error.code };
}

/**
 * A TLS port that answers the CLIENT-HELLO in a named plaintext protocol (an HTTP 400 page): the
 * hello went to a plaintext application, as a PERMISSIVE mesh port hands it everything that is
 * not a TLS record. Whatever took the hello is not an SSL 2.0 server, so SSL 2.0 is not offered.
 * Bytes no protocol is named by prove nothing.
 */
function plaintextAnswer(head: Uint8Array): Partial<ProtocolResult> | null {
  const foreign = foreignAnswer(head);
  if (foreign === null || foreign.protocol === 'an unknown protocol') return null;
  return { offered: false, reason: `answered the SSLv2 CLIENT-HELLO in ${foreign.protocol}, in plaintext ("${foreign.sample}")`, reasonCode: 'PLAINTEXT_ANSWER_TO_SSLV2' };
}
