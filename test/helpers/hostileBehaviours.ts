/**
 * The catalogue of hostile, broken and lying endpoints the scanner must survive, each a
 * Behaviour for `startHostile` (test/helpers/hostile.ts). They fall in three families: endpoints
 * that never say anything decisive (silence, close, reset, drip, truncation), endpoints that do
 * not speak TLS or break its framing (garbage, HTTP, SSH, oversize, zero-length and flooding
 * records), and TLS endpoints whose answers lie (suites and versions that were not offered,
 * HelloRetryRequests for everything, unknown alerts, a malformed SSLv2 SERVER-HELLO,
 * certificates node:crypto cannot describe). Each takes the scripted negotiator as its baseline,
 * so the one thing it breaks is the only difference from a correct server.
 */
import { concat } from '../../src/wire/bytes.js';
import type { ParsedClientHello } from '../wire/clientHelloParser.js';
import { byHello, drip, flightBytes, flightMessages, isSslv2Hello, scripted, send, supportedVersions, unoffered, SCRIPTED, type Behaviour, type Decision } from './hostile.js';
import { ContentType, alert, certificate, handshakeRecords, record, recordHeader, serverHello, serverHelloDone, sslv2ServerHello } from './serverFlight.js';

/** A plausible ServerHello record: what the drip and truncation cases cut short. */
const SAMPLE_FLIGHT = flightBytes({ kind: 'tls12', version: 0x0303, suite: 0x009c });

/** Deterministic junk whose first byte is no TLS content type and has the SSLv2 bit clear. */
const GARBAGE = Uint8Array.from({ length: 600 }, (_, i) => (i === 0 ? 0x42 : (i * 131 + 7) & 0xff));

/** A ServerHello header claiming 128 KiB - 1 bytes, then zeros, all in one-byte records (360 KB). */
const TINY_RECORD_FLOOD = handshakeRecords(concat([new Uint8Array([2, 0x01, 0xff, 0xff]), new Uint8Array(60_000)]), 1);

/** 50,000 ChangeCipherSpec records (300 KB), each ignored by a client waiting for a ServerHello. */
const CHANGE_CIPHER_SPEC_FLOOD = new Uint8Array(50_000 * 6).map((_, i) => [ContentType.changeCipherSpec, 3, 3, 0, 1, 1][i % 6]!);

const silent: Behaviour = () => {};

/** Any legacy (TLS <= 1.2) hello: no supported_versions. */
function isLegacyHello(hello: ParsedClientHello | null): hello is ParsedClientHello {
  return hello !== null && !supportedVersions(hello).includes(0x0304);
}

