/**
 * The cipher suite table against its two sources: every assignment in the IANA export
 * (fixtures/iana/tls-parameters-4.csv) under its exact name, and every suite `openssl ciphers -V`
 * of OpenSSL 3.0.19 lists (fixtures/openssl-ciphers.txt) with the same name, Kx/Au/Enc/Mac and
 * minimum version; then spot checks of the properties a FIPS policy reads.
 */

import { readFileSync } from 'node:fs';
import t from 'tap';
import {
  CIPHER_SUITES,
  TLS_EMPTY_RENEGOTIATION_INFO_SCSV,
  TLS_FALLBACK_SCSV,
  cipherSuiteById,
  suitesForVersion,
  type CipherSuite,
} from '../../src/registry/cipherSuites.js';
import type { ProtocolName } from '../../src/registry/versions.js';
import { FIXTURES, cipherSuiteAssignments, readRegistry } from './ianaCsv.js';

const hex = (id: number): string => `0x${id.toString(16).padStart(4, '0')}`;
const assigned = cipherSuiteAssignments();
const assignedIds = new Set(assigned.map((a) => a.id));

t.test('the fixture CSV is read as IANA wrote it', async (t) => {
  const rows = readRegistry('tls-parameters-4.csv');
  const multiLine = rows.find((r) => r.value === '0x00,0x47-4F');
  t.match(multiLine?.description, /Reserved to avoid conflicts with\s+deployed implementations/, 'quoted field with a line break stays one row');
  t.ok(rows.some((r) => r.value === '0x00,0x1C-1D'), 'ranges are rows of their own');
  t.equal(assigned.find((a) => a.id === 0x0001)?.name, 'TLS_RSA_WITH_NULL_MD5');
  t.notOk(assignedIds.has(0x0a0a), 'GREASE is reserved, not assigned');
  t.equal(assigned.length, assignedIds.size, 'no codepoint assigned twice');
  t.ok(assigned.length > 340, `${assigned.length} assignments`);
});

t.test('every IANA-assigned codepoint is present under exactly its IANA name', async (t) => {
  for (const { id, name } of assigned) {
    const s = cipherSuiteById(id);
    t.equal(s?.iana, name, `${hex(id)} ${name}`);
    t.equal(s?.iana_registered, true, `${hex(id)} flagged registered`);
  }
});

t.test('only IANA-assigned codepoints are flagged registered; extras stay out of assigned space', async (t) => {
  for (const s of CIPHER_SUITES) {
    t.equal(s.iana_registered, assignedIds.has(s.id), `${hex(s.id)} ${s.iana}`);
  }
  const extras = CIPHER_SUITES.filter((s) => !s.iana_registered).map((s) => s.id);
  t.same(extras, [
    0x0060, 0x0061, 0x0062, 0x0063, 0x0064, 0x0065, 0x0066, 0x0080, 0x0081, 0x0082, 0x0083, 0x16b7, 0x16b8, 0x16b9, 0x16ba, 0xcc13, 0xcc14, 0xcc15, 0xfefe,
    0xfeff, 0xff85, 0xff87, 0xffa0, 0xffa1, 0xffa2, 0xffa3, 0xffa4, 0xffa5, 0xffa6, 0xffa7, 0xffc0, 0xffc1, 0xffc2, 0xffc3, 0xffc4, 0xffc5, 0xffc6, 0xffc7,
    0xffc8, 0xffc9, 0xffca, 0xffcb, 0xffcc, 0xffcd, 0xffe0, 0xffe1,
  ]);
  for (const s of CIPHER_SUITES) {
    if (s.iana_registered) t.equal(s.source, null, `${hex(s.id)} registered: no source`);
    else t.match(s.source, /\w{8}/, `${hex(s.id)} ${s.iana}: names where the codepoint comes from`);
  }
});

