/**
 * decodeCertificateRequest12 reads both layouts of CertificateRequest: TLS 1.2's, with
 * supported_signature_algorithms before the CA names (RFC 5246 §7.4.4), and TLS 1.0/1.1's without
 * (RFC 4346 §7.4.4). A body that fits neither exactly is malformed, not an empty CA list.
 */
import t from 'tap';
import { concat, hex } from '../../src/wire/bytes.js';
import { decodeCertificateRequest12 } from '../../src/wire/serverMessages.js';
import { decodeOutcome } from './decodeOutcome.js';

const u16 = (v: number) => new Uint8Array([v >> 8, v & 0xff]);
const vec16 = (...parts: Uint8Array[]) => {
  const body = concat(parts);
  return concat([u16(body.length), body]);
};
const nameA = new Uint8Array([0x30, 0x03, 0x31, 0x01, 0x41]);
const nameB = new Uint8Array([0x30, 0x04, 0x31, 0x02, 0x42, 0x42]);
const certificateTypes = new Uint8Array([2, 1, 64]); // rsa_sign, dss_sign... (RFC 5246 §7.4.4)
const types = concat([new Uint8Array([certificateTypes.length]), certificateTypes]);
const algorithms = vec16(u16(0x0401), u16(0x0403), u16(0x0804));
const caList = vec16(vec16(nameA), vec16(nameB));

t.test('the TLS 1.2 layout yields the certificate types and both CA names', async (t) => {
  const request = decodeCertificateRequest12(concat([types, algorithms, caList]));
  t.strictSame(request.certificateTypes, [2, 1, 64]);
  t.strictSame(request.caNames.map(hex), [hex(nameA), hex(nameB)]);
});

t.test('the TLS 1.0/1.1 layout (no signature algorithms) yields the CA names', async (t) => {
  const request = decodeCertificateRequest12(concat([types, caList]));
  t.strictSame(request.caNames.map(hex), [hex(nameA), hex(nameB)]);
});

t.test('an empty CA list is an empty list in either layout', async (t) => {
  t.strictSame(decodeCertificateRequest12(concat([types, algorithms, u16(0)])).caNames, []);
  t.strictSame(decodeCertificateRequest12(concat([types, u16(0)])).caNames, []);
});

t.test('a body that fits neither layout is malformed', async (t) => {
  t.equal(decodeOutcome(() => decodeCertificateRequest12(concat([types, algorithms]))), 'malformed', 'no CA list after the algorithms');
  t.equal(decodeOutcome(() => decodeCertificateRequest12(concat([types, algorithms, caList, new Uint8Array([0])]))), 'malformed', 'trailing byte');
  t.equal(decodeOutcome(() => decodeCertificateRequest12(concat([types, vec16(new Uint8Array([4])), caList]))), 'malformed', 'odd algorithms list');
  t.equal(decodeOutcome(() => decodeCertificateRequest12(concat([types, algorithms, u16(9), vec16(nameA)]))), 'malformed', 'CA list length too long');
  t.equal(decodeOutcome(() => decodeCertificateRequest12(new Uint8Array([5, 1]))), 'malformed', 'types cut short');
});
