/**
 * The first-flight reader (wire/firstFlight.ts) decides what a server answered from its bytes
 * alone: captured real flights (fixtures/wire/*.hex) decide the same however the bytes are
 * split, a flight cut short decides nothing or the ServerHello read so far, and the shapes no
 * real server sends on purpose (a warning close_notify, garbage after a ServerHello, application
 * data first, an SSLv2 ERROR) each get their one defined answer.
 */
import t from 'tap';
import { DecodeError } from '../../src/wire/bytes.js';
import { FirstFlightReader, isIgnorableWarning, type FirstAnswer } from '../../src/wire/firstFlight.js';
import { Alert } from '../../src/registry/alerts.js';
import { ContentType } from '../../src/registry/handshake.js';
import { WireVersion } from '../../src/registry/versions.js';
import { alert, certificate, handshakeRecords, record, serverHello, serverHelloDone, sslv2ServerHello } from '../helpers/serverFlight.js';
import { capturedFlights } from './fixtures.js';

/** Feeds `bytes` in chunks of `size`; the first answer, or what `partial` holds at the end. */
function read(bytes: Uint8Array, size: number, sslv2 = false): { answer: FirstAnswer | null; partial: FirstAnswer | null; at: number } {
  const reader = new FirstFlightReader(sslv2);
  for (let at = 0; at < bytes.length; at += size) {
    const answer = reader.feed(bytes.subarray(at, at + size));
    if (answer) return { answer, partial: reader.partial, at };
  }
  return { answer: null, partial: reader.partial, at: bytes.length };
}

/** The parts of an answer a probe decides on, comparable across splits. */
function summary(a: FirstAnswer | null): unknown {
  if (a === null) return null;
  if (a.kind !== 'hello') return a;
  return {
    kind: a.kind,
    version: a.serverHello.version,
    suite: a.serverHello.cipherSuite,
    hrr: a.serverHello.isHelloRetryRequest,
    certificates: a.certificates?.length ?? null,
    keyExchange: a.keyExchange?.kind ?? null,
    certificateRequest: a.certificateRequest?.caNames.length ?? null,
    flightComplete: a.flightComplete,
    alertAfterHello: a.alertAfterHello,
  };
}

for (const flight of capturedFlights()) {
  t.test(`${flight.file}: decided the same whole, byte by byte and in odd chunks`, async (t) => {
    const whole = read(flight.bytes, flight.bytes.length);
    t.ok(whole.answer, 'the whole flight decides');
    const e = flight.expect;
    if (e.alert) t.strictSame(whole.answer, { kind: 'alert', ...e.alert }, 'the alert is the answer');
    if (e.version !== undefined) {
      t.equal(whole.answer?.kind, 'hello');
      if (whole.answer?.kind !== 'hello') return;
      t.equal(whole.answer.serverHello.cipherSuite, e.cipherSuite, 'suite');
      const tls12 = whole.answer.serverHello.version < WireVersion['TLSv1.3'] && !whole.answer.serverHello.isHelloRetryRequest;
      // A TLS <= 1.2 flight is read to ServerHelloDone; TLS 1.3 stops at the (encrypted flight's) ServerHello.
      t.equal(whole.answer.flightComplete, tls12, tls12 ? 'read up to ServerHelloDone' : 'decided at the ServerHello');
      if (e.certificates !== undefined && tls12) t.equal(whole.answer.certificates?.length, e.certificates, 'certificates');
      if (e.keyExchange) t.equal(whole.answer.keyExchange?.kind, e.keyExchange.kind, 'key exchange');
      if (e.certificateRequest) t.equal(whole.answer.certificateRequest?.caNames.length, e.certificateRequest.caNames, 'CertificateRequest CA names');
    }
    for (const size of [1, 3, 7, 100]) t.strictSame(summary(read(flight.bytes, size).answer), summary(whole.answer), `chunks of ${size}`);
  });
}