t.test('codepoints a shipped stack implements outside the registry are offered in TLS 1.2', async (t) => {
  const tls12 = new Set(suitesForVersion('TLSv1.2').map((s) => s.id));
  // Botan 2 (CECPQ1, OCB), BoringSSL's CECPQ1 and the ChaCha20 draft suites: each is probed.
  for (const id of [0x16b7, 0x16b8, 0x16b9, 0x16ba, 0xffc0, 0xffc2, 0xffcc, 0xffa1, 0xcc13, 0xcc14, 0xcc15]) t.ok(tls12.has(id), `${hex(id)} offered`);
  t.match(cipherSuiteById(0x16b9), { kx: 'CECPQ1', auth: 'RSA', encryption: 'AES', mode: 'GCM', bits: 256, mac: 'AEAD', source: /CECPQ1/ });
  t.match(cipherSuiteById(0xffc2), { kx: 'ECDHE', auth: 'RSA', encryption: 'AES', mode: 'OCB', bits: 128, mac: 'AEAD', versions: ['TLSv1.2'] });
});

t.test('the table is sorted, has no duplicate codepoints or names, and lookups agree with it', async (t) => {
  const ids = CIPHER_SUITES.map((s) => s.id);
  t.same(ids, [...ids].sort((a, b) => a - b), 'sorted by codepoint');
  t.equal(new Set(ids).size, ids.length, 'codepoints unique');
  t.equal(new Set(CIPHER_SUITES.map((s) => s.iana)).size, ids.length, 'names unique');
  const opensslNames = CIPHER_SUITES.flatMap((s) => (s.openssl === null ? [] : [s.openssl]));
  t.equal(new Set(opensslNames).size, opensslNames.length, 'OpenSSL names unique');
  for (const s of CIPHER_SUITES) t.equal(cipherSuiteById(s.id), s);
  t.equal(cipherSuiteById(0x0a0a), undefined, 'GREASE is unknown');
  t.equal(cipherSuiteById(0x10000 + 0x2f), undefined);
  t.ok(Object.isFrozen(CIPHER_SUITES) && Object.isFrozen(CIPHER_SUITES[0]), 'frozen');
});

interface OpensslLine {
  id: number;
  name: string;
  version: string;
  kx: string;
  au: string;
  enc: string;
  mac: string;
}

const opensslLines: OpensslLine[] = readFileSync(new URL('openssl-ciphers.txt', FIXTURES), 'utf8')
  .split('\n')
  .flatMap((line) => {
    const m = /^\s*0x([0-9A-F]{2}),0x([0-9A-F]{2}) - (\S+)\s+(\S+)\s+Kx=(\S+)\s+Au=(\S+)\s+Enc=(\S+)\s+Mac=(\S+)/.exec(line);
    return m ? [{ id: parseInt(m[1]! + m[2]!, 16), name: m[3]!, version: m[4]!, kx: m[5]!, au: m[6]!, enc: m[7]!, mac: m[8]! }] : [];
  });

t.test('OpenSSL names match `openssl ciphers -V` of OpenSSL 3.0.19 for every suite it lists', async (t) => {
  t.ok(opensslLines.length >= 160, `${opensslLines.length} lines read`);
  for (const o of opensslLines) t.equal(cipherSuiteById(o.id)?.openssl, o.name, `${hex(o.id)} ${o.name}`);
});

