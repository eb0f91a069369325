import t from 'tap';
import { builtinPolicy, evaluate } from '../../src/policy/index.js';
import { compliantResult, protocolResult } from './factories.js';

t.test('a TLS 1.2 server without secure renegotiation fails fips-strict', async (t) => {
  const r = compliantResult();
  r.features.secureRenegotiation = false;
  const e = evaluate(r, builtinPolicy('fips-strict')!);
  t.equal(e.verdict, 'fail');
  t.same(e.violations.map((v) => [v.rule, v.item]), [['renegotiation', 'renegotiation_info']]);
  r.features.secureRenegotiation = null;
  t.equal(evaluate(r, builtinPolicy('fips-strict')!).verdict, 'error', 'unknown is inconclusive');
});

t.test('sp800-52r2 fails a server without TLS 1.3', async (t) => {
  const sp = builtinPolicy('sp800-52r2')!;
  const e = evaluate(compliantResult([protocolResult('TLSv1.3')]), sp);
  t.equal(e.verdict, 'fail');
  t.same(e.violations, [{ rule: 'tls13-required', protocol: 'TLSv1.3', item: 'TLSv1.3', message: 'The server does not offer TLSv1.3: sp800-52r2 requires it.', source: sp.sources['tls13-required'] }]);
});
