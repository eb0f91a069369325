/**
 * openServerFlight on flights no real server sent, sealed under the RFC 8448 §3 keys from the
 * trace's own messages: whatever the record boundaries and padding, the same chain and signature
 * come out; records that end before CertificateVerify are DecodeError('truncated') (read more);
 * an alert inside the flight is an outcome; messages out of order, an empty chain, content that is
 * not a handshake, and records too short or too long are EMALFORMED_RECORD; a signature that
 * does not match is signatureValid false, and an unknown scheme null. No cut or mutation of the
 * records throws anything but those typed errors.
 */
import { createPrivateKey, createPublicKey, diffieHellman } from 'node:crypto';
import t from 'tap';
import type { Test } from 'tap';
import { ProbeError } from '../../src/probe/errors.js';
import { openServerFlight, type ServerFlight } from '../../src/probe/tls13Flight.js';
import { Transcript, handshakeSecrets, tls13Suite } from '../../src/probe/tls13Keys.js';
import { DecodeError, Writer, concat } from '../../src/wire/bytes.js';
import { HandshakeSplitter, decodeServerKeyShare } from '../../src/wire/tls13Messages.js';
import { chunks, sealRecords, type InnerPlaintext } from '../helpers/tls13Seal.js';
import { readHexFixture } from '../wire/fixtures.js';

const clientHello = readHexFixture('rfc8448-s3-client-hello.hex');
const serverHello = readHexFixture('rfc8448-s3-server-hello.hex');
const suite = tls13Suite(0x1301);

const sharedSecret = ((): Uint8Array => {
  const raw = readHexFixture('rfc8448-s3-client-x25519-private.hex');
  const privateKey = createPrivateKey({ key: Buffer.concat([Buffer.from('302e020100300506032b656e04220420', 'hex'), raw]), format: 'der', type: 'pkcs8' });
  const share = decodeServerKeyShare(serverHello.subarray(4));
  const publicKey = createPublicKey({ key: { kty: 'OKP', crv: 'X25519', x: Buffer.from(share.keyExchange).toString('base64url') }, format: 'jwk' });
  return new Uint8Array(diffieHellman({ privateKey, publicKey }));
})();
const serverSecret = handshakeSecrets(suite, sharedSecret, new Transcript(suite).add(clientHello).add(serverHello).digest()).serverHandshakeTrafficSecret;

const [ee, certificate, certificateVerify, finished] = new HandshakeSplitter().push(readHexFixture('rfc8448-s3-server-flight-plaintext.hex')).map((m) => m.raw) as [
  Uint8Array,
  Uint8Array,
  Uint8Array,
  Uint8Array,
];

const handshake = (content: Uint8Array, padding = 0): InnerPlaintext => ({ contentType: 22, content, padding });

function open(plaintexts: InnerPlaintext[]): ServerFlight {
  return openServerFlight({ clientHello, serverHello, sharedSecret, records: sealRecords(suite, serverSecret, plaintexts) });
}

/** 'flight', 'alert', 'truncated', an error code, or `threw ...` for anything untyped. */
function outcome(run: () => ServerFlight): string {
  try {
    return run().kind;
  } catch (err) {
    if (err instanceof DecodeError) return err.kind;
    if (err instanceof ProbeError) return err.code;
    return `threw ${String(err)}`;
  }
}

function expectRfcChain(t: Test, flight: ServerFlight): void {
  if (flight.kind !== 'flight') return void t.fail(`not a flight: ${flight.kind}`);
  t.equal(flight.certificates.length, 1);
  t.equal(flight.certificateVerify?.scheme, 0x0804);
  t.equal(flight.signatureValid, true);
}

t.test('one message per record, each cut into many records, or padded: the same chain and signature', async (t) => {
  expectRfcChain(t, open([ee, certificate, certificateVerify].map((m) => handshake(m))));
  const all = concat([ee, certificate, certificateVerify, finished]);
  expectRfcChain(t, open(chunks(all, 1).map((c) => handshake(c))));
  expectRfcChain(t, open(chunks(all, 100).map((c) => handshake(c, 200))));
  expectRfcChain(t, open([handshake(concat([ee, certificate])), handshake(concat([certificateVerify, finished]), 1000)]));
});

t.test('records that end before CertificateVerify are truncated, at every record boundary', async (t) => {
  const all = concat([ee, certificate, certificateVerify]);
  const records = sealRecords(suite, serverSecret, chunks(all, 37).map((c) => handshake(c)));
  for (let n = 0; n <= records.length; n++) {
    const got = outcome(() => openServerFlight({ clientHello, serverHello, sharedSecret, records: records.slice(0, n) }));
    t.equal(got, n === records.length ? 'flight' : 'truncated', `${n} of ${records.length} records`);
  }
});

t.test('an alert inside the flight is an outcome that says what came before it', async (t) => {
  const flight = open([handshake(ee), { contentType: 21, content: Uint8Array.of(2, 42) }]);
  t.strictSame(flight, { kind: 'alert', level: 2, description: 42, messages: [8] });
  t.equal(outcome(() => open([{ contentType: 21, content: Uint8Array.of(2, 42, 0) }])), 'EMALFORMED_RECORD', 'an alert of 3 bytes');
});