/** How OpenSSL prints our properties. */
function asOpenssl(s: CipherSuite): Omit<OpensslLine, 'id' | 'name' | 'version'> {
  const kx: Record<string, string> = { RSA: 'RSA', DH: 'DH', DHE: 'DH', ECDH: 'ECDH', ECDHE: 'ECDH', PSK: 'PSK', RSA_PSK: 'RSAPSK', DHE_PSK: 'DHEPSK', ECDHE_PSK: 'ECDHEPSK', SRP: 'SRP', ANY: 'any' };
  const cipher: Record<string, string> = { AES: 'AES', CAMELLIA: 'Camellia', ARIA: 'ARIA' };
  const mode: Record<string, string> = { CBC: '', GCM: 'GCM', CCM: 'CCM', CCM_8: 'CCM8' };
  let enc = `${cipher[s.encryption]}${mode[s.mode]}(${s.bits})`;
  if (s.encryption === 'NULL') enc = 'None';
  if (s.mode === 'CHACHA20_POLY1305') enc = 'CHACHA20/POLY1305(256)';
  const au = s.auth === 'anon' ? 'None' : s.auth === 'ANY' ? 'any' : s.auth;
  return { kx: kx[s.kx] ?? s.kx, au, enc, mac: s.mac === 'SHA' ? 'SHA1' : s.mac };
}

t.test('derived properties agree with OpenSSL Kx/Au/Enc/Mac for every suite it lists', async (t) => {
  for (const o of opensslLines) {
    const s = cipherSuiteById(o.id)!;
    t.same(asOpenssl(s), { kx: o.kx, au: o.au, enc: o.enc, mac: o.mac }, `${hex(o.id)} ${o.name}`);
  }
});

t.test("each suite is offered from OpenSSL's minimum version on", async (t) => {
  const min: Record<string, ProtocolName> = { SSLv3: 'SSLv3', TLSv1: 'TLSv1.0', 'TLSv1.2': 'TLSv1.2', 'TLSv1.3': 'TLSv1.3' };
  for (const o of opensslLines) {
    const s = cipherSuiteById(o.id)!;
    const from = min[o.version];
    t.ok(from !== undefined && s.versions.includes(from), `${hex(o.id)} ${o.name} offered in ${o.version}`);
    if (o.version === 'TLSv1.3') t.same(s.versions, ['TLSv1.3']);
    if (o.version === 'TLSv1.2') t.notOk(s.versions.includes('TLSv1.1'), `${o.name} not offered before TLS 1.2`);
  }
});

