/**
 * The TLS 1.3 encrypted-flight decoders on RFC 8448 §3's decrypted server flight: the splitter
 * cuts it into the trace's four messages however the bytes arrive, each decoder reads its message
 * as the trace describes it, and every truncation of every message is a DecodeError (never an
 * over-read). Also the pure helpers of the key schedule and record layer: HkdfLabel against the
 * trace's info bytes, TLSInnerPlaintext unpadding, message_hash, the CertificateVerify content,
 * the ServerHello's key share.
 */
import { createHash, X509Certificate } from 'node:crypto';
import t from 'tap';
import { Writer, hex } from '../../src/wire/bytes.js';
import { HandshakeType } from '../../src/registry/handshake.js';
import {
  HandshakeSplitter,
  decodeCertificate13,
  decodeCertificateRequest13,
  decodeCertificateVerify,
  decodeEncryptedExtensions,
  decodeFinished,
  decodeServerKeyShare,
  encodeHkdfLabel,
  encodeMessageHash,
  serverCertificateVerifyContent,
  unpadInnerPlaintext,
  type HandshakeMessage,
} from '../../src/wire/tls13Messages.js';
import { decodeOutcome } from './decodeOutcome.js';
import { readHexFixture } from './fixtures.js';

const plaintext = readHexFixture('rfc8448-s3-server-flight-plaintext.hex');

function splitAll(pieces: Uint8Array[]): HandshakeMessage[] {
  const splitter = new HandshakeSplitter();
  const out = pieces.flatMap((p) => splitter.push(p));
  splitter.end();
  return out;
}

const [ee, certificate, certificateVerify, finished] = splitAll([plaintext]) as [HandshakeMessage, HandshakeMessage, HandshakeMessage, HandshakeMessage];

t.test('the §3 flight plaintext is the trace\'s four messages with its octet counts', async (t) => {
  const messages = splitAll([plaintext]);
  t.strictSame(messages.map((m) => m.msgType), [HandshakeType.encryptedExtensions, HandshakeType.certificate, HandshakeType.certificateVerify, HandshakeType.finished]);
  t.strictSame(messages.map((m) => m.raw.length), [40, 445, 136, 36]);
  t.equal(messages.map((m) => hex(m.raw)).join(''), hex(plaintext), 'the raw messages put back together are the plaintext');
});

t.test('the splitter gives the same messages however the bytes are cut', async (t) => {
  const whole = splitAll([plaintext]).map((m) => hex(m.raw));
  const oneByte = splitAll([...plaintext].map((b) => Uint8Array.of(b))).map((m) => hex(m.raw));
  t.strictSame(oneByte, whole, 'one byte per record');
  for (let cut = 1; cut < plaintext.length; cut++) {
    const two = splitAll([plaintext.subarray(0, cut), plaintext.subarray(cut)]).map((m) => hex(m.raw));
    if (two.join() !== whole.join()) t.fail(`cut at ${cut}`);
  }
});

t.test('a message begun and not finished is truncated; an empty fragment and a huge claim are malformed', async (t) => {
  for (let end = 1; end < plaintext.length; end++) {
    const splitter = new HandshakeSplitter();
    const done = splitter.push(plaintext.subarray(0, end)).reduce((n, m) => n + m.raw.length, 0);
    const outcome = decodeOutcome(() => splitter.end());
    if (outcome !== (done === end ? 'ok' : 'truncated')) t.fail(`prefix of ${end} bytes: ${outcome}`);
  }
  t.equal(decodeOutcome(() => new HandshakeSplitter().push(new Uint8Array(0))), 'malformed', 'zero-length fragment (RFC 8446 §5.1)');
  t.equal(decodeOutcome(() => new HandshakeSplitter().push(Uint8Array.of(11, 0x10, 0, 0))), 'malformed', 'a 1 MiB Certificate is refused before it is buffered');
});

t.test('EncryptedExtensions: supported_groups, record_size_limit, server_name, no ALPN', async (t) => {
  const decoded = decodeEncryptedExtensions(ee.body);
  t.strictSame(decoded.extensionTypes, [10, 28, 0]);
  t.strictSame(decoded.supportedGroups, [29, 23, 24, 25, 256, 257, 258, 259, 260]);
  t.equal(decoded.alpn, null);
});

t.test('Certificate: one RSA certificate for CN=rsa, the entry extensions skipped', async (t) => {
  const certs = decodeCertificate13(certificate.body);
  t.equal(certs.length, 1);
  t.equal(certs[0]!.length, 432);
  t.equal(new X509Certificate(certs[0]!).subject, 'CN=rsa');
});

t.test('CertificateVerify: rsa_pss_rsae_sha256 with a 128-byte signature; Finished: 32 bytes for SHA-256', async (t) => {
  const cv = decodeCertificateVerify(certificateVerify.body);
  t.equal(cv.scheme, 0x0804);
  t.equal(cv.signature.length, 128);
  t.equal(decodeFinished(finished.body, 32).length, 32);
  t.equal(decodeOutcome(() => decodeFinished(finished.body, 48)), 'malformed', 'a SHA-384 suite needs 48 bytes');
});

