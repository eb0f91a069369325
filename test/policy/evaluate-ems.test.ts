import t from 'tap';
import { builtinPolicy, evaluate } from '../../src/policy/index.js';
import { compliantResult, protocolResult, withEms } from './factories.js';

const modern = builtinPolicy('fips-140-3')!;

t.test('fips-140-3 fails a TLS 1.2 server without extended_master_secret', async (t) => {
  const e = evaluate(withEms(false, false), modern);
  t.equal(e.verdict, 'fail');
  t.same(e.violations, [
    {
      rule: 'ems',
      protocol: 'TLSv1.2',
      item: 'extended_master_secret',
      message: 'TLSv1.2 does not support extended_master_secret (RFC 7627): fips-140-3 requires every TLS 1.2 handshake to use it.',
      source: modern.sources['ems'],
    },
  ]);
});

t.test('fips-140-3 fails a server that supports EMS but also completes handshakes without it', async (t) => {
  const e = evaluate(withEms(true, false), modern);
  t.equal(e.verdict, 'fail');
  t.same(e.violations.map((v) => v.rule), ['ems']);
  t.match(e.violations[0]!.message, /completes handshakes without extended_master_secret/);
});

t.test('unknown EMS answers are inconclusive under fips-140-3', async (t) => {
  t.equal(evaluate(withEms(true, null), modern).verdict, 'error');
  t.equal(evaluate(withEms(null, null), modern).verdict, 'error');
});

t.test('sp800-52r2 asks for support only; fips-strict asks nothing', async (t) => {
  const sp = builtinPolicy('sp800-52r2')!;
  t.equal(evaluate(withEms(true, false), sp).verdict, 'pass');
  t.same(evaluate(withEms(false, false), sp).violations.map((v) => v.rule), ['ems']);
  t.equal(evaluate(withEms(false, false), builtinPolicy('fips-strict')!).verdict, 'pass');
});

t.test('EMS is not asked of a server without TLS 1.2', async (t) => {
  const r = compliantResult([protocolResult('TLSv1.2')]);
  r.features.extendedMasterSecret = { supported: null, required: null };
  r.features.secureRenegotiation = null;
  t.equal(evaluate(r, modern).verdict, 'pass');
});
