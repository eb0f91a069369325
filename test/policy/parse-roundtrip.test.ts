import t from 'tap';
import { BUILTIN_POLICIES, parsePolicy, policyToDocument, policyToJson } from '../../src/policy/index.js';

t.test('policyToJson of every built-in parses back to the same policy', async (t) => {
  for (const policy of BUILTIN_POLICIES) {
    const text = policyToJson(policy);
    t.same(parsePolicy(text, `${policy.id}.json`), policy, policy.id);
    t.equal(policyToJson(parsePolicy(text, 'again.json')), text, `${policy.id}: stable text`);
  }
});

t.test('the document names items and shows their codepoints', async (t) => {
  const doc = policyToDocument(BUILTIN_POLICIES[0]!);
  t.same(doc.tls13Suites, { allow: ['TLS_AES_128_GCM_SHA256 (0x1301)', 'TLS_AES_256_GCM_SHA384 (0x1302)'], warn: [] });
  t.same(doc.groups.allow, ['secp256r1 (0x0017)']);
  t.equal(doc.protocols['TLSv1.0'], 'deny');
  t.notOk('extends' in doc, 'a complete document, not a diff');
  t.ok(policyToJson(BUILTIN_POLICIES[0]!).endsWith('}\n'));
});

t.test('a custom policy with a codepoint the registry does not know round-trips as bare hex', async (t) => {
  const p = parsePolicy(JSON.stringify({ extends: 'fips-strict', id: 'private', version: '1', groups: { allow: ['P-256', '0xfe01'] } }), 'p.json');
  t.same(policyToDocument(p).groups.allow, ['secp256r1 (0x0017)', '0xfe01']);
  t.same(parsePolicy(policyToJson(p), 'p2.json'), p);
});
