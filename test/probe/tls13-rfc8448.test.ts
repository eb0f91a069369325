/**
 * The TLS 1.3 flight reader replays RFC 8448 §3 ("Simple 1-RTT Handshake"): from the client's
 * x25519 private key and the trace's hellos, every secret, key and IV the trace lists comes out,
 * the server's encrypted record decrypts to the trace's plaintext, openServerFlight finds the
 * CN=rsa certificate and an rsa_pss_rsae_sha256 CertificateVerify whose signature verifies, and
 * the server's Finished matches the transcript this code hashed. Any flipped byte of the record
 * is EDECRYPT.
 */
import { createHmac, createPrivateKey, createPublicKey, diffieHellman, X509Certificate } from 'node:crypto';
import t from 'tap';
import { ProbeError } from '../../src/probe/errors.js';
import { openServerFlight } from '../../src/probe/tls13Flight.js';
import { RecordOpener, Transcript, handshakeSecrets, hkdfExpandLabel, tls13Suite, trafficKeys } from '../../src/probe/tls13Keys.js';
import { hex } from '../../src/wire/bytes.js';
import { HandshakeSplitter, decodeServerKeyShare } from '../../src/wire/tls13Messages.js';
import { extensionBody, parseClientHello } from '../wire/clientHelloParser.js';
import { readHexFixture } from '../wire/fixtures.js';

const clientHello = readHexFixture('rfc8448-s3-client-hello.hex');
const serverHello = readHexFixture('rfc8448-s3-server-hello.hex');
const record = readHexFixture('rfc8448-s3-server-flight.hex');
const encryptedRecord = record.subarray(5);
const clientPrivate = readHexFixture('rfc8448-s3-client-x25519-private.hex');
const suite = tls13Suite(0x1301);

/** The x25519 private key as a KeyObject: PKCS#8 is a fixed 16-byte prefix before the raw key (RFC 8410 §7). */
const privateKey = createPrivateKey({ key: Buffer.concat([Buffer.from('302e020100300506032b656e04220420', 'hex'), clientPrivate]), format: 'der', type: 'pkcs8' });

function sharedSecret(): Uint8Array {
  const share = decodeServerKeyShare(serverHello.subarray(4));
  const publicKey = createPublicKey({ key: { kty: 'OKP', crv: 'X25519', x: Buffer.from(share.keyExchange).toString('base64url') }, format: 'jwk' });
  return new Uint8Array(diffieHellman({ privateKey, publicKey }));
}

const helloHash = new Transcript(suite).add(clientHello).add(serverHello).digest();
const secrets = handshakeSecrets(suite, sharedSecret(), helloHash);

t.test('the private key is the one behind the ClientHello\'s x25519 share', async (t) => {
  const spki = createPublicKey(privateKey).export({ format: 'der', type: 'spki' });
  const keyShare = extensionBody(parseClientHello(clientHello), 51)!;
  // client_shares<2>, then group 29 and a 32-byte key_exchange<2>
  t.equal(hex(keyShare.subarray(2, 6)), '001d0020');
  t.equal(hex(keyShare.subarray(6)), hex(spki.subarray(spki.length - 32)));
});

t.test('every secret, key and IV of the §3 trace up to the handshake traffic keys', async (t) => {
  t.equal(hex(sharedSecret()), '8bd4054fb55b9d63fdfbacf9f04b9f0d35e6d63f537563efd46272900f89492d', 'ECDHE shared secret');
  t.equal(hex(helloHash), '860c06edc07858ee8e78f0e7428c58edd6b43f2ca3e6e95f02ed063cf0e1cad8', 'Transcript-Hash(ClientHello, ServerHello)');
  t.equal(hex(secrets.earlySecret), '33ad0a1c607ec03b09e6cd9893680ce210adf300aa1f2660e1b22e10f170f92a', 'early secret');
  t.equal(hex(secrets.derivedSecret), '6f2615a108c702c5678f54fc9dbab69716c076189c48250cebeac3576c3611ba', 'derived');
  t.equal(hex(secrets.handshakeSecret), '1dc826e93606aa6fdc0aadc12f741b01046aa6b99f691ed221a9f0ca043fbeac', 'handshake secret');
  t.equal(hex(secrets.clientHandshakeTrafficSecret), 'b3eddb126e067f35a780b3abf45e2d8f3b1a950738f52e9600746a0e27a55a21', 'c hs traffic');
  t.equal(hex(secrets.serverHandshakeTrafficSecret), 'b67b7d690cc16c4e75e54213cb2d37b4e9c912bcded9105d42befd59d391ad38', 's hs traffic');
  const server = trafficKeys(suite, secrets.serverHandshakeTrafficSecret);
  t.equal(hex(server.key), '3fce516009c21727d0f2e4e86ee403bc', 'server handshake write key');
  t.equal(hex(server.iv), '5d313eb2671276ee13000b30', 'server handshake write iv');
  const client = trafficKeys(suite, secrets.clientHandshakeTrafficSecret);
  t.equal(hex(client.key), 'dbfaa693d1762c5b666af5d950258d01', 'client handshake write key');
  t.equal(hex(client.iv), '5bd3c71b836e0b76bb73265f', 'client handshake write iv');
});

