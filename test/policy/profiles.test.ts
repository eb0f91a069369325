import t from 'tap';
import { BUILTIN_POLICIES, DEFAULT_POLICY_ID, builtinPolicy } from '../../src/policy/index.js';
import { cipherSuiteById, groupById, signatureSchemeById } from '../../src/registry/index.js';

t.test('the built-in profiles are fips-strict (the default), sp800-52r2 and fips-140-3, version 2026.11', async (t) => {
  t.same(BUILTIN_POLICIES.map((p) => p.id), ['fips-strict', 'sp800-52r2', 'fips-140-3']);
  t.equal(DEFAULT_POLICY_ID, 'fips-strict');
  t.equal(builtinPolicy(DEFAULT_POLICY_ID), BUILTIN_POLICIES[0]);
  t.equal(builtinPolicy('nope'), undefined);
  for (const p of BUILTIN_POLICIES) {
    t.equal(p.version, '2026.11', p.id);
    t.match(p.basis, /§\d/, `${p.id} cites fips-policies.md sections`);
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
