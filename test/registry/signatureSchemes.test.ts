/**
 * The signature scheme table against the IANA export (fixtures/iana/tls-signaturescheme.csv):
 * registered schemes by exact name, legacy TLS 1.2 pairs only where the registry reserves them,
 * and an offer list that holds each scheme once, modern schemes first.
 */

import t from 'tap';
import { OFFERED_SIGNATURE_SCHEMES, SIGNATURE_SCHEMES, signatureSchemeById } from '../../src/registry/signatureSchemes.js';
import { readRegistry, signatureSchemeAssignments } from './ianaCsv.js';

const hex = (id: number): string => `0x${id.toString(16).padStart(4, '0')}`;
const assigned = signatureSchemeAssignments();
const assignedIds = new Set(assigned.map((a) => a.id));

t.test('every IANA-assigned scheme is present under its IANA name', async (t) => {
  t.ok(readRegistry('tls-signaturescheme.csv').some((r) => r.value === '0x0204-0x0400'), 'ranges are rows of their own');
  t.ok(assigned.length >= 30, `${assigned.length} assignments`);
  for (const { id, name } of assigned) {
    t.equal(signatureSchemeById(id)?.name, name, `${hex(id)} ${name}`);
    t.equal(signatureSchemeById(id)?.iana_registered, true);
  }
});

t.test('the only other entries are TLS 1.2 pairs the registry reserves for backward compatibility', async (t) => {
  const reserved = new Set(
    readRegistry('tls-signaturescheme.csv').flatMap(({ value, description }) => {
      const single = /^0x([0-9A-F]{4})$/.exec(value);
      const range = /^0x([0-9A-F]{4})-0x([0-9A-F]{4})$/.exec(value);
      if (!/^Reserved for backward compatibility/.test(description)) return [];
      if (single) return [parseInt(single[1]!, 16)];
      if (!range) return [];
      const from = parseInt(range[1]!, 16);
      return Array.from({ length: parseInt(range[2]!, 16) - from + 1 }, (_, i) => from + i);
    }),
  );
  const legacy = SIGNATURE_SCHEMES.filter((s) => !assignedIds.has(s.id));
  t.same(legacy.map((s) => s.id), [0x0101, 0x0202, 0x0301, 0x0302, 0x0303, 0x0402, 0x0502, 0x0602, 0x0840, 0x0841]);
  for (const s of legacy) {
    t.ok(reserved.has(s.id), `${hex(s.id)} ${s.name} is reserved for backward compatibility`);
    t.equal(s.iana_registered, false);
    t.same(s.versions, ['TLSv1.2']);
  }
});

t.test('the table is sorted and without duplicates', async (t) => {
  const ids = SIGNATURE_SCHEMES.map((s) => s.id);
  t.same(ids, [...ids].sort((a, b) => a - b));
  t.equal(new Set(ids).size, ids.length);
  t.equal(new Set(SIGNATURE_SCHEMES.map((s) => s.name)).size, ids.length);
  t.equal(signatureSchemeById(0xfe00), undefined, 'private use is unknown');
});

t.test('hash and signature of well-known schemes', async (t) => {
  t.match(signatureSchemeById(0x0403), { name: 'ecdsa_secp256r1_sha256', hash: 'sha256', signature: 'ecdsa', versions: ['TLSv1.2', 'TLSv1.3'] });
  t.match(signatureSchemeById(0x0804), { name: 'rsa_pss_rsae_sha256', hash: 'sha256', signature: 'rsa_pss_rsae' });
  t.match(signatureSchemeById(0x080b), { name: 'rsa_pss_pss_sha512', hash: 'sha512', signature: 'rsa_pss_pss' });
  t.match(signatureSchemeById(0x0201), { name: 'rsa_pkcs1_sha1', hash: 'sha1', signature: 'rsa_pkcs1' });
  t.match(signatureSchemeById(0x0807), { name: 'ed25519', hash: 'intrinsic', signature: 'ed25519' });
  t.match(signatureSchemeById(0x0202), { name: 'dsa_sha1', hash: 'sha1', signature: 'dsa', versions: ['TLSv1.2'] });
  t.match(signatureSchemeById(0x0303), { name: 'ecdsa_sha224', hash: 'sha224', signature: 'ecdsa' });
  t.match(signatureSchemeById(0x0101), { name: 'rsa_pkcs1_md5', hash: 'md5' });
  t.match(signatureSchemeById(0x081a), { hash: 'sha256', signature: 'ecdsa', versions: ['TLSv1.3'] });
  t.match(signatureSchemeById(0x0905), { name: 'mldsa65', signature: 'mldsa', versions: ['TLSv1.3'] });
  t.match(signatureSchemeById(0x0708), { name: 'sm2sig_sm3', hash: 'sm3', signature: 'sm2' });
});

t.test('the offer list holds every scheme once, strongest common schemes first', async (t) => {
  const offered = OFFERED_SIGNATURE_SCHEMES.map((s) => s.id);
  t.equal(new Set(offered).size, offered.length, 'no repeats');
  t.same([...offered].sort((a, b) => a - b), SIGNATURE_SCHEMES.map((s) => s.id), 'every scheme offered');
  t.same(offered.slice(0, 8), [0x0403, 0x0503, 0x0603, 0x0804, 0x0805, 0x0806, 0x0807, 0x0808]);
  const at = (id: number): number => offered.indexOf(id);
  t.ok(at(0x080b) < at(0x0401) && at(0x0601) < at(0x0303), 'PSS before PKCS#1, PKCS#1 SHA-2 before SHA-224');
  t.ok(at(0x0301) < at(0x0201) && at(0x0201) < at(0x0402), 'SHA-224 before SHA-1 before DSA');
  t.ok(offered.length * 2 + 2 <= 0xffff, 'fits the 16-bit vector length');
});