t.test('messages out of order, an empty chain, or application data are EMALFORMED_RECORD', async (t) => {
  t.equal(outcome(() => open([handshake(certificate)])), 'EMALFORMED_RECORD', 'Certificate before EncryptedExtensions');
  t.equal(outcome(() => open([handshake(ee), handshake(certificateVerify)])), 'EMALFORMED_RECORD', 'CertificateVerify without Certificate');
  t.equal(outcome(() => open([handshake(ee), handshake(ee)])), 'EMALFORMED_RECORD', 'EncryptedExtensions twice');
  const emptyChain = new Writer().u8(11).vector(3, (w) => w.vector(1, () => {}).vector(3, () => {})).finish();
  t.equal(outcome(() => open([handshake(ee), handshake(emptyChain)])), 'EMALFORMED_RECORD', 'empty certificate_list');
  t.equal(outcome(() => open([handshake(ee), { contentType: 23, content: Uint8Array.of(1) }])), 'EMALFORMED_RECORD', 'application data before Finished');
  t.equal(outcome(() => open([{ contentType: 0, content: new Uint8Array(0), padding: 10 }])), 'EMALFORMED_RECORD', 'a plaintext of zeros only');
  t.equal(outcome(() => open([{ contentType: 22, content: new Uint8Array(0) }])), 'EMALFORMED_RECORD', 'an empty handshake fragment');
});

t.test('a Finished with no certificate ends a (PSK) flight', async (t) => {
  const flight = open([handshake(ee), handshake(finished)]);
  t.strictSame(flight.kind === 'flight' && [flight.finished, flight.certificates.length, flight.certificateVerify], [true, 0, null]);
});

t.test('the signature: tampered is false, an unknown scheme null, a scheme for another key type false', async (t) => {
  const withScheme = (scheme: number, flip = false): Uint8Array => {
    const cv = certificateVerify.slice();
    cv[4] = scheme >> 8;
    cv[5] = scheme & 0xff;
    if (flip) cv[20]! ^= 1;
    return cv;
  };
  const verdict = (cv: Uint8Array): boolean | null | string => {
    const flight = open([handshake(ee), handshake(certificate), handshake(cv)]);
    return flight.kind === 'flight' ? flight.signatureValid : flight.kind;
  };
  t.equal(verdict(withScheme(0x0804, true)), false, 'one bit of the signature flipped');
  t.equal(verdict(withScheme(0x0805)), false, 'rsa_pss_rsae_sha384: same key, other hash');
  t.equal(verdict(withScheme(0x0403)), false, 'ecdsa_secp256r1_sha256 with an RSA key');
  t.equal(verdict(withScheme(0x0807)), false, 'ed25519 with an RSA key');
  t.equal(verdict(withScheme(0x0904)), null, 'mldsa44: not checkable here');
  t.equal(verdict(withScheme(0xfefe)), null, 'an unassigned codepoint');
});

t.test('a CertificateRequest is read and enters the transcript (the RFC signature no longer matches)', async (t) => {
  const request = new Writer()
    .u8(13)
    .vector(3, (w) => w.vector(1, () => {}).vector(2, (x) => x.u16(13).vector(2, (v) => v.vector(2, (l) => l.u16(0x0804)))))
    .finish();
  const flight = open([handshake(ee), handshake(request), handshake(certificate), handshake(certificateVerify)]);
  if (flight.kind !== 'flight') return t.fail(flight.kind);
  t.strictSame(flight.certificateRequest?.signatureAlgorithms, [0x0804]);
  t.equal(flight.signatureValid, false);
});

t.test('every cut of a record, and records too short or too long, are typed errors', async (t) => {
  const [record] = sealRecords(suite, serverSecret, [handshake(concat([ee, certificate, certificateVerify]))]);
  const seen = new Set<string>();
  for (let end = 0; end < record!.length; end++) {
    seen.add(outcome(() => openServerFlight({ clientHello, serverHello, sharedSecret, records: [record!.subarray(0, end)] })));
  }
  t.strictSame([...seen].sort(), ['EDECRYPT', 'EMALFORMED_RECORD'], 'a cut record fails its tag, or cannot even hold one');
  const huge = new Uint8Array(16384 + 256 + 1);
  t.equal(outcome(() => openServerFlight({ clientHello, serverHello, sharedSecret, records: [huge] })), 'EMALFORMED_RECORD', 'over 2^14 + 256 bytes');
});

t.test('a ServerHello that is not TLS 1.3 or names a suite that cannot be opened', async (t) => {
  const rsaSuite = serverHello.slice();
  rsaSuite.set([0x00, 0x9c], 4 + 2 + 32 + 1); // TLS_RSA_WITH_AES_128_GCM_SHA256 in place of 0x1301
  t.equal(outcome(() => openServerFlight({ clientHello, serverHello: rsaSuite, sharedSecret, records: [] })), 'EUNSUPPORTED_SUITE');
  const retry = readHexFixture('rfc8448-s5-hello-retry-request.hex');
  t.equal(outcome(() => openServerFlight({ clientHello, serverHello: retry, sharedSecret, records: [] })), 'EMALFORMED_RECORD', 'a HelloRetryRequest');
  for (let end = 0; end < serverHello.length; end++) {
    const got = outcome(() => openServerFlight({ clientHello, serverHello: serverHello.subarray(0, end), sharedSecret, records: [] }));
    if (got.startsWith('threw')) t.fail(`ServerHello cut at ${end}: ${got}`);
  }
});
