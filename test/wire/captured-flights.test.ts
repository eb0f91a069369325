/**
 * Real servers' first flights (fixtures/wire/*.hex, captured by bench/capture-flights.ts) decode
 * to what each server was configured to send, as flights.json records: the event sequence, the
 * negotiated version and suite, the key share or HelloRetryRequest group, the certificate count
 * and leaf signature algorithm, the ECDHE group or DH prime size, the CertificateRequest's CA
 * names, or the alert.
 */
import t, { type Test } from 'tap';
import { certificateSignatureOid } from '../../src/wire/asn1.js';
import { decodeServerFlight, type ServerEvent } from '../../src/wire/records.js';
import { decodeCertificateList, decodeCertificateRequest12, decodeServerHello, decodeServerKeyExchange } from '../../src/wire/serverMessages.js';
import { HandshakeType } from '../../src/registry/handshake.js';
import { capturedFlights, hexFixtureFiles, recordSpans, type CapturedFlight } from './fixtures.js';

const flights = capturedFlights();

function eventName(e: ServerEvent): string {
  return e.kind === 'handshake' ? `handshake:${e.msgType}` : e.kind;
}

function handshake(events: ServerEvent[], msgType: number): Uint8Array | undefined {
  const e = events.find((x) => x.kind === 'handshake' && x.msgType === msgType);
  return e?.kind === 'handshake' ? e.body : undefined;
}

t.test('every captured .hex file is described in flights.json', async (t) => {
  const described = new Set(flights.map((f) => f.file));
  const captured = hexFixtureFiles().filter((f) => !f.startsWith('rfc8448-'));
  t.strictSame(captured.filter((f) => !described.has(f)), [], 'no undescribed captures');
  t.ok(flights.length >= 10, `${flights.length} flights`);
});

for (const flight of flights) {
  t.test(`${flight.file}: ${flight.what}`, async (t) => checkFlight(t, flight));
}

async function checkFlight(t: Test, { bytes, expect }: CapturedFlight): Promise<void> {
  const events = decodeServerFlight(bytes);
  const names = events.map(eventName);
  if (expect.events) t.strictSame(names, expect.events, 'events');
  if (expect.eventsPrefix) t.strictSame(names.slice(0, expect.eventsPrefix.length), expect.eventsPrefix, 'first events');

  if (expect.alert) {
    const alert = events.find((e) => e.kind === 'alert');
    t.strictSame(alert, { kind: 'alert', ...expect.alert }, 'alert');
  }

  const serverHelloBody = handshake(events, HandshakeType.serverHello);
  if (expect.version !== undefined) {
    t.ok(serverHelloBody, 'has a ServerHello');
    const hello = decodeServerHello(serverHelloBody!);
    t.equal(hello.version, expect.version, 'version');
    t.equal(hello.cipherSuite, expect.cipherSuite, 'cipher suite');
    t.equal(hello.compressionMethod, 0, 'null compression');
    if (expect.isHelloRetryRequest !== undefined) t.equal(hello.isHelloRetryRequest, expect.isHelloRetryRequest, 'HelloRetryRequest');
    if (expect.keyShareGroup !== undefined) t.equal(hello.keyShareGroup, expect.keyShareGroup, 'key share group');
    if (expect.extendedMasterSecret !== undefined) t.equal(hello.extendedMasterSecret, expect.extendedMasterSecret, 'extended_master_secret');
    if (expect.secureRenegotiation !== undefined) t.equal(hello.secureRenegotiation, expect.secureRenegotiation, 'renegotiation_info');
  }

  if (expect.certificates !== undefined) {
    const certificates = decodeCertificateList(handshake(events, HandshakeType.certificate)!);
    t.equal(certificates.length, expect.certificates, 'certificates');
    // Every fixture certificate is signed by the RSA test CA with SHA-256 (fixtures/certs/generate.sh).
    for (const der of certificates) t.equal(certificateSignatureOid(der), '1.2.840.113549.1.1.11', 'signature algorithm');
    if (expect.leafSignatureOid) t.equal(certificateSignatureOid(certificates[0]!), expect.leafSignatureOid, 'leaf signature algorithm');
  }

  const kx = expect.keyExchange;
  if (kx) {
    const decoded = decodeServerKeyExchange(handshake(events, HandshakeType.serverKeyExchange)!, kx.kind);
    if (kx.kind === 'ecdhe' && decoded.kind === 'ecdhe') {
      t.equal(decoded.curveType, 3, 'named_curve');
      t.equal(decoded.namedGroup, kx.namedGroup, 'named group');
      t.equal(decoded.publicKeyLength, kx.publicKeyLength, 'public key length');
    } else if (kx.kind === 'dhe' && decoded.kind === 'dhe') {
      t.equal(decoded.primeBits, kx.primeBits, 'DH prime bits');
      t.strictSame([...decoded.generator], [kx.generator], 'generator');
      t.equal(decoded.prime[decoded.prime.length - 1]! & 1, 1, 'the prime is odd');
      t.equal(decoded.publicKeyLength <= decoded.prime.length, true, 'public value no longer than the prime');
    } else t.fail(`decoded ${decoded.kind}, expected ${kx.kind}`);
  } else if (expect.events) {
    t.notOk(expect.events.includes('handshake:12'), 'a ServerKeyExchange is always described');
  }

  if (expect.certificateRequest) {
    const request = decodeCertificateRequest12(handshake(events, HandshakeType.certificateRequest)!);
    t.equal(request.caNames.length, expect.certificateRequest.caNames, 'CA names');
    const text = new TextDecoder('latin1').decode(request.caNames[0]);
    t.match(text, expect.certificateRequest.caNameContains, 'CA name is the test CA');
    t.ok(request.certificateTypes.includes(1), 'rsa_sign offered');
  }

  if (expect.messageSpansRecords !== undefined) {
    t.ok(longestMessageSpan(bytes) >= expect.messageSpansRecords, `a handshake message spans >= ${expect.messageSpansRecords} records`);
  }
}

/** The most records any one handshake message touches, from the record layout alone. */
function longestMessageSpan(stream: Uint8Array): number {
  const owners: number[] = []; // record index of each handshake byte, in order
  recordSpans(stream).forEach((span, index) => {
    if (span.type === 22) for (let i = span.start + 5; i < span.end; i++) owners.push(index);
  });
  const payload = concatHandshake(stream);
  let longest = 0;
  for (let at = 0; at + 4 <= payload.length; ) {
    const end = at + 4 + ((payload[at + 1]! << 16) | (payload[at + 2]! << 8) | payload[at + 3]!);
    longest = Math.max(longest, owners[end - 1]! - owners[at]! + 1);
    at = end;
  }
  return longest;
}

function concatHandshake(stream: Uint8Array): Uint8Array {
  const parts = recordSpans(stream)
    .filter((s) => s.type === 22)
    .map((s) => stream.subarray(s.start + 5, s.end));
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}