t.test('spot checks of well-known suites', async (t) => {
  const legacy: ProtocolName[] = ['SSLv3', 'TLSv1.0', 'TLSv1.1', 'TLSv1.2'];
  const cases: [number, Partial<CipherSuite>][] = [
    [0x0000, { iana: 'TLS_NULL_WITH_NULL_NULL', kx: 'NULL', auth: 'NULL', encryption: 'NULL', mode: 'NULL', bits: 0, mac: 'NULL' }],
    [0x0003, { openssl: 'EXP-RC4-MD5', kx: 'RSA_EXPORT', encryption: 'RC4', mode: 'STREAM', bits: 40, mac: 'MD5', export: true, versions: legacy }],
    [0x0004, { openssl: 'RC4-MD5', encryption: 'RC4', mode: 'STREAM', bits: 128, mac: 'MD5', export: false }],
    [0x0006, { openssl: 'EXP-RC2-CBC-MD5', encryption: 'RC2', mode: 'CBC', bits: 40, export: true }],
    [0x0008, { openssl: 'EXP-DES-CBC-SHA', encryption: 'DES40', mode: 'CBC', bits: 40, mac: 'SHA', export: true }],
    [0x0009, { openssl: 'DES-CBC-SHA', encryption: 'DES', bits: 56 }],
    [0x000a, { openssl: 'DES-CBC3-SHA', kx: 'RSA', auth: 'RSA', encryption: '3DES', mode: 'CBC', bits: 168, mac: 'SHA', versions: legacy }],
    [0x0016, { openssl: 'EDH-RSA-DES-CBC3-SHA', kx: 'DHE', auth: 'RSA' }],
    [0x0018, { openssl: 'ADH-RC4-MD5', kx: 'DH', auth: 'anon' }],
    [0x0026, { kx: 'KRB5', auth: 'KRB5', encryption: 'DES40', bits: 40, export: true }],
    [0x002f, { openssl: 'AES128-SHA', encryption: 'AES', mode: 'CBC', bits: 128, mac: 'SHA', versions: legacy }],
    [0x0060, { openssl: 'EXP1024-RC4-MD5', kx: 'RSA_EXPORT', bits: 56, export: true, iana_registered: false }],
    [0x0063, { openssl: 'EXP1024-DHE-DSS-DES-CBC-SHA', kx: 'DHE', auth: 'DSS', encryption: 'DES', bits: 56, export: true }],
    [0x0081, { openssl: 'GOST2001-GOST89-GOST89', kx: 'GOST', encryption: 'GOST28147', mode: 'CTR', mac: 'GOST' }],
    [0x009c, { openssl: 'AES128-GCM-SHA256', kx: 'RSA', mode: 'GCM', bits: 128, mac: 'AEAD', versions: ['TLSv1.2'] }],
    [0x00ae, { kx: 'PSK', mode: 'CBC', mac: 'SHA256', versions: ['TLSv1.0', 'TLSv1.1', 'TLSv1.2'] }],
    [0x00c6, { iana: 'TLS_SM4_GCM_SM3', kx: 'ANY', encryption: 'SM4', mode: 'GCM', bits: 128, versions: ['TLSv1.3'] }],
    [0x00c7, { encryption: 'SM4', mode: 'CCM', versions: ['TLSv1.3'] }],
    [0x1301, { iana: 'TLS_AES_128_GCM_SHA256', kx: 'ANY', auth: 'ANY', encryption: 'AES', mode: 'GCM', bits: 128, mac: 'AEAD', versions: ['TLSv1.3'] }],
    [0x1303, { encryption: 'CHACHA20', mode: 'CHACHA20_POLY1305', bits: 256, versions: ['TLSv1.3'] }],
    [0x1304, { mode: 'CCM', versions: ['TLSv1.3'] }],
    [0x1305, { mode: 'CCM_8', versions: ['TLSv1.3'] }],
    [0x1306, { encryption: 'AEGIS', mode: 'OTHER', bits: 256, mac: 'AEAD', versions: ['TLSv1.3'] }],
    [0x1307, { encryption: 'AEGIS', bits: 128, versions: ['TLSv1.3'] }],
    [0xc011, { openssl: 'ECDHE-RSA-RC4-SHA', kx: 'ECDHE', auth: 'RSA', encryption: 'RC4' }],
    [0xc01b, { kx: 'SRP', auth: 'RSA', encryption: '3DES' }],
    [0xc02b, { openssl: 'ECDHE-ECDSA-AES128-GCM-SHA256', kx: 'ECDHE', auth: 'ECDSA', mode: 'GCM', versions: ['TLSv1.2'] }],
    [0xc030, { openssl: 'ECDHE-RSA-AES256-GCM-SHA384', kx: 'ECDHE', auth: 'RSA', encryption: 'AES', mode: 'GCM', bits: 256 }],
    [0xc028, { mode: 'CBC', mac: 'SHA384', versions: ['TLSv1.2'] }],
    [0xc09c, { openssl: 'AES128-CCM', mode: 'CCM', mac: 'AEAD', versions: ['TLSv1.2'] }],
    [0xc0a0, { openssl: 'AES128-CCM8', mode: 'CCM_8', mac: 'AEAD' }],
    [0xc0aa, { iana: 'TLS_PSK_DHE_WITH_AES_128_CCM_8', kx: 'DHE_PSK', auth: 'PSK', mode: 'CCM_8' }],
    [0xc0b0, { kx: 'ECCPWD', mode: 'GCM', versions: ['TLSv1.2'] }],
    [0xc0b4, { iana: 'TLS_SHA256_SHA256', encryption: 'NULL', mode: 'NULL', bits: 0, mac: 'SHA256', versions: ['TLSv1.3'] }],
    [0xc0b5, { iana: 'TLS_SHA384_SHA384', mac: 'SHA384', versions: ['TLSv1.3'] }],
    [0xc100, { kx: 'GOST', encryption: 'KUZNYECHIK', mode: 'CTR', bits: 256, mac: 'GOST', versions: ['TLSv1.2'] }],
    [0xc102, { openssl: 'IANA-GOST2012-GOST8912-GOST8912', encryption: 'GOST28147', versions: ['TLSv1.2'] }],
    [0xc103, { kx: 'ANY', auth: 'ANY', encryption: 'KUZNYECHIK', mode: 'MGM', mac: 'AEAD', versions: ['TLSv1.3'] }],
    [0xc106, { encryption: 'MAGMA', mode: 'MGM', versions: ['TLSv1.3'] }],
    [0xcc13, { openssl: 'ECDHE-RSA-CHACHA20-POLY1305-OLD', mode: 'CHACHA20_POLY1305', versions: ['TLSv1.2'], iana_registered: false }],
    [0xcca8, { openssl: 'ECDHE-RSA-CHACHA20-POLY1305', kx: 'ECDHE', mode: 'CHACHA20_POLY1305', mac: 'AEAD', versions: ['TLSv1.2'] }],
    [0xd003, { kx: 'ECDHE_PSK', mode: 'CCM_8', versions: ['TLSv1.2'] }],
    [0xfeff, { iana: 'SSL_RSA_FIPS_WITH_3DES_EDE_CBC_SHA', encryption: '3DES', versions: legacy }],
    [0xff85, { openssl: 'GOST2012-GOST8912-GOST8912', kx: 'GOST', encryption: 'GOST28147' }],
  ];
  for (const [id, want] of cases) t.match(cipherSuiteById(id), want, `${hex(id)} ${cipherSuiteById(id)?.iana}`);
});

