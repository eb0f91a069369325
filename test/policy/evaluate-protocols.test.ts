import t from 'tap';
import { builtinPolicy, evaluate } from '../../src/policy/index.js';
import { compliantResult, offered, protocolResult } from './factories.js';

const strict = builtinPolicy('fips-strict')!;

t.test('an old version fails with that version named', async (t) => {
  const e = evaluate(compliantResult([offered('TLSv1.0', [0xc02f])]), strict);
  t.equal(e.verdict, 'fail');
  t.same(e.violations.map((v) => [v.rule, v.protocol, v.item]), [['protocol', 'TLSv1.0', 'TLSv1.0']]);
  t.equal(e.violations[0]!.message, 'The server offers TLSv1.0: fips-strict does not allow it.');
});

t.test('SSLv3 and SSLv2 give one violation each, not one per suite', async (t) => {
  const e = evaluate(compliantResult([offered('SSLv3', [0x000a, 0x0005, 0x002f]), offered('SSLv2', [0x010080, 0x0700c0])]), strict);
  t.equal(e.verdict, 'fail');
  t.same(e.violations.map((v) => [v.rule, v.item]), [['protocol', 'SSLv2'], ['protocol', 'SSLv3']]);
});

t.test('a "should not" version is a warning: TLS 1.1 under sp800-52r2', async (t) => {
  const e = evaluate(compliantResult([offered('TLSv1.1', [0xc013])]), builtinPolicy('sp800-52r2')!);
  t.equal(e.verdict, 'pass');
  t.same(e.warnings.map((w) => [w.rule, w.item]), [['protocol', 'TLSv1.1']]);
});

t.test('a server offering no allowed version fails', async (t) => {
  const e = evaluate(compliantResult([protocolResult('TLSv1.2'), protocolResult('TLSv1.3'), offered('TLSv1.1', [0xc013])]), strict);
  t.equal(e.verdict, 'fail');
  t.same(e.violations.find((v) => v.item === null), {
    rule: 'protocol',
    protocol: null,
    item: null,
    message: 'The server offers no protocol fips-strict allows (TLSv1.2, TLSv1.3).',
    source: strict.sources.protocol,
  });
});
