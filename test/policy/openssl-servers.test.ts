/**
 * The built-in profiles against real `openssl s_server`s on loopback: the strict configuration a
 * FIPS mesh uses passes, OpenSSL's defaults fail for the reasons §1.3 of the policy notes gives.
 */
import t, { type Test } from 'tap';
import { scan } from '../../src/index.js';
import { builtinPolicy, evaluate } from '../../src/policy/index.js';
import { startOpenSSLServer, unavailableReason, type OpenSSLServerOptions } from '../helpers/servers.js';

const skip = (await unavailableReason('openssl')) ?? false;

async function judge(t: Test, options: OpenSSLServerOptions, policyId: string) {
  const server = await startOpenSSLServer(options);
  t.teardown(() => server.close());
  return evaluate(await scan(`127.0.0.1:${server.port}`), builtinPolicy(policyId)!);
}

const meshStrict: OpenSSLServerOptions = {
  cert: 'rsa2048',
  sendChain: true,
  protocols: ['TLSv1.2', 'TLSv1.3'],
  cipher: 'ECDHE-RSA-AES128-GCM-SHA256:ECDHE-RSA-AES256-GCM-SHA384',
  ciphersuites: 'TLS_AES_128_GCM_SHA256:TLS_AES_256_GCM_SHA384',
  groups: 'P-256',
};

t.test('an OpenSSL server configured TLS 1.2/1.3, ECDHE AES-GCM, P-256 passes fips-strict', { skip }, async (t) => {
  const e = await judge(t, meshStrict, 'fips-strict');
  t.same({ verdict: e.verdict, violations: e.violations, inconclusive: e.inconclusive }, { verdict: 'pass', violations: [], inconclusive: [] });
});

t.test('OpenSSL 3.0 completes TLS 1.2 without EMS, so the same server fails fips-140-3', { skip }, async (t) => {
  const e = await judge(t, meshStrict, 'fips-140-3');
  t.equal(e.verdict, 'fail');
  t.same(e.violations.map((v) => v.rule), ['ems']);
});

t.test("OpenSSL's defaults fail fips-strict: ChaCha20 in TLS 1.3, CBC suites, X25519", { skip }, async (t) => {
  const e = await judge(t, { cert: 'rsa2048', sendChain: true, protocols: ['TLSv1.2', 'TLSv1.3'] }, 'fips-strict');
  t.equal(e.verdict, 'fail');
  const items = e.violations.map((v) => `${v.protocol} ${v.item}`);
  for (const want of ['TLSv1.3 TLS_CHACHA20_POLY1305_SHA256 (0x1303)', 'TLSv1.2 TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA (0xc013)', 'TLSv1.3 x25519 (0x001d)']) {
    t.ok(items.includes(want), want, { found: items });
  }
});
