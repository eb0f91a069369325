import t from 'tap';
import { BUILTIN_POLICIES, builtinPolicy, evaluate } from '../../src/policy/index.js';
import { compliantResult, offered, protocolResult } from './factories.js';

const strict = builtinPolicy('fips-strict')!;

t.test('a compliant result passes every built-in profile with nothing to report', async (t) => {
  for (const policy of BUILTIN_POLICIES) {
    t.same(evaluate(compliantResult(), policy), { verdict: 'pass', error: null, violations: [], warnings: [], inconclusive: [] }, policy.id);
  }
});

t.test('a TLS 1.3-only server passes fips-strict without EMS or renegotiation answers', async (t) => {
  const r = compliantResult([protocolResult('TLSv1.2')]);
  r.features = { extendedMasterSecret: { supported: null, required: null }, secureRenegotiation: null, alpn: null, clientCertificateRequested: null };
  r.certificates = [{ protocol: 'TLSv1.3', source: 'tls', chain: r.certificates[0]!.chain }];
  t.equal(evaluate(r, strict).verdict, 'pass');
});

t.test('warnings never fail: RSA key transport GCM passes fips-strict with a warning', async (t) => {
  const e = evaluate(compliantResult([offered('TLSv1.2', [0xc02f, 0x009c], [0x0017])]), strict);
  t.equal(e.verdict, 'pass');
  t.same(e.warnings.map((w) => [w.rule, w.item]), [['suite', 'TLS_RSA_WITH_AES_128_GCM_SHA256 (0x009c)']]);
  t.match(e.warnings[0]!.message, /only with a warning \(RSA key transport, no forward secrecy\)\.$/);
});
