import t from 'tap';
import { builtinPolicy, parsePolicy, policyToDocument } from '../../src/policy/index.js';

const strict = builtinPolicy('fips-strict')!;

t.test('a policy extending a built-in keeps every field it does not give', async (t) => {
  const p = parsePolicy(JSON.stringify({ extends: 'fips-strict', id: 'ours', version: '1', groups: { allow: ['P-256', 'secp384r1'] } }), 'ours.json');
  t.same(p.groups, { allow: [0x0017, 0x0018], warn: [] });
  t.equal(p.id, 'ours');
  t.equal(p.version, '1');
  t.equal(p.title, 'ours, based on FIPS strict: TLS 1.2/1.3, AES-GCM suites, P-256');
  t.match(p.basis, /^fips-strict 2026\.12 with changes; Banzai Cloud/);
  const { id, version, title, basis, groups, ...rest } = p;
  const { id: _i, version: _v, title: _t, basis: _b, groups: _g, ...parentRest } = strict;
  t.same(rest, parentRest);
});

t.test('an item-rule object replaces the parent object whole: an omitted warn list is empty', async (t) => {
  const p = parsePolicy(JSON.stringify({ extends: 'fips-strict', id: 'gcm-ecdhe-only', version: '1', tls12Suites: { allow: ['ECDHE-RSA-AES128-GCM-SHA256', '0xC030'] } }), 'x.json');
  t.same(p.tls12Suites, { allow: [0xc02f, 0xc030], warn: [] });
});

t.test('protocols, certificate and require fields override one by one; lists inside replace', async (t) => {
  const p = parsePolicy(
    JSON.stringify({
      extends: 'fips-140-3',
      id: 'tls13-only',
      version: '2',
      protocols: { 'TLSv1.2': 'deny' },
      certificate: { ecCurves: ['P-384'], rsaMinBits: 3072 },
      require: { extendedMasterSecret: 'off', tls13: true },
    }),
    'y.json',
  );
  const parent = builtinPolicy('fips-140-3')!;
  t.same(p.protocols, { ...parent.protocols, 'TLSv1.2': 'deny' });
  t.same(p.certificate, { ...parent.certificate, ecCurves: ['P-384'], rsaMinBits: 3072 });
  t.same(p.require, { extendedMasterSecret: 'off', secureRenegotiation: true, tls13: true });
});

t.test('items may be codepoints, hex strings, IANA, OpenSSL or alias names, in any case', async (t) => {
  const p = parsePolicy(
    JSON.stringify({
      extends: 'fips-strict',
      id: 'names',
      version: '1',
      tls13Suites: { allow: [4865, 'tls_aes_256_gcm_sha384'], warn: ['TLS_AES_128_CCM_SHA256 (0x1304)'] },
      groups: { allow: ['X25519', 'prime256v1', 'ffdhe2048', 'X25519MLKEM768'] },
      signatureSchemes: { allow: ['rsa_pss_rsae_sha256', '0x0403'] },
      certificate: { keyTypes: ['rsa', 'ed25519'], signatureHashes: ['sha256', 'SHA-384'] },
    }),
    'z.json',
  );
  t.same(p.tls13Suites, { allow: [0x1301, 0x1302], warn: [0x1304] });
  t.same(p.groups.allow, [0x001d, 0x0017, 0x0100, 0x11ec]);
  t.same(p.signatureSchemes.allow, [0x0804, 0x0403]);
  t.same(p.certificate.keyTypes, ['RSA', 'Ed25519']);
  t.same(p.certificate.signatureHashes, ['SHA-256', 'SHA-384']);
});

t.test("a policy file gives its own source per rule; the rules it leaves out keep the parent's", async (t) => {
  const p = parsePolicy(JSON.stringify({ extends: 'fips-strict', id: 'ours', version: '1', sources: { group: 'Our crypto standard CS-7 §4.2, 2026-10-01' } }), 'ours.json');
  t.equal(p.sources.group, 'Our crypto standard CS-7 §4.2, 2026-10-01');
  t.equal(p.sources.suite, strict.sources.suite);
});

t.test('a policy that extends nothing and names no source says so for each rule', async (t) => {
  const doc = JSON.parse(JSON.stringify(policyToDocument(strict))) as Record<string, unknown>;
  delete doc.sources;
  const p = parsePolicy(JSON.stringify({ ...doc, id: 'standalone', version: '3' }), 'standalone.json');
  t.equal(p.sources.protocol, 'standalone 3: a custom policy that names no source for this rule');
});
