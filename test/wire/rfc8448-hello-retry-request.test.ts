/**
 * decodeServerHello on the RFC 8448 §5 HelloRetryRequest: the special random marks it, its
 * key_share is a bare selected_group (secp256r1), and its cookie is read; the same bytes with any
 * other random are a ServerHello whose key_share lacks its key, which is malformed.
 */
import t from 'tap';
import { hex } from '../../src/wire/bytes.js';
import { HELLO_RETRY_REQUEST_RANDOM, decodeServerHello } from '../../src/wire/serverMessages.js';
import { decodeOutcome } from './decodeOutcome.js';
import { readHexFixture } from './fixtures.js';

const body = readHexFixture('rfc8448-s5-hello-retry-request.hex').subarray(4);

t.test('the §5 HelloRetryRequest is flagged and selects secp256r1', async (t) => {
  const hrr = decodeServerHello(body);
  t.equal(hrr.isHelloRetryRequest, true);
  t.equal(hex(hrr.random), HELLO_RETRY_REQUEST_RANDOM);
  t.equal(hrr.keyShareGroup, 0x0017, 'selected_group secp256r1');
  t.equal(hrr.version, 0x0304);
  t.equal(hrr.cipherSuite, 0x1301);
  t.strictSame(hrr.extensionTypes, [51, 44, 43], 'key_share, cookie, supported_versions');
});

t.test('the §5 HelloRetryRequest cookie is read whole (114 bytes)', async (t) => {
  const hrr = decodeServerHello(body);
  t.equal(hrr.cookie?.length, 114);
  t.equal(hex(hrr.cookie!.subarray(0, 8)), '71dcd04bb88bc318');
  t.equal(hex(hrr.cookie!.subarray(-8)), '1fb2b7cff0f934b0');
});

t.test('with one bit of the random changed, the bare selected_group is a malformed ServerHello key_share', async (t) => {
  const altered = body.slice();
  altered[2]! ^= 0x01; // first byte of random (after legacy_version)
  t.equal(decodeOutcome(() => decodeServerHello(altered)), 'malformed');
});
