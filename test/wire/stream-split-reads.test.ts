/**
 * ServerStream does not care how the bytes arrive or how the server packed its records: feeding a
 * flight one byte at a time, or in arbitrary chunks, gives the same events as feeding it whole; and
 * handshake messages come out the same whether several share one record, one spans three records,
 * or a record boundary falls inside a message's 4-byte header.
 */
import t from 'tap';
import { concat } from '../../src/wire/bytes.js';
import { ServerStream, decodeServerFlight, type ServerEvent } from '../../src/wire/records.js';
import { allServerStreams, asRecord, capturedFlights } from './fixtures.js';

function drain(stream: ServerStream): ServerEvent[] {
  const out: ServerEvent[] = [];
  for (let e = stream.next(); e; e = stream.next()) out.push(e);
  return out;
}

/** Feeds `bytes` cut at `cuts` (ascending offsets), draining after every feed. */
function feedInChunks(bytes: Uint8Array, cuts: number[]): { events: ServerEvent[]; buffered: number } {
  const stream = new ServerStream();
  const events: ServerEvent[] = [];
  let at = 0;
  for (const cut of [...cuts, bytes.length]) {
    stream.feed(bytes.subarray(at, cut));
    events.push(...drain(stream));
    at = cut;
  }
  return { events, buffered: stream.bufferedBytes };
}

/** Deterministic xorshift so a failure names a reproducible split. */
function randomCuts(length: number, seed: number): number[] {
  let x = seed || 1;
  const cuts = new Set<number>();
  for (let i = 0; i < Math.max(1, length / 64); i++) {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    cuts.add((x >>> 0) % length);
  }
  return [...cuts].filter((c) => c > 0).sort((a, b) => a - b);
}

for (const { name, bytes } of allServerStreams()) {
  t.test(`${name}: one byte at a time and random chunks give the events of the whole`, async (t) => {
    const whole = decodeServerFlight(bytes);
    const everyByte = Array.from({ length: bytes.length - 1 }, (_, i) => i + 1);
    const byByte = feedInChunks(bytes, everyByte);
    t.strictSame(byByte.events, whole, 'one byte per read');
    t.equal(byByte.buffered, 0);
    for (const seed of [1, 7, 42]) t.strictSame(feedInChunks(bytes, randomCuts(bytes.length, seed)).events, whole, `chunks, seed ${seed}`);
  });
}

// Re-frame a real TLS 1.2 flight (ServerHello, Certificate, ServerKeyExchange, ServerHelloDone).
const flight = capturedFlights().find((f) => f.file === 'openssl-tls12-ecdhe-rsa.hex')!;
const original = decodeServerFlight(flight.bytes).filter((e): e is Extract<ServerEvent, { kind: 'handshake' }> => e.kind === 'handshake');
const messages = original.map((e) => concat([new Uint8Array([e.msgType, 0, e.body.length >> 8, e.body.length & 0xff]), e.body]));
const [serverHello, certificate, keyExchange, helloDone] = messages as [Uint8Array, Uint8Array, Uint8Array, Uint8Array];
const handshakeOf = (events: ServerEvent[]): [number, Uint8Array][] =>
  events.map((e) => (e.kind === 'handshake' ? [e.msgType, e.body] : [-1, new Uint8Array(0)]));

t.test('the four messages of a flight packed into one record decode as four messages', async (t) => {
  const packed = asRecord(concat(messages));
  t.strictSame(handshakeOf(decodeServerFlight(packed)), handshakeOf(original));
});

t.test('a Certificate split across three records, sharing the first with ServerHello and the last with two more messages, decodes', async (t) => {
  t.ok(certificate.length > 300, 'the certificate message is long enough to split in three');
  const third = Math.floor(certificate.length / 3);
  const records = [
    asRecord(concat([serverHello, certificate.subarray(0, third)])),
    asRecord(certificate.subarray(third, 2 * third)),
    asRecord(concat([certificate.subarray(2 * third), keyExchange, helloDone])),
  ];
  t.strictSame(handshakeOf(decodeServerFlight(concat(records))), handshakeOf(original));
});

t.test('a record boundary inside a handshake header (after 1, 2 and 3 of its 4 bytes) changes nothing', async (t) => {
  for (const split of [1, 2, 3]) {
    const records = [
      asRecord(concat([serverHello, certificate, keyExchange.subarray(0, split)])),
      asRecord(concat([keyExchange.subarray(split), helloDone])),
    ];
    t.strictSame(handshakeOf(decodeServerFlight(concat(records))), handshakeOf(original), `split after ${split}`);
  }
});