t.test('SCSVs are in the table but never offered', async (t) => {
  t.equal(TLS_EMPTY_RENEGOTIATION_INFO_SCSV, 0x00ff);
  t.equal(TLS_FALLBACK_SCSV, 0x5600);
  const scsvs = CIPHER_SUITES.filter((s) => s.scsv).map((s) => s.id);
  t.same(scsvs, [0x00ff, 0x5600]);
  for (const id of scsvs) t.same(cipherSuiteById(id)?.versions, []);
});

t.test('suitesForVersion gives each version its offer list', async (t) => {
  const tls13 = suitesForVersion('TLSv1.3').map((s) => s.id);
  t.same(tls13, [0x006e, 0x006f, 0x0070, 0x0071, 0x00c6, 0x00c7, 0x1301, 0x1302, 0x1303, 0x1304, 0x1305, 0x1306, 0x1307, 0xc0b4, 0xc0b5, 0xc103, 0xc104, 0xc105, 0xc106]);
  t.same(suitesForVersion('SSLv2'), [], 'SSLv2 has its own cipher kinds');
  for (const v of ['SSLv3', 'TLSv1.0', 'TLSv1.1', 'TLSv1.2', 'TLSv1.3'] as const) {
    const list = suitesForVersion(v);
    t.ok(list.every((s) => !s.scsv && s.versions.includes(v)), `${v}: ${list.length} suites, no SCSV`);
    t.same(list, CIPHER_SUITES.filter((s) => !s.scsv && s.versions.includes(v)), `${v}: every suite for the version`);
  }
  const tls12 = new Set(suitesForVersion('TLSv1.2').map((s) => s.id));
  for (const id of [0x0004, 0x000a, 0x002f, 0x009c, 0xc02f, 0xcca8, 0xc0a0, 0xcc13]) t.ok(tls12.has(id), `${hex(id)} offered in TLS 1.2`);
  t.notOk(tls12.has(0x1301), 'TLS 1.3 suites stay out of TLS 1.2');
  const ssl3 = new Set(suitesForVersion('SSLv3').map((s) => s.id));
  t.ok(ssl3.has(0x000a) && ssl3.has(0x0005) && !ssl3.has(0x009c) && !ssl3.has(0xc027));
});
