import t from 'tap';
import { builtinPolicy, groupDisposition, protocolDisposition, suiteDisposition } from '../../src/policy/index.js';

const strict = builtinPolicy('fips-strict')!;

t.test('the disposition helpers read the policy lists the way evaluate does', async (t) => {
  t.equal(protocolDisposition(strict, 'TLSv1.2'), 'allow');
  t.equal(protocolDisposition(strict, 'TLSv1.0'), 'deny');
  t.equal(suiteDisposition(strict, 'TLSv1.2', 0xc02f), 'allow');
  t.equal(suiteDisposition(strict, 'TLSv1.2', 0x009c), 'warn');
  t.equal(suiteDisposition(strict, 'TLSv1.2', 0x1301), 'deny', 'a TLS 1.3 suite is not a TLS 1.2 one');
  t.equal(suiteDisposition(strict, 'TLSv1.3', 0x1301), 'allow');
  t.equal(suiteDisposition(strict, 'TLSv1.0', 0xc02f), 'allow', 'TLS 1.0-1.2 share one list');
  t.equal(suiteDisposition(strict, 'SSLv2', 0x010080), 'deny');
  t.equal(groupDisposition(strict, 0x0017), 'allow');
  t.equal(groupDisposition(builtinPolicy('fips-140-3')!, 0x11ec), 'warn');
  t.equal(groupDisposition(strict, 0x001d), 'deny');
});
