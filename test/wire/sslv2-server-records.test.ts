/**
 * SSLv2-framed answers (draft-hickman-netscape-ssl-00): with allowSslv2, ServerStream reads 2-byte
 * and 3-byte (padded) record headers into 'sslv2' events, whatever the read boundaries, and
 * decodeSslv2ServerHello reads the SERVER-HELLO. A record with no room for its message type, and
 * a SERVER-HELLO whose lengths do not add up, are malformed.
 */
import t from 'tap';
import { concat, hex } from '../../src/wire/bytes.js';
import { ServerStream, decodeServerFlight } from '../../src/wire/records.js';
import { decodeSslv2ServerHello } from '../../src/wire/serverMessages.js';
import { decodeOutcome } from './decodeOutcome.js';

const certificate = new Uint8Array([0x30, 0x03, 0x02, 0x01, 0x07]);
const kinds = [0x010080, 0x0700c0];
const connectionId = new Uint8Array(16).fill(0xc1);

/** SERVER-HELLO message (type 4) as the server writes it. */
function serverHello(o: { specs?: number[]; specsLength?: number; connectionId?: Uint8Array } = {}): Uint8Array {
  const specs = o.specs ?? kinds;
  const id = o.connectionId ?? connectionId;
  const specBytes = specs.flatMap((k) => [k >> 16, (k >> 8) & 0xff, k & 0xff]);
  const specsLength = o.specsLength ?? specBytes.length;
  return new Uint8Array([
    4, 0, 1, 0x00, 0x02,
    certificate.length >> 8, certificate.length & 0xff,
    specsLength >> 8, specsLength & 0xff,
    id.length >> 8, id.length & 0xff,
    ...certificate, ...specBytes, ...id,
  ]);
}

const twoByteRecord = (message: Uint8Array) => concat([new Uint8Array([0x80 | (message.length >> 8), message.length & 0xff]), message]);
const threeByteRecord = (message: Uint8Array, padding: number) => {
  const length = message.length + padding;
  return concat([new Uint8Array([length >> 8, length & 0xff, padding]), message, new Uint8Array(padding)]);
};

t.test('a 2-byte-header SERVER-HELLO record decodes into its fields', async (t) => {
  const events = decodeServerFlight(twoByteRecord(serverHello()), true);
  t.equal(events.length, 1);
  const event = events[0]!;
  if (event.kind !== 'sslv2') return t.fail(`got ${event.kind}`);
  t.equal(event.msgType, 4);
  const hello = decodeSslv2ServerHello(event.body);
  t.equal(hello.sessionIdHit, 0);
  t.equal(hello.certificateType, 1, 'X.509');
  t.equal(hello.version, 0x0002);
  t.equal(hex(hello.certificate), hex(certificate));
  t.strictSame(hello.cipherKinds, kinds);
  t.equal(hex(hello.connectionId), hex(connectionId));
});

t.test('a 3-byte header with padding yields the message without the padding', async (t) => {
  // The 3-byte form starts with the high bit clear, so the stream must be told it is SSLv2 by
  // a first record with the high bit set; padded records can only follow.
  const error = new Uint8Array([0, 0x00, 0x01]); // ERROR: NO-CIPHER-ERROR
  const stream = concat([twoByteRecord(serverHello()), threeByteRecord(error, 5)]);
  const events = decodeServerFlight(stream, true);
  t.strictSame(events.map((e) => (e.kind === 'sslv2' ? [e.msgType, hex(e.body)] : e.kind)), [[4, hex(serverHello().subarray(1))], [0, '0001']]);
});

t.test('SSLv2 records split one byte per read give the same events', async (t) => {
  const bytes = concat([twoByteRecord(serverHello()), threeByteRecord(new Uint8Array([0, 0, 1]), 2)]);
  const stream = new ServerStream(true);
  const events = [];
  for (const byte of bytes) {
    stream.feed(new Uint8Array([byte]));
    for (let e = stream.next(); e; e = stream.next()) events.push(e);
  }
  t.strictSame(events, decodeServerFlight(bytes, true));
});

t.test('an SSLv2 record that is empty or all padding is malformed (no message type)', async (t) => {
  t.equal(decodeOutcome(() => decodeServerFlight(new Uint8Array([0x80, 0x00]), true)), 'malformed', 'length 0');
  const first = twoByteRecord(serverHello());
  t.equal(decodeOutcome(() => decodeServerFlight(concat([first, new Uint8Array([0x00, 0x03, 0x03, 0, 0, 0])]), true)), 'malformed', 'all padding');
  t.equal(decodeOutcome(() => decodeServerFlight(concat([first, new Uint8Array([0x00, 0x02, 0x03, 0, 0])]), true)), 'malformed', 'padding longer than the record');
});

t.test('a SERVER-HELLO whose lengths do not add up is malformed', async (t) => {
  const body = (m: Uint8Array) => m.subarray(1);
  t.equal(decodeOutcome(() => decodeSslv2ServerHello(body(serverHello({ specsLength: 4 })))), 'malformed', 'cipher specs not a multiple of 3');
  t.equal(decodeOutcome(() => decodeSslv2ServerHello(body(serverHello({ connectionId: new Uint8Array(15) })))), 'malformed', 'connection id under 16 bytes');
  t.equal(decodeOutcome(() => decodeSslv2ServerHello(body(serverHello({ connectionId: new Uint8Array(33) })))), 'malformed', 'connection id over 32 bytes');
  const full = body(serverHello());
  const cut = [];
  for (let n = 0; n < full.length; n++) cut.push(decodeOutcome(() => decodeSslv2ServerHello(full.subarray(0, n))));
  t.strictSame([...new Set(cut)], ['malformed'], 'every proper prefix');
  t.equal(decodeOutcome(() => decodeSslv2ServerHello(concat([full, new Uint8Array(1)]))), 'malformed', 'a trailing byte');
});
