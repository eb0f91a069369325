/**
 * The stored RFC 8448 messages are the RFC's bytes, not a near miss: the §3 ClientHello and
 * ServerHello hash to the transcript hash the trace feeds to "tls13 c hs traffic", and every stored
 * message is as long as the trace and its own handshake header say.
 */
import { createHash } from 'node:crypto';
import t from 'tap';
import { readHexFixture } from './fixtures.js';

t.test('SHA-256(ClientHello || ServerHello) of the §3 fixtures is the transcript hash RFC 8448 prints', async (t) => {
  const clientHello = readHexFixture('rfc8448-s3-client-hello.hex');
  const serverHello = readHexFixture('rfc8448-s3-server-hello.hex');
  const digest = createHash('sha256').update(clientHello).update(serverHello).digest('hex');
  t.equal(digest, '860c06edc07858ee8e78f0e7428c58edd6b43f2ca3e6e95f02ed063cf0e1cad8');
});

t.test('each RFC 8448 message has the trace\'s octet count and a handshake length that matches it', async (t) => {
  const expected: [string, number, number][] = [
    ['rfc8448-s3-client-hello.hex', 1, 196],
    ['rfc8448-s3-server-hello.hex', 2, 90],
    ['rfc8448-s5-hello-retry-request.hex', 2, 176],
  ];
  for (const [file, msgType, octets] of expected) {
    const message = readHexFixture(file);
    t.equal(message.length, octets, `${file}: octets`);
    t.equal(message[0], msgType, `${file}: msg_type`);
    t.equal((message[1]! << 16) | (message[2]! << 8) | message[3]!, octets - 4, `${file}: uint24 length`);
  }
});