t.test('the encrypted record opens to the trace\'s 657-byte plaintext, a handshake record without padding', async (t) => {
  const opened = new RecordOpener(suite, secrets.serverHandshakeTrafficSecret).open(encryptedRecord);
  t.equal(opened.contentType, 22);
  t.equal(hex(opened.content), hex(readHexFixture('rfc8448-s3-server-flight-plaintext.hex')));
});

t.test('openServerFlight: the CN=rsa chain and an rsa_pss_rsae_sha256 signature that verifies', async (t) => {
  const flight = openServerFlight({ clientHello, serverHello, sharedSecret: sharedSecret(), records: [encryptedRecord] });
  if (flight.kind !== 'flight') return t.fail(`an alert: ${JSON.stringify(flight)}`);
  t.equal(flight.certificates.length, 1);
  t.equal(new X509Certificate(flight.certificates[0]!).subject, 'CN=rsa');
  t.equal(flight.certificateVerify?.scheme, 0x0804);
  t.equal(flight.signatureValid, true);
  t.equal(flight.certificateRequest, null);
  t.equal(flight.finished, false, 'stops at CertificateVerify');
  t.strictSame(flight.encryptedExtensions.extensionTypes, [10, 28, 0]);
});

t.test('the server Finished is the HMAC over the transcript as hashed here, so the transcript is the server\'s', async (t) => {
  const opened = new RecordOpener(suite, secrets.serverHandshakeTrafficSecret).open(encryptedRecord);
  const messages = new HandshakeSplitter().push(opened.content);
  const transcript = new Transcript(suite).add(clientHello).add(serverHello);
  for (const m of messages.slice(0, 3)) transcript.add(m.raw);
  const finishedKey = hkdfExpandLabel(suite, secrets.serverHandshakeTrafficSecret, 'finished', new Uint8Array(0), 32);
  const expected = createHmac('sha256', finishedKey).update(transcript.digest()).digest('hex');
  t.equal(hex(messages[3]!.body), expected);
});

t.test('a flipped byte anywhere in the record is EDECRYPT', async (t) => {
  const codes = new Set<string>();
  for (let at = 0; at < encryptedRecord.length; at++) {
    const tampered = encryptedRecord.slice();
    tampered[at]! ^= 0x01;
    try {
      openServerFlight({ clientHello, serverHello, sharedSecret: sharedSecret(), records: [tampered] });
      codes.add('opened');
    } catch (err) {
      codes.add(err instanceof ProbeError ? err.code : `threw ${String(err)}`);
    }
  }
  t.strictSame([...codes], ['EDECRYPT'], `${encryptedRecord.length} positions`);
});

t.test('a different shared secret or a different ClientHello cannot open the record', async (t) => {
  const wrongSecret = sharedSecret();
  wrongSecret[0]! ^= 1;
  t.throws(() => openServerFlight({ clientHello, serverHello, sharedSecret: wrongSecret, records: [encryptedRecord] }), { code: 'EDECRYPT' });
  const otherHello = clientHello.slice();
  otherHello[10]! ^= 1; // a byte of the client random
  t.throws(() => openServerFlight({ clientHello: otherHello, serverHello, sharedSecret: sharedSecret(), records: [encryptedRecord] }), { code: 'EDECRYPT' });
});