export const behaviours = {
  // --- never decisive ---------------------------------------------------------------------
  silent,
  closeAtOnce: ((_, socket) => socket.destroy()) as Behaviour,
  resetMidRecord: send(SAMPLE_FLIGHT.subarray(0, 30), 'reset'),
  truncatedThenClose: send(SAMPLE_FLIGHT.subarray(0, SAMPLE_FLIGHT.length - 7), 'end'),
  /** A ServerHello record one byte every 100 ms, then zero bytes for as long as the client stays. */
  dripForever: drip(SAMPLE_FLIGHT, 100),

  // --- not TLS, or broken framing -----------------------------------------------------------
  garbage: send(GARBAGE),
  http: send('HTTP/1.1 400 Bad Request\r\nContent-Type: text/html\r\nContent-Length: 0\r\nConnection: close\r\n\r\n', 'end'),
  ssh: send('SSH-2.0-OpenSSH_9.6p1 Ubuntu-3ubuntu13.5\r\n'),
  /** A record header claiming 2^14 + 2048 + 1 bytes (RFC 5246 §6.2.3 allows 2^14 + 2048 at most). */
  oversizeRecord: send(concat([recordHeader(ContentType.handshake, 16384 + 2048 + 1), new Uint8Array(1024)])),
  /** A handshake message whose uint24 length claims 16 MiB - 1 bytes. */
  hugeHandshake: send(record(ContentType.handshake, new Uint8Array([2, 0xff, 0xff, 0xff]))),
  /** A zero-length handshake record (RFC 8446 §5.1 forbids them) before a correct answer. */
  zeroLengthRecords: scripted(SCRIPTED, { bytes: (b) => concat([record(ContentType.handshake, new Uint8Array(0)), b]) }),
  /** Zero-length application data between the ServerHello and ServerHelloDone of a correct flight. */
  zeroLengthAfterHello: scripted(SCRIPTED, { bytes: (b, d) => (d.kind === 'tls12' ? splitAfterHello(d, record(ContentType.applicationData, new Uint8Array(0))) : b) }),
  /** A correct answer in records of one byte each: legal, and must give the same findings. */
  tinyRecords: scripted(SCRIPTED, { recordSize: 1 }),
  /** A ServerHello claiming 128 KiB - 1 bytes, sent as 360 KB of one-byte records: past the per-probe byte cap. */
  tinyRecordFlood: send(TINY_RECORD_FLOOD),
  /** ChangeCipherSpec records (ignored before a ServerHello) past the per-probe byte cap. */
  changeCipherSpecFlood: send(CHANGE_CIPHER_SPEC_FLOOD),

  // --- TLS that lies ---------------------------------------------------------------------------
  /** A correct ServerHello, then bytes that are not TLS instead of the rest of the flight. */
  helloThenGarbage: scripted(SCRIPTED, {
    bytes: (b, d) => (d.kind === 'tls12' || d.kind === 'tls13' ? concat([handshakeRecords(flightMessages(d).subarray(0, helloLength(d))), GARBAGE]) : b),
  }),
  /** Every ServerHello and HelloRetryRequest names a suite (GREASE) that was not offered. */
  unofferedSuite: scripted(SCRIPTED, {
    decision: (d, hello) => (hello && (d.kind === 'tls12' || d.kind === 'hrr' || d.kind === 'tls13') ? { ...d, suite: unoffered(hello.cipherSuites) } : d),
  }),
  /** Hellos without supported_versions get legacy_version 0x0304 and no extensions; TLS 1.3 hellos a correct answer. */
  tls13WithoutSupportedVersions: byHello((hello) =>
    isLegacyHello(hello) ? answerWithVersion(hello, 0x0304) : scripted(),
  ),
  /** A TLS 1.2 server that ignores the client's version: SSLv3, TLS 1.0 and 1.1 hellos get a TLS 1.2 ServerHello. */
  tls12ToEverything: scripted(SCRIPTED, {
    decision: (d, hello) => {
      if (!isLegacyHello(hello)) return d;
      const suite = SCRIPTED.suites.find((s) => hello.cipherSuites.includes(s));
      return suite === undefined ? { kind: 'alert', description: 40 } : { kind: 'tls12', version: 0x0303, suite };
    },
  }),
  /** Every TLS hello, whatever its version and key shares, gets a HelloRetryRequest. */
  hrrForever: scripted(SCRIPTED, {
    decision: (d, hello) => {
      if (!hello) return d;
      const suite = SCRIPTED.tls13Suites.find((s) => hello.cipherSuites.includes(s)) ?? 0x1301;
      const group = d.kind === 'hrr' || d.kind === 'tls13' ? d.group : SCRIPTED.tls13Groups[0]!;
      return { kind: 'hrr', suite, group };
    },
  }),
  /** A fatal alert with an unassigned description (254) to every hello. */
  unknownAlert: send(alert(254)),
  /** A warning-level alert with an unassigned description (200) to every hello, and nothing else. */
  unknownWarningAlert: send(alert(200, 1)),
  /**
   * A warning-level unrecognized_name (112) before a correct answer, as Apache httpd sends on an
   * SNI mismatch: RFC 5246 §7.2 lets the handshake continue after a warning.
   */
  warningAlertThenHello: scripted(SCRIPTED, { bytes: (b, d) => (d.kind === 'alert' ? b : concat([alert(112, 1), b])) }),
  /** SSLv2 hellos get a SERVER-HELLO whose connection id is 5 bytes (16-32 allowed); TLS is answered correctly. */
  sslv2Malformed: byHello((_, bytes) =>
    isSslv2Hello(bytes) ? send(sslv2ServerHello({ cipherKinds: [0x010080, 0x0700c0], connectionId: new Uint8Array(5) })) : scripted(),
  ),
  /** SSLv2 hellos get a correct SERVER-HELLO with two cipher kinds. */
  sslv2Correct: byHello((_, bytes) => (isSslv2Hello(bytes) ? send(sslv2ServerHello({ cipherKinds: [0x010080, 0x0700c0] })) : scripted())),
} satisfies Record<string, Behaviour>;

export type BehaviourName = keyof typeof behaviours;

/** Length of the ServerHello at the start of a decision's messages. */
function helloLength(d: Decision): number {
  const m = flightMessages(d);
  return 4 + ((m[1]! << 16) | (m[2]! << 8) | m[3]!);
}

/** A TLS 1.2 flight with `between` inserted after the ServerHello record. */
function splitAfterHello(d: Decision, between: Uint8Array): Uint8Array {
  const m = flightMessages(d);
  const n = helloLength(d);
  return concat([handshakeRecords(m.subarray(0, n)), between, handshakeRecords(m.subarray(n))]);
}

/** A ServerHello + ServerHelloDone with this legacy_version, no extensions, the server's preferred offered suite. */
function answerWithVersion(hello: ParsedClientHello, legacyVersion: number): Behaviour {
  const preference = isLegacyHello(hello) ? SCRIPTED.suites : SCRIPTED.tls13Suites;
  const suite = preference.find((s) => hello.cipherSuites.includes(s));
  if (suite === undefined) return send(alert(40));
  return send(handshakeRecords(concat([serverHello({ legacyVersion, cipherSuite: suite, sessionId: hello.sessionId }), serverHelloDone])));
}

/**
 * A correct TLS 1.0-1.3 server whose TLS <= 1.2 flights carry `der` as the certificate, for
 * certificates that parse as X.509 but that node:crypto cannot fully describe.
 */
export function withCertificate(der: Uint8Array): Behaviour {
  return scripted(SCRIPTED, {
    bytes: (b, d) => {
      if (d.kind !== 'tls12') return b;
      const hello = flightMessages(d).subarray(0, helloLength(d));
      return handshakeRecords(concat([hello, certificate([der]), serverHelloDone]), 16384, d.version);
    },
  });
}
