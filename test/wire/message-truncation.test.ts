/**
 * The message decoders on cut-short bodies: every proper prefix of every real ServerHello,
 * Certificate, CertificateRequest and DER certificate is DecodeError('malformed') (a body handed
 * over whole by the stream cannot "need more bytes"), never another exception and never a
 * silently shorter result. Two prefixes are legitimately complete and are checked as such: a
 * ServerHello cut right before its extensions (extensions are optional before TLS 1.3), and a
 * ServerKeyExchange cut anywhere in its signature (the parameters are all a scanner reads).
 */
import t from 'tap';
import { certificateSignatureOid } from '../../src/wire/asn1.js';
import { decodeServerFlight } from '../../src/wire/records.js';
import { decodeCertificateList, decodeCertificateRequest12, decodeServerHello, decodeServerKeyExchange } from '../../src/wire/serverMessages.js';
import { HandshakeType } from '../../src/registry/handshake.js';
import { decodeOutcome } from './decodeOutcome.js';
import { allServerStreams, capturedFlights } from './fixtures.js';

/** Offsets of `body` whose prefix is not 'malformed', with the outcome. */
function nonMalformedPrefixes(body: Uint8Array, decode: (b: Uint8Array) => unknown): string[] {
  const out: string[] = [];
  for (let n = 0; n < body.length; n++) {
    const outcome = decodeOutcome(() => decode(body.subarray(0, n)));
    if (outcome !== 'malformed') out.push(`${n}: ${outcome}`);
  }
  return out;
}

const messages = allServerStreams().flatMap(({ name, bytes }) =>
  decodeServerFlight(bytes).flatMap((e) => (e.kind === 'handshake' ? [{ name, msgType: e.msgType, body: e.body }] : [])),
);

t.test('a ServerHello cut short is malformed, except exactly before the extensions block', async (t) => {
  const hellos = messages.filter((m) => m.msgType === HandshakeType.serverHello);
  t.ok(hellos.length >= 10);
  for (const { name, body } of hellos) {
    const beforeExtensions = 2 + 32 + 1 + body[34]! + 2 + 1;
    t.strictSame(nonMalformedPrefixes(body, decodeServerHello), [`${beforeExtensions}: ok`], name);
  }
});

t.test('a Certificate message cut short is malformed, and so is every DER certificate in it', async (t) => {
  const lists = messages.filter((m) => m.msgType === HandshakeType.certificate);
  t.ok(lists.length >= 10);
  for (const { name, body } of lists) {
    t.strictSame(nonMalformedPrefixes(body, decodeCertificateList), [], `${name}: Certificate`);
    for (const der of decodeCertificateList(body)) {
      t.strictSame(nonMalformedPrefixes(der, certificateSignatureOid), [], `${name}: certificate of ${der.length} bytes`);
    }
  }
});

t.test('a CertificateRequest cut short is malformed, not an empty CA list', async (t) => {
  const requests = messages.filter((m) => m.msgType === HandshakeType.certificateRequest);
  t.ok(requests.length >= 1);
  for (const { name, body } of requests) t.strictSame(nonMalformedPrefixes(body, decodeCertificateRequest12), [], name);
});

t.test('a ServerKeyExchange is malformed when cut inside its parameters and reads the same parameters after', async (t) => {
  let checked = 0;
  for (const flight of capturedFlights()) {
    const kind = flight.expect.keyExchange?.kind;
    if (!kind) continue;
    const event = decodeServerFlight(flight.bytes).find((e) => e.kind === 'handshake' && e.msgType === HandshakeType.serverKeyExchange);
    if (event?.kind !== 'handshake') continue;
    const body = event.body;
    const full = JSON.stringify(decodeServerKeyExchange(body, kind));
    const paramsLength = kind === 'ecdhe' ? 4 + body[3]! : dhParamsLength(body);
    const problems: string[] = [];
    for (let n = 0; n < body.length; n++) {
      let decoded: unknown;
      const outcome = decodeOutcome(() => (decoded = decodeServerKeyExchange(body.subarray(0, n), kind)));
      if (n < paramsLength && outcome !== 'malformed') problems.push(`${n}: ${outcome}`);
      if (n >= paramsLength && (outcome !== 'ok' || JSON.stringify(decoded) !== full)) problems.push(`${n}: ${outcome}, other parameters`);
    }
    t.strictSame(problems, [], flight.file);
    checked++;
  }
  t.ok(checked >= 8, `${checked} ServerKeyExchange messages`);
});

/** ServerDHParams: three uint16-prefixed values (RFC 5246 §7.4.3). */
function dhParamsLength(body: Uint8Array): number {
  let at = 0;
  for (let i = 0; i < 3; i++) at += 2 + ((body[at]! << 8) | body[at + 1]!);
  return at;
}
