/**
 * What a hostile or confused peer can send at the record layer is DecodeError('malformed'), raised
 * as soon as the offending header is visible, without waiting for (or allocating) what a length
 * claims: an oversized record, a handshake message claiming 16 MiB, a content type or version
 * that is not TLS, alerts that are not 2 bytes, an empty handshake record, and another record type
 * wedged into a fragmented handshake message.
 */
import t from 'tap';
import { MAX_HANDSHAKE_LENGTH, MAX_RECORD_LENGTH, ServerStream, decodeServerFlight } from '../../src/wire/records.js';
import { decodeOutcome } from './decodeOutcome.js';

const feed = (bytes: number[]) => decodeOutcome(() => new ServerStream().feed(new Uint8Array(bytes)));

t.test('a record longer than 2^14 + 2048 is malformed from its 5-byte header alone', async (t) => {
  t.equal(MAX_RECORD_LENGTH, 16384 + 2048);
  const over = MAX_RECORD_LENGTH + 1;
  t.equal(feed([22, 3, 3, over >> 8, over & 0xff]), 'malformed');
  t.equal(feed([22, 3, 3, 0xff, 0xff]), 'malformed');
  t.equal(feed([22, 3, 3, MAX_RECORD_LENGTH >> 8, MAX_RECORD_LENGTH & 0xff]), 'ok', 'the limit itself just waits for the body');
});

t.test('a handshake message claiming 16 MiB is malformed from its 4-byte header, without allocating it', async (t) => {
  const before = process.memoryUsage().arrayBuffers;
  t.equal(feed([22, 3, 3, 0, 4, 11, 0xff, 0xff, 0xff]), 'malformed');
  t.ok(process.memoryUsage().arrayBuffers - before < 1 << 20, 'less than 1 MiB allocated for a 16 MiB claim');
  const limit = MAX_HANDSHAKE_LENGTH;
  t.equal(feed([22, 3, 3, 0, 4, 11, limit >> 16, (limit >> 8) & 0xff, limit & 0xff]), 'ok', 'the limit itself just waits');
  t.equal(feed([22, 3, 3, 0, 4, 11, (limit + 1) >> 16, ((limit + 1) >> 8) & 0xff, (limit + 1) & 0xff]), 'malformed');
});

t.test('a first byte that is no TLS content type is malformed at once', async (t) => {
  for (const type of [0, 19, 25, 0x48 /* 'H' of an HTTP answer */, 0x80 /* SSLv2 header, not allowed here */]) {
    t.equal(feed([type]), 'malformed', `content type ${type}`);
  }
});

t.test('a record version whose major byte is not 3 is malformed', async (t) => {
  t.equal(feed([22, 2]), 'malformed');
  t.equal(feed([22, 0x48, 0x54, 0x54, 0x50]), 'malformed');
});

t.test('an alert record that is not exactly 2 bytes is malformed', async (t) => {
  t.equal(decodeOutcome(() => decodeServerFlight(new Uint8Array([21, 3, 3, 0, 3, 2, 40, 0]))), 'malformed', '3 bytes');
  t.equal(decodeOutcome(() => decodeServerFlight(new Uint8Array([21, 3, 3, 0, 1, 2]))), 'malformed', '1 byte');
  t.equal(decodeOutcome(() => decodeServerFlight(new Uint8Array([21, 3, 3, 0, 0]))), 'malformed', 'empty');
  t.strictSame(decodeServerFlight(new Uint8Array([21, 3, 3, 0, 2, 2, 40])), [{ kind: 'alert', level: 2, description: 40 }], '2 bytes');
});

t.test('an empty handshake record is malformed', async (t) => {
  t.equal(decodeOutcome(() => decodeServerFlight(new Uint8Array([22, 3, 3, 0, 0]))), 'malformed');
});

t.test('an alert wedged between two fragments of a handshake message is malformed', async (t) => {
  const bytes = [22, 3, 3, 0, 6, 11, 0, 0, 4, 0xaa, 0xbb, 21, 3, 3, 0, 2, 2, 40, 22, 3, 3, 0, 2, 0xcc, 0xdd];
  t.equal(decodeOutcome(() => decodeServerFlight(new Uint8Array(bytes))), 'malformed');
});
