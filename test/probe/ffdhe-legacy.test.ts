/**
 * RFC 7919 groups with DHE suites in TLS 1.0-1.2 (issue 13, item 5). A GnuTLS server negotiates
 * an ffdhe group from supported_groups in every version, TLS 1.0 included, and uses its own
 * --dhparams prime only with a client that lists none; an OpenSSL server ignores the list below
 * TLS 1.3. The scan reports, per version, the groups the server negotiates and every prime seen.
 */
import t from 'tap';
import { scan } from '../../src/index.js';
import type { ScanResult } from '../../src/model/scan.js';
import { startGnuTLSServer, startOpenSSLServer, unavailableReason } from '../helpers/servers.js';

const hex = (ids: readonly number[]): string[] => ids.map((id) => `0x${id.toString(16).padStart(4, '0')}`);
const sorted = (ids: readonly number[]): string[] => hex([...ids].sort((a, b) => a - b));
const p = (r: ScanResult, name: string) => r.protocols.find((x) => x.protocol === name)!;
const skipFor = async (stack: 'gnutls' | 'openssl'): Promise<string | false> => (process.env.CI ? false : ((await unavailableReason(stack)) ?? false));

t.test('GnuTLS: ffdhe2048-4096 negotiated with DHE in TLS 1.0, 1.1 and 1.2, beside the 1024-bit prime a plain client gets', { skip: await skipFor('gnutls') }, async (t) => {
  const server = await startGnuTLSServer({
    cert: 'rsa2048',
    priority: 'NONE:+VERS-TLS1.2:+VERS-TLS1.1:+VERS-TLS1.0:+AES-128-CBC:+SHA1:+DHE-RSA:+SIGN-ALL:+COMP-NULL:+GROUP-FFDHE2048:+GROUP-FFDHE3072:+GROUP-FFDHE4096',
    dhparams: 'dh1024',
  });
  t.teardown(() => server.close());
  const r = await scan(`127.0.0.1:${server.port}`, { timeoutMs: 4000, skipTlsCertificate: true });
  t.comment(`${server.describe}: ${r.probes} probes`);
  t.equal(r.error, null);
  for (const name of ['TLSv1.0', 'TLSv1.1', 'TLSv1.2']) {
    const v = p(r, name);
    t.equal(v.offered, true, `${name} offered`);
    t.same(hex(v.suites), hex([0x0033]), `${name}: TLS_DHE_RSA_WITH_AES_128_CBC_SHA`);
    t.same(sorted(v.groups), sorted([256, 257, 258]), `${name}: the three RFC 7919 groups the server enables`);
    t.equal(v.groupsComplete, true, `${name}: ffdhe6144 and ffdhe8192 proven not negotiated`);
    const primes = v.dhParameters.map((d) => `${d.primeBits}/${d.namedGroup ?? 'custom'}`).sort();
    t.same(primes, ['1024/custom', '2048/256', '3072/257', '4096/258'], `${name}: every prime seen, named where it is an RFC 7919 one`);
  }
});

t.test('OpenSSL: a DHE server ignores ffdhe groups below TLS 1.3: no group negotiated, its own prime reported', { skip: await skipFor('openssl') }, async (t) => {
  const server = await startOpenSSLServer({ cert: 'rsa2048', protocols: ['TLSv1.2'], cipher: 'DHE-RSA-AES128-GCM-SHA256', dhparam: 'dh2048' });
  t.teardown(() => server.close());
  const r = await scan(`127.0.0.1:${server.port}`, { timeoutMs: 4000, skipTlsCertificate: true });
  const v = p(r, 'TLSv1.2');
  t.same(hex(v.suites), hex([0x009e]));
  t.same(v.groups, [], 'no RFC 7919 group negotiated');
  t.equal(v.groupsComplete, true, 'proven: the server answered the ffdhe list with its own prime');
  t.same(v.dhParameters, [{ primeBits: 2048, namedGroup: null, modpGroup: null, safePrime: true }], 'the fixture prime: a safe prime of its own, neither RFC 7919 nor RFC 3526');
});
