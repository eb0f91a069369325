import t from 'tap';
import { builtinPolicy, evaluate } from '../../src/policy/index.js';
import { compliantResult, offered, protocolResult } from './factories.js';

const strict = builtinPolicy('fips-strict')!;

t.test('an untested denied version makes the verdict error, never pass', async (t) => {
  const r = compliantResult([protocolResult('TLSv1.0', { offered: null, reason: 'connection reset', reasonCode: 'ECONNRESET', suitesComplete: false })]);
  const e = evaluate(r, strict);
  t.equal(e.verdict, 'error');
  t.same(e.violations, []);
  t.same(e.inconclusive, [
    { rule: 'inconclusive', protocol: 'TLSv1.0', item: 'TLSv1.0', message: 'Could not tell whether the server offers TLSv1.0 (connection reset); fips-strict does not allow it.', source: strict.sources['inconclusive'], code: 'ECONNRESET' },
  ]);
  t.same(e.error, { code: 'EINCONCLUSIVE', message: 'The scan could not prove compliance with fips-strict: TLSv1.0 could not be judged.' });
});

t.test('an untested allowed version is inconclusive too: its suites are unknown', async (t) => {
  const e = evaluate(compliantResult([protocolResult('TLSv1.3', { offered: null, reason: 'not probed' })]), strict);
  t.equal(e.verdict, 'error');
  t.same(e.inconclusive.map((v) => v.item), ['TLSv1.3']);
});

t.test('a real violation wins over inconclusive items: fail', async (t) => {
  const r = compliantResult([protocolResult('TLSv1.0', { offered: null }), offered('TLSv1.1', [0xc013])]);
  const e = evaluate(r, strict);
  t.equal(e.verdict, 'fail');
  t.equal(e.error, null);
  t.same(e.inconclusive.map((v) => v.item), ['TLSv1.0']);
});

t.test('an unresolved suite matters only if the policy would deny it', async (t) => {
  const denied = evaluate(compliantResult([offered('TLSv1.2', [0xc02f], [0x0017], { suitesComplete: false, inconclusiveSuites: [0xc013] })]), strict);
  t.equal(denied.verdict, 'error');
  t.same(denied.inconclusive.map((v) => v.item), ['TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA (0xc013)']);
  const allowed = evaluate(compliantResult([offered('TLSv1.2', [0xc02f], [0x0017], { suitesComplete: false, inconclusiveSuites: [0xc030] })]), strict);
  t.equal(allowed.verdict, 'pass');
});

t.test('an incomplete group list with nothing named is inconclusive when groups matter', async (t) => {
  const ecdhe = evaluate(compliantResult([offered('TLSv1.2', [0xc02f], [0x0017], { groupsComplete: false })]), strict);
  t.same(ecdhe.inconclusive.map((v) => v.item), ['TLSv1.2 groups']);
  const rsaOnly = evaluate(compliantResult([offered('TLSv1.2', [0x009c], [], { groupsComplete: false })]), strict);
  t.same(rsaOnly.inconclusive, [], 'no ECDHE suite: groups do not matter in TLS 1.2');
  const denied = evaluate(compliantResult([offered('TLSv1.3', [0x1301], [0x0017], { groupsComplete: false, inconclusiveGroups: [0x001d] })]), strict);
  t.same(denied.inconclusive.map((v) => v.item), ['x25519 (0x001d)']);
});
