import t from 'tap';
import { builtinPolicy, evaluate } from '../../src/policy/index.js';
import { compliantResult, offered } from './factories.js';

const strict = builtinPolicy('fips-strict')!;

t.test('a CBC suite in TLS 1.2 fails fips-strict, named with IANA name and codepoint', async (t) => {
  const e = evaluate(compliantResult([offered('TLSv1.2', [0xc02f, 0xc013], [0x0017])]), strict);
  t.equal(e.verdict, 'fail');
  t.same(e.violations, [
    {
      rule: 'suite',
      protocol: 'TLSv1.2',
      item: 'TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA (0xc013)',
      message: 'TLSv1.2 accepts TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA (0xc013): fips-strict does not allow this suite (CBC mode, HMAC-SHA-1).',
      source: strict.sources['suite'],
    },
  ]);
});

t.test('ChaCha20-Poly1305 in TLS 1.3 fails fips-strict', async (t) => {
  const e = evaluate(compliantResult([offered('TLSv1.3', [0x1302, 0x1303, 0x1301], [0x0017])]), strict);
  t.equal(e.verdict, 'fail');
  t.same(e.violations.map((v) => [v.rule, v.protocol, v.item]), [['suite', 'TLSv1.3', 'TLS_CHACHA20_POLY1305_SHA256 (0x1303)']]);
  t.match(e.violations[0]!.message, /\(ChaCha20-Poly1305\)\.$/);
});

t.test('AES-CCM in TLS 1.3: denied by fips-strict, warned by fips-140-3, allowed by sp800-52r2', async (t) => {
  const r = compliantResult([offered('TLSv1.3', [0x1301, 0x1304], [0x0017])]);
  t.equal(evaluate(r, strict).verdict, 'fail');
  const modern = evaluate(r, builtinPolicy('fips-140-3')!);
  t.equal(modern.verdict, 'pass');
  t.same(modern.warnings.map((w) => w.item), ['TLS_AES_128_CCM_SHA256 (0x1304)']);
  t.same(evaluate(r, builtinPolicy('sp800-52r2')!).warnings, []);
});

t.test('suites of a denied TLS version are named one by one as well', async (t) => {
  const e = evaluate(compliantResult([offered('TLSv1.0', [0xc013, 0x000a])]), strict);
  t.same(e.violations.map((v) => [v.rule, v.item]), [
    ['protocol', 'TLSv1.0'],
    ['suite', 'TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA (0xc013)'],
    ['suite', 'TLS_RSA_WITH_3DES_EDE_CBC_SHA (0x000a)'],
  ]);
});