t.test('a flight cut short decides nothing, or the ServerHello read so far', async (t) => {
  for (const flight of capturedFlights()) {
    const whole = read(flight.bytes, flight.bytes.length);
    let undecided = 0;
    for (let cut = 0; cut < whole.at + 1 && cut < flight.bytes.length; cut += 1) {
      const part = read(flight.bytes.subarray(0, cut), cut || 1);
      if (part.answer === null) {
        undecided++;
        if (part.partial) t.equal(part.partial.kind, 'hello', `${flight.file} cut at ${cut}: partial is a ServerHello`);
      }
    }
    t.ok(undecided > 0, `${flight.file}: ${undecided} cuts undecided, none threw`);
  }
});

const tls12Hello = serverHello({ legacyVersion: WireVersion['TLSv1.2'], cipherSuite: 0x002f, extensions: [] });

t.test('a TLS 1.2 flight is read up to ServerHelloDone', async (t) => {
  const flight = handshakeRecords(new Uint8Array([...tls12Hello, ...certificate([]), ...serverHelloDone]));
  const { answer } = read(flight, flight.length);
  t.match(answer, { kind: 'hello', flightComplete: true, certificates: [] });
});

t.test('warnings that refuse nothing are not answers; refusing ones are', async (t) => {
  t.equal(read(alert(Alert.unrecognizedName, 1), 7).answer, null, 'a warning unrecognized_name waits for more');
  t.ok(isIgnorableWarning(1, Alert.unrecognizedName));
  t.notOk(isIgnorableWarning(1, Alert.handshakeFailure), 'a warning handshake_failure refuses');
  t.strictSame(read(alert(Alert.handshakeFailure, 1), 7).answer, { kind: 'alert', level: 1, description: Alert.handshakeFailure });
  t.strictSame(read(alert(Alert.protocolVersion), 7).answer, { kind: 'alert', level: 2, description: Alert.protocolVersion });
});

t.test('a warning close_notify before any answer is a hang-up; after a ServerHello it ends the flight', async (t) => {
  t.strictSame(read(alert(Alert.closeNotify, 1), 2).answer, { kind: 'close-notify' });
  const after = new Uint8Array([...handshakeRecords(tls12Hello), ...alert(Alert.closeNotify, 1)]);
  t.match(read(after, 5).answer, { kind: 'hello', flightComplete: false, alertAfterHello: null });
});

t.test('an alert after the ServerHello is kept with the hello', async (t) => {
  const bytes = new Uint8Array([...handshakeRecords(tls12Hello), ...alert(Alert.internalError)]);
  t.match(read(bytes, bytes.length).answer, { kind: 'hello', alertAfterHello: Alert.internalError, flightComplete: false });
});

t.test('garbage after a decodable ServerHello still answers with the hello', async (t) => {
  const bytes = new Uint8Array([...handshakeRecords(tls12Hello), 0x47, 0x45, 0x54, 0x20, 0x2f, 0x0d, 0x0a]);
  t.match(read(bytes, bytes.length).answer, { kind: 'hello', flightComplete: false });
});

t.test('what no server sends before a ServerHello is malformed', async (t) => {
  t.throws(() => read(record(ContentType.applicationData, new Uint8Array(8)), 64), DecodeError, 'application data first');
  t.throws(() => read(handshakeRecords(certificate([])), 64), /expected ServerHello/, 'a Certificate first');
  t.equal(read(record(ContentType.changeCipherSpec, new Uint8Array([1])), 8).answer, null, 'a ChangeCipherSpec first is not an answer');
});

t.test('SSLv2: a SERVER-HELLO lists its kinds; an ERROR carries its code', async (t) => {
  const hello = sslv2ServerHello({ cipherKinds: [0x010080, 0x0700c0] });
  t.match(read(hello, 3, true).answer, { kind: 'sslv2', hello: { cipherKinds: [0x010080, 0x0700c0] } });
  const error = Uint8Array.of(0x80, 0x03, 0x00, 0x00, 0x01);
  t.strictSame(read(error, 1, true).answer, { kind: 'sslv2-error', errorCode: 1 });
});
