import t from 'tap';
import { builtinPolicy, evaluate } from '../../src/policy/index.js';
import { compliantResult, offered } from './factories.js';

const strict = builtinPolicy('fips-strict')!;

t.test('X25519 in TLS 1.3 fails fips-strict', async (t) => {
  const e = evaluate(compliantResult([offered('TLSv1.3', [0x1301, 0x1302], [0x001d, 0x0017])]), strict);
  t.equal(e.verdict, 'fail');
  t.same(e.violations, [
    { rule: 'group', protocol: 'TLSv1.3', item: 'x25519 (0x001d)', message: 'TLSv1.3 accepts x25519 (0x001d): fips-strict does not allow this group.', source: strict.sources['group'] },
  ]);
});

t.test('P-384 in TLS 1.2 fails fips-strict (P-256 only) but passes fips-140-3', async (t) => {
  const r = compliantResult([offered('TLSv1.2', [0xc02f, 0xc030], [0x0017, 0x0018])]);
  const e = evaluate(r, strict);
  t.equal(e.verdict, 'fail');
  t.same(e.violations.map((v) => [v.rule, v.protocol, v.item]), [['group', 'TLSv1.2', 'secp384r1 (0x0018)']]);
  t.equal(evaluate(r, builtinPolicy('fips-140-3')!).verdict, 'pass');
});

t.test('X25519MLKEM768 is a warning under fips-140-3 and a violation under sp800-52r2', async (t) => {
  const r = compliantResult([offered('TLSv1.3', [0x1301], [0x11ec, 0x0017])]);
  const modern = evaluate(r, builtinPolicy('fips-140-3')!);
  t.equal(modern.verdict, 'pass');
  t.same(modern.warnings.map((w) => w.item), ['X25519MLKEM768 (0x11ec)']);
  t.equal(evaluate(r, builtinPolicy('sp800-52r2')!).verdict, 'fail');
});
