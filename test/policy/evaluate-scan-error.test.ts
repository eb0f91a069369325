import t from 'tap';
import { BUILTIN_POLICIES, evaluate } from '../../src/policy/index.js';
import { compliantResult, protocolResult } from './factories.js';

t.test('a scan error is verdict error with that error, under every profile', async (t) => {
  const error = { code: 'ECONNREFUSED', message: '127.0.0.1:1: connection refused' };
  const r = compliantResult(
    ['SSLv2', 'SSLv3', 'TLSv1.0', 'TLSv1.1', 'TLSv1.2', 'TLSv1.3'].map((p) => protocolResult(p as 'TLSv1.2', { offered: null })),
    { error, certificates: [] },
  );
  for (const policy of BUILTIN_POLICIES) {
    t.same(evaluate(r, policy), { verdict: 'error', error, violations: [], warnings: [], inconclusive: [] }, policy.id);
  }
});

t.test('a scan that ended early never passes, even if everything seen was fine', async (t) => {
  const r = compliantResult([], { error: { code: 'EDEADLINE', message: 'deadline' } });
  t.equal(evaluate(r, BUILTIN_POLICIES[0]!).verdict, 'error');
});
