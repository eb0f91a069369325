import t from 'tap';
import { builtinPolicy, evaluate } from '../../src/policy/index.js';
import { compliantResult, offered } from './factories.js';

const sp = builtinPolicy('sp800-52r2')!;

t.test('a DHE prime below dhMinBits fails', async (t) => {
  const r = compliantResult([offered('TLSv1.2', [0xc02f, 0x009e], [0x0017], { dhParameters: [{ primeBits: 1024, namedGroup: null }] })]);
  const e = evaluate(r, sp);
  t.equal(e.verdict, 'fail');
  t.same(e.violations, [
    {
      rule: 'dh-size',
      protocol: 'TLSv1.2',
      item: 'a custom 1024-bit prime (safe prime unchecked)',
      message: 'TLSv1.2 uses a custom 1024-bit prime (safe prime unchecked) for DHE: sp800-52r2 requires at least 2048 bits.',
      source: sp.sources['dh-size'],
    },
  ]);
});

t.test('a custom DHE prime of 2048 bits fails: only the approved safe-prime groups are allowed, safe or not', async (t) => {
  for (const safePrime of [false, true]) {
    const r = compliantResult([offered('TLSv1.2', [0xc02f, 0x009e], [0x0017], { dhParameters: [{ primeBits: 2048, namedGroup: null, modpGroup: null, safePrime }] })]);
    const e = evaluate(r, sp);
    t.equal(e.verdict, 'fail', `safe prime ${safePrime}`);
    t.same(
      e.violations.map((v) => [v.rule, v.item]),
      [['dh-group', `a custom 2048-bit prime (${safePrime ? 'safe prime' : 'not a safe prime'})`]],
    );
    t.match(e.violations[0]?.source, /SP 800-56A Rev\. 3.*Appendix D/, 'the rule names its source');
  }
});

t.test('RFC 3526 MODP group 14 is an approved group', async (t) => {
  const r = compliantResult([offered('TLSv1.2', [0xc02f, 0x009e], [0x0017], { dhParameters: [{ primeBits: 2048, namedGroup: null, modpGroup: 14, safePrime: null }] })]);
  t.equal(evaluate(r, sp).verdict, 'pass');
});

t.test('a profile that denies DHE judges the suite, not the prime', async (t) => {
  const r = compliantResult([offered('TLSv1.2', [0xc02f, 0x009e], [0x0017], { dhParameters: [{ primeBits: 2048, namedGroup: null, modpGroup: null, safePrime: false }] })]);
  const e = evaluate(r, builtinPolicy('fips-strict')!);
  t.same([...new Set(e.violations.map((v) => v.rule))], ['suite'], 'TLS_DHE_RSA_WITH_AES_128_GCM_SHA256 is the violation');
});

t.test('ffdhe2048 meets a 2048-bit minimum', async (t) => {
  const r = compliantResult([offered('TLSv1.2', [0xc02f, 0x009e], [0x0017], { dhParameters: [{ primeBits: 2048, namedGroup: 256 }] })]);
  t.equal(evaluate(r, sp).verdict, 'pass');
});

t.test('an accepted DHE suite with no parameters seen is inconclusive', async (t) => {
  const r = compliantResult([offered('TLSv1.2', [0xc02f, 0x009e], [0x0017])]);
  const e = evaluate(r, sp);
  t.equal(e.verdict, 'error');
  t.same(e.inconclusive.map((v) => v.item), ['TLSv1.2 DH parameters']);
});
