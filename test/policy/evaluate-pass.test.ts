import t from 'tap';
import { BUILTIN_POLICIES, builtinPolicy, evaluate } from '../../src/policy/index.js';
import { compliantResult, offered, protocolResult } from './factories.js';

const strict = builtinPolicy('fips-strict')!;

const PASS = { verdict: 'pass', error: null, violations: [], warnings: [], inconclusive: [] };

t.test('a compliant TLS 1.2 + 1.3 result passes every FIPS profile with nothing to report', async (t) => {
  for (const policy of BUILTIN_POLICIES.filter((p) => !p.id.startsWith('istio-'))) t.same(evaluate(compliantResult(), policy), PASS, policy.id);
});

t.test("Istio's presets: TLS 1.2 only with P-256 passes istio-fips-140-2, TLS 1.3 only with X25519MLKEM768 passes istio-pqc, and not each other", async (t) => {
  const fips1402 = compliantResult([protocolResult('TLSv1.3')]);
  const pqc = compliantResult([protocolResult('TLSv1.2'), offered('TLSv1.3', [0x1301, 0x1302], [0x11ec])]);
  t.same(evaluate(fips1402, builtinPolicy('istio-fips-140-2')!), PASS, 'istio-fips-140-2');
  t.same(evaluate(pqc, builtinPolicy('istio-pqc')!), PASS, 'istio-pqc');
  t.same(evaluate(compliantResult(), builtinPolicy('istio-fips-140-2')!).violations.map((v) => [v.rule, v.item]), [['protocol', 'TLSv1.3']], 'TLS 1.3 is a violation of istio-fips-140-2');
  t.same(evaluate(pqc, builtinPolicy('istio-fips-140-2')!).verdict, 'fail');
  t.same(
    evaluate(fips1402, builtinPolicy('istio-pqc')!).violations.map((v) => [v.rule, v.item]),
    [['protocol', 'TLSv1.2'], ['protocol', null], ['group', 'secp256r1 (0x0017)'], ['tls13-required', 'TLSv1.3']],
    'TLS 1.2 and P-256 are violations of istio-pqc, and TLS 1.3 is missing',
  );
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
