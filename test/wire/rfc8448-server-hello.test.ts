/**
 * decodeServerHello on the RFC 8448 §3 ServerHello: the negotiated version comes from
 * supported_versions, not legacy_version, and the key share names x25519.
 */
import t from 'tap';
import { hex } from '../../src/wire/bytes.js';
import { decodeServerFlight } from '../../src/wire/records.js';
import { decodeServerHello } from '../../src/wire/serverMessages.js';
import { asRecord, readHexFixture } from './fixtures.js';

const message = readHexFixture('rfc8448-s3-server-hello.hex');

t.test('the §3 ServerHello negotiates TLS 1.3 via supported_versions with TLS_AES_128_GCM_SHA256 over x25519', async (t) => {
  const hello = decodeServerHello(message.subarray(4));
  t.equal(hello.legacyVersion, 0x0303, 'legacy_version stays TLS 1.2 (RFC 8446 §4.1.3)');
  t.equal(hello.version, 0x0304, 'supported_versions says TLS 1.3');
  t.equal(hello.cipherSuite, 0x1301);
  t.equal(hello.keyShareGroup, 0x001d);
  t.equal(hello.isHelloRetryRequest, false);
  t.equal(hello.compressionMethod, 0);
  t.equal(hello.sessionId.length, 0);
  t.equal(hex(hello.random), 'a6af06a4121860dc5e6e60249cd34c95930c8ac5cb1434dac155772ed3e26928');
  t.strictSame(hello.extensionTypes, [51, 43], 'key_share, then supported_versions, as sent');
  t.equal(hello.cookie, null);
});

t.test('framed as the trace\'s record (16 03 03 00 5a), the ServerHello comes out of the stream unchanged', async (t) => {
  const record = asRecord(message);
  t.equal(hex(record.subarray(0, 5)), '160303005a');
  const events = decodeServerFlight(record);
  t.equal(events.length, 1);
  const [event] = events;
  t.ok(event?.kind === 'handshake' && event.msgType === 2 && event.recordVersion === 0x0303);
  if (event?.kind === 'handshake') t.equal(hex(event.body), hex(message.subarray(4)));
});
