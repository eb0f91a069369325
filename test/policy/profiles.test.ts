import t from 'tap';
import { BUILTIN_POLICIES, DEFAULT_POLICY_ID, builtinPolicy } from '../../src/policy/index.js';
import { RULE_IDS } from '../../src/model/verdict.js';
import { cipherSuiteById, groupById, signatureSchemeById } from '../../src/registry/index.js';

t.test('the built-in profiles are fips-strict (the default), sp800-52r2, fips-140-3 and the two Istio presets, version 2026.12', async (t) => {
  t.same(BUILTIN_POLICIES.map((p) => p.id), ['fips-strict', 'sp800-52r2', 'fips-140-3', 'istio-fips-140-2', 'istio-pqc']);
  t.equal(DEFAULT_POLICY_ID, 'fips-strict');
  t.equal(builtinPolicy(DEFAULT_POLICY_ID), BUILTIN_POLICIES[0]);
  t.equal(builtinPolicy('nope'), undefined);
  for (const p of BUILTIN_POLICIES) {
    t.equal(p.version, '2026.12', p.id);
    t.match(p.basis, /§\d|pkg\/model\/fips\.go/, `${p.id} cites its basis`);
    t.ok(Object.isFrozen(p) && Object.isFrozen(p.tls12Suites.allow) && Object.isFrozen(p.certificate.ecCurves), `${p.id} is frozen`);
  }
});

t.test('every listed codepoint is known to the registry, in one list only, in the right version', async (t) => {
  for (const p of BUILTIN_POLICIES) {
    for (const [name, rules, known] of [
      ['tls12Suites', p.tls12Suites, (id: number) => cipherSuiteById(id) !== undefined && !cipherSuiteById(id)!.versions.includes('TLSv1.3')],
      ['tls13Suites', p.tls13Suites, (id: number) => cipherSuiteById(id)?.versions.includes('TLSv1.3') === true],
      ['groups', p.groups, (id: number) => groupById(id) !== undefined],
      ['signatureSchemes', p.signatureSchemes, (id: number) => signatureSchemeById(id) !== undefined],
    ] as const) {
      const all = [...rules.allow, ...rules.warn];
      t.equal(new Set(all).size, all.length, `${p.id} ${name}: no item twice`);
      t.same(all.filter((id) => !known(id)), [], `${p.id} ${name}: all known`);
    }
  }
});

t.test('fips-strict is TLS 1.2/1.3, ECDHE AES-GCM, TLS 1.3 AES-GCM, P-256 (§7.1)', async (t) => {
  const p = builtinPolicy('fips-strict')!;
  t.same(p.protocols, { SSLv2: 'deny', SSLv3: 'deny', 'TLSv1.0': 'deny', 'TLSv1.1': 'deny', 'TLSv1.2': 'allow', 'TLSv1.3': 'allow' });
  t.same(p.tls12Suites, { allow: [0xc02b, 0xc02c, 0xc02f, 0xc030], warn: [0x009c, 0x009d] });
  t.same(p.tls13Suites, { allow: [0x1301, 0x1302], warn: [] });
  t.same(p.groups, { allow: [0x0017], warn: [] });
  t.same(p.require, { extendedMasterSecret: 'off', secureRenegotiation: true, tls13: false });
});

t.test('sp800-52r2 lists the 56 suites, warns on the 10 Appendix D ones and TLS 1.1, requires TLS 1.3 (§7.2)', async (t) => {
  const p = builtinPolicy('sp800-52r2')!;
  t.equal(p.tls12Suites.allow.length, 56);
  t.equal(p.tls12Suites.warn.length, 10);
  t.same(p.tls13Suites.allow, [0x1301, 0x1302, 0x1304, 0x1305]);
  t.equal(p.protocols['TLSv1.1'], 'warn');
  t.notOk(p.groups.allow.includes(0x001d) || p.groups.allow.includes(0x11ec), 'no x25519, no hybrids');
  t.same(p.require, { extendedMasterSecret: 'supported', secureRenegotiation: true, tls13: true });
});

