/**
 * certificateSignatureOid and decodeOid: the outer signatureAlgorithm of the fixture certificates
 * (fixtures/certs, all signed by the RSA test CA with SHA-256) and well-known OIDs decode to
 * dotted form; an OID whose last arc is cut short, an empty OID and DER that is not a
 * certificate are malformed rather than a different answer.
 */
import { readFileSync, readdirSync } from 'node:fs';
import t from 'tap';
import { certificateSignatureOid, decodeOid } from '../../src/wire/asn1.js';
import { fromHex } from '../../src/wire/bytes.js';
import { decodeOutcome } from './decodeOutcome.js';

const certsDir = new URL('../../../fixtures/certs/', import.meta.url);

function pemCertificates(file: string): Uint8Array[] {
  const text = readFileSync(new URL(file, certsDir), 'utf8');
  return [...text.matchAll(/-----BEGIN CERTIFICATE-----([^-]+)-----END CERTIFICATE-----/g)].map((m) => new Uint8Array(Buffer.from(m[1]!, 'base64')));
}

t.test('every fixture certificate is sha256WithRSAEncryption', async (t) => {
  const files = readdirSync(certsDir).filter((f) => f.endsWith('.pem') && !f.startsWith('dh'));
  t.ok(files.length >= 5);
  for (const file of files) {
    for (const der of pemCertificates(file)) t.equal(certificateSignatureOid(der), '1.2.840.113549.1.1.11', file);
  }
});

t.test('well-known OIDs decode to dotted form, including a first arc of 2 and multi-byte arcs', async (t) => {
  t.equal(decodeOid(fromHex('2a864886f70d01010b')), '1.2.840.113549.1.1.11');
  t.equal(decodeOid(fromHex('2a8648ce3d040302')), '1.2.840.10045.4.3.2');
  t.equal(decodeOid(fromHex('608648016503040311')), '2.16.840.1.101.3.4.3.17');
  t.equal(decodeOid(fromHex('2b6570')), '1.3.101.112');
});

t.test('an OID that ends inside an arc, or is empty, is malformed', async (t) => {
  t.equal(decodeOutcome(() => decodeOid(fromHex('2a864886f70d0101'))), 'ok', 'a shorter but complete OID');
  t.equal(decodeOutcome(() => decodeOid(fromHex('2a864886f7'))), 'malformed', 'cut inside 113549');
  t.equal(decodeOutcome(() => decodeOid(fromHex(''))), 'malformed');
});

t.test('DER that is not a certificate is malformed', async (t) => {
  t.equal(decodeOutcome(() => certificateSignatureOid(fromHex('0400'))), 'malformed', 'not a SEQUENCE');
  t.equal(decodeOutcome(() => certificateSignatureOid(fromHex('3080'))), 'malformed', 'indefinite length');
  t.equal(decodeOutcome(() => certificateSignatureOid(fromHex('3084ffffffff'))), 'malformed', 'a 4 GiB length');
  t.equal(decodeOutcome(() => certificateSignatureOid(fromHex('30053003020101'))), 'malformed', 'no signatureAlgorithm');
});
