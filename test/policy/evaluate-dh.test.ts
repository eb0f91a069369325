import t from 'tap';
import { builtinPolicy, evaluate } from '../../src/policy/index.js';
import { compliantResult, offered } from './factories.js';

const sp = builtinPolicy('sp800-52r2')!;

t.test('a DHE prime below dhMinBits fails', async (t) => {
  const r = compliantResult([offered('TLSv1.2', [0xc02f, 0x009e], [0x0017], { dhParameters: [{ primeBits: 1024, namedGroup: null }] })]);
  const e = evaluate(r, sp);
  t.equal(e.verdict, 'fail');
  t.same(e.violations, [
    { rule: 'dh-size', protocol: 'TLSv1.2', item: '1024-bit DH prime', message: 'TLSv1.2 uses a 1024-bit DHE prime: sp800-52r2 requires at least 2048 bits.' },
  ]);
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
