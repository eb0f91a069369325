import t from 'tap';
import { builtinPolicy, evaluate } from '../../src/policy/index.js';
import { compliantResult } from './factories.js';

t.test('a server that breaks the protocol is not compliant', async (t) => {
  const r = compliantResult([], { protocolViolations: ['TLSv1.2: server picked 0x0035, which was not offered'] });
  const strict = builtinPolicy('fips-strict')!;
  const e = evaluate(r, strict);
  t.equal(e.verdict, 'fail');
  t.same(e.violations, [
    {
      rule: 'protocol-violation',
      protocol: 'TLSv1.2',
      item: null,
      message: 'The server broke the TLS protocol: TLSv1.2: server picked 0x0035, which was not offered.',
      source: strict.sources['protocol-violation'],
    },
  ]);
});