t.test('fips-140-3 requires EMS, warns on X25519MLKEM768 and denies ChaCha20 and X25519 (§7.3)', async (t) => {
  const p = builtinPolicy('fips-140-3')!;
  t.equal(p.require.extendedMasterSecret, 'required');
  t.ok(p.groups.warn.includes(0x11ec));
  t.ok(p.groups.allow.includes(0x11eb) && p.groups.allow.includes(0x11ed));
  t.notOk([...p.groups.allow, ...p.groups.warn].includes(0x001d));
  t.notOk([...p.tls13Suites.allow, ...p.tls13Suites.warn].includes(0x1303));
  t.notOk([...p.tls12Suites.allow, ...p.tls12Suites.warn].some((id) => cipherSuiteById(id)?.kx === 'RSA'), 'no static RSA key exchange');
  t.ok(p.certificate.keyTypes.includes('Ed25519'));
});

t.test('every rule of every profile names its source: a document or code, a section or path, and a date or commit', async (t) => {
  for (const p of BUILTIN_POLICIES) {
    t.same(Object.keys(p.sources).sort(), [...RULE_IDS].sort(), `${p.id}: a source for each rule`);
    for (const rule of RULE_IDS) {
      const source = p.sources[rule];
      t.ok(source.length > 20, `${p.id} ${rule}: ${source.slice(0, 60)}...`);
      // A rule the profile does not apply says so instead of citing.
      if (/^(Not required|Not applicable|fipscan:)/.test(source)) continue;
      t.match(source, /§|Appendix|@[0-9a-f]{8}|IG D\.Q/, `${p.id} ${rule}: names a section or a commit`);
      t.match(source, /(19|20)\d\d|@[0-9a-f]{8}/, `${p.id} ${rule}: names a date or a commit`);
    }
  }
});

t.test('fips-140-3 cites SP 800-131A for the rules that come from it', async (t) => {
  const p = builtinPolicy('fips-140-3')!;
  for (const rule of ['suite', 'signature-scheme', 'cert-signature', 'dh-size'] as const) t.match(p.sources[rule], /SP 800-131A Rev\. 2/, rule);
  t.match(p.sources['dh-group'], /SP 800-56A Rev\. 3.*Appendix D/);
  t.match(p.sources.ems, /Guidance D\.Q/);
});

t.test("istio-fips-140-2 and istio-pqc are Istio's policies (pkg/model/fips.go), with fips-strict's signature and certificate rules", async (t) => {
  const strict = builtinPolicy('fips-strict')!;
  const fips = builtinPolicy('istio-fips-140-2')!;
  t.same(fips.protocols, { SSLv2: 'deny', SSLv3: 'deny', 'TLSv1.0': 'deny', 'TLSv1.1': 'deny', 'TLSv1.2': 'allow', 'TLSv1.3': 'deny' });
  t.same(fips.tls12Suites, { allow: [0xc02b, 0xc02c, 0xc02f, 0xc030], warn: [] });
  t.same(fips.groups, { allow: [0x0017], warn: [] });
  const pqc = builtinPolicy('istio-pqc')!;
  t.same(pqc.protocols, { SSLv2: 'deny', SSLv3: 'deny', 'TLSv1.0': 'deny', 'TLSv1.1': 'deny', 'TLSv1.2': 'deny', 'TLSv1.3': 'allow' });
  t.same(pqc.tls13Suites, { allow: [0x1301, 0x1302], warn: [] });
  t.same(pqc.groups, { allow: [0x11ec], warn: [] });
  for (const p of [fips, pqc]) {
    t.same(p.signatureSchemes, strict.signatureSchemes, `${p.id}: fips-strict's signature schemes`);
    t.same(p.certificate, strict.certificate, `${p.id}: fips-strict's certificate rules`);
    for (const rule of ['protocol', 'suite', 'group'] as const) t.match(p.sources[rule], /istio\/istio:pkg\/model\/fips\.go@127beb25/, `${p.id} ${rule}`);
  }
});

t.test('SHA-1 signature schemes are violations and SHA-224 ones warnings in every FIPS profile', async (t) => {
  for (const p of BUILTIN_POLICIES) {
    for (const sha1 of [0x0201, 0x0203]) t.notOk([...p.signatureSchemes.allow, ...p.signatureSchemes.warn].includes(sha1), `${p.id}: 0x0${sha1.toString(16)} denied`);
    for (const sha224 of [0x0301, 0x0303]) t.ok(p.signatureSchemes.warn.includes(sha224), `${p.id}: 0x0${sha224.toString(16)} a warning`);
    t.equal(p.dhNamedGroupsOnly, true, `${p.id}: DHE only over approved groups`);
  }
});