t.test('every truncation of every message body is a DecodeError, never an over-read', async (t) => {
  const decoders: [string, Uint8Array, (b: Uint8Array) => unknown][] = [
    ['EncryptedExtensions', ee.body, decodeEncryptedExtensions],
    ['Certificate', certificate.body, decodeCertificate13],
    ['CertificateVerify', certificateVerify.body, decodeCertificateVerify],
    ['Finished', finished.body, (b) => decodeFinished(b, 32)],
  ];
  for (const [name, body, decode] of decoders) {
    const outcomes = new Set<string>();
    for (let end = 0; end < body.length; end++) outcomes.add(decodeOutcome(() => decode(body.subarray(0, end))));
    t.strictSame([...outcomes], ['malformed'], `${name}: each of ${body.length} prefixes`);
    t.equal(decodeOutcome(() => decode(Uint8Array.of(...body, 0))), 'malformed', `${name}: a trailing byte`);
  }
});

t.test('CertificateRequest: context and signature_algorithms; a repeated extension is malformed', async (t) => {
  const body = new Writer()
    .vector(1, () => {})
    .vector(2, (w) => w.u16(13).vector(2, (v) => v.vector(2, (l) => l.u16(0x0804).u16(0x0403))).u16(47).vector(2, (v) => v.vector(2, () => {})))
    .finish();
  const request = decodeCertificateRequest13(body);
  t.strictSame(request.signatureAlgorithms, [0x0804, 0x0403]);
  t.strictSame(request.extensionTypes, [13, 47]);
  t.equal(request.context.length, 0);
  const repeated = new Writer().vector(1, () => {}).vector(2, (w) => w.u16(47).u16(0).u16(47).u16(0)).finish();
  t.equal(decodeOutcome(() => decodeCertificateRequest13(repeated)), 'malformed');
  for (let end = 0; end < body.length; end++) {
    if (decodeOutcome(() => decodeCertificateRequest13(body.subarray(0, end))) !== 'malformed') t.fail(`prefix ${end}`);
  }
});

t.test('HkdfLabel is the info RFC 8448 shows for "c hs traffic"', async (t) => {
  const helloHash = Uint8Array.from(Buffer.from('860c06edc07858ee8e78f0e7428c58edd6b43f2ca3e6e95f02ed063cf0e1cad8', 'hex'));
  t.equal(hex(encodeHkdfLabel(32, 'c hs traffic', helloHash)), '002012746c7331332063206873207472616666696320860c06edc07858ee8e78f0e7428c58edd6b43f2ca3e6e95f02ed063cf0e1cad8');
  t.equal(hex(encodeHkdfLabel(16, 'key', new Uint8Array(0))), '0010' + '09' + hex(new TextEncoder().encode('tls13 key')) + '00');
});

t.test('TLSInnerPlaintext: zeros stripped, the last non-zero byte is the type; only zeros is malformed', async (t) => {
  const unpadded = unpadInnerPlaintext(Uint8Array.of(1, 0, 2, 22, 0, 0, 0));
  t.equal(unpadded.contentType, 22);
  t.equal(hex(unpadded.content), '010002', 'zeros inside the content stay');
  t.equal(unpadInnerPlaintext(Uint8Array.of(21)).content.length, 0);
  t.equal(decodeOutcome(() => unpadInnerPlaintext(new Uint8Array(5))), 'malformed');
  t.equal(decodeOutcome(() => unpadInnerPlaintext(new Uint8Array(0))), 'malformed');
  const overflow = new Uint8Array(16385 + 1);
  overflow[16385] = 22;
  t.equal(decodeOutcome(() => unpadInnerPlaintext(overflow)), 'malformed', 'content over 2^14 (record_overflow)');
});

t.test('message_hash and the CertificateVerify content have the RFC 8446 layout', async (t) => {
  const digest = createHash('sha256').update('x').digest();
  t.equal(hex(encodeMessageHash(digest)), 'fe000020' + hex(digest), 'type 254, uint24 length, Hash(ClientHello1)');
  const content = serverCertificateVerifyContent(digest);
  t.equal(content.length, 64 + 33 + 1 + 32);
  t.ok(content.subarray(0, 64).every((b) => b === 0x20), '64 spaces');
  t.equal(new TextDecoder().decode(content.subarray(64, 97)), 'TLS 1.3, server CertificateVerify');
  t.equal(content[97], 0);
  t.equal(hex(content.subarray(98)), hex(digest));
});

t.test('the ServerHello key share: x25519 from the §3 hello; a HelloRetryRequest has none to read', async (t) => {
  const share = decodeServerKeyShare(readHexFixture('rfc8448-s3-server-hello.hex').subarray(4));
  t.equal(share.group, 29);
  t.equal(hex(share.keyExchange), 'c9828876112095fe66762bdbf7c672e156d6cc253b833df1dd69b1b04e751f0f');
  t.equal(decodeOutcome(() => decodeServerKeyShare(readHexFixture('rfc8448-s5-hello-retry-request.hex').subarray(4))), 'malformed');
  const body = readHexFixture('rfc8448-s3-server-hello.hex').subarray(4);
  for (let end = 0; end < body.length; end++) {
    if (decodeOutcome(() => decodeServerKeyShare(body.subarray(0, end))) !== 'malformed') t.fail(`prefix ${end}`);
  }
});
