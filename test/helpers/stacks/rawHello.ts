/**
 * One hand-made ClientHello against a loopback fixture server, through fipscan's own probe
 * (src/probe/probe.ts, built by src/wire/clientHello.ts), reduced to what the server answered:
 * the ServerHello's suite with the ServerKeyExchange's group, an alert, or how the connection
 * ended. For what `openssl s_client` cannot offer: suites outside OpenSSL's table (CECPQ1) and
 * RFC 7919 groups in a TLS 1.2 supported_groups. The DH group is recognised from the prime
 * itself, so it also works for suites the registry does not know.
 */

import { probe, type EndpointContext, type HelloSpec } from '../../../src/probe/probe.js';
import { ffdheGroupForPrime } from '../../../src/registry/groups.js';

export type RawAnswer =
  | {
      kind: 'hello';
      version: number;
      suite: number;
      /** The ECDHE curve of the ServerKeyExchange, if it carried one. */
      curve: number | null;
      /** DHE: the prime's size and its RFC 7919 group (null for another prime). */
      dh: { primeBits: number; ffdheGroup: number | null } | null;
      certificates: number;
      /** The flight reached ServerHelloDone. */
      flightComplete: boolean;
      alertAfterHello: number | null;
    }
  | { kind: 'alert'; level: number; description: number }
  /** The connection ended with nothing decodable: `how` is eof / reset / timeout, `received` the bytes seen. */
  | { kind: 'ended'; how: string; code: string; received: number };

export type RawSpec = Omit<HelloSpec, 'suites'> & { suites: readonly number[] };

/** Sends one hello to 127.0.0.1:`port` and reads the answer (never rejects for server behaviour). */
export async function rawHello(port: number, spec: RawSpec, timeoutMs = 4000): Promise<RawAnswer> {
  const ctx: EndpointContext = {
    address: '127.0.0.1',
    port,
    sni: null,
    alpn: [],
    timeoutMs,
    signal: new AbortController().signal,
    probes: 0,
    limit: (fn) => fn(),
  };
  const outcome = await probe(ctx, spec);
  switch (outcome.kind) {
    case 'hello': {
      const kx = outcome.keyExchange;
      return {
        kind: 'hello',
        version: outcome.serverHello.version,
        suite: outcome.serverHello.cipherSuite,
        curve: kx?.kind === 'ecdhe' ? kx.namedGroup : null,
        dh: kx?.kind === 'dhe' ? { primeBits: kx.primeBits, ffdheGroup: ffdheGroupForPrime(kx.prime) } : null,
        certificates: outcome.certificates?.length ?? 0,
        flightComplete: outcome.flightComplete,
        alertAfterHello: outcome.alertAfterHello,
      };
    }
    case 'alert':
      return { kind: 'alert', level: outcome.level, description: outcome.description };
    case 'failed':
      return { kind: 'ended', how: outcome.how, code: outcome.error.code, received: outcome.received };
    default:
      return { kind: 'ended', how: `unexpected ${outcome.kind} answer`, code: 'EUNEXPECTED', received: 0 };
  }
}

/** One line for notes and test messages: "ServerHello 0x16b9", "alert 40", "ServerHello 0x009e, ffdhe3072 (3072 bits)". */
export function describeAnswer(answer: RawAnswer): string {
  const hex = (n: number): string => `0x${n.toString(16).padStart(4, '0')}`;
  if (answer.kind === 'alert') return `alert ${answer.description}`;
  if (answer.kind === 'ended') return `${answer.how} (${answer.code}, ${answer.received} bytes)`;
  const parts = [`ServerHello ${hex(answer.suite)}`];
  if (answer.curve !== null) parts.push(`curve ${answer.curve}`);
  if (answer.dh !== null) parts.push(`DH ${answer.dh.primeBits} bits${answer.dh.ffdheGroup !== null ? ` (group ${answer.dh.ffdheGroup})` : ''}`);
  if (answer.alertAfterHello !== null) parts.push(`then alert ${answer.alertAfterHello} after ${answer.certificates} certificate(s)`);
  else if (!answer.flightComplete) parts.push('flight incomplete');
  return parts.join(', ');
}

