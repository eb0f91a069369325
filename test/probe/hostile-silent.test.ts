/**
 * Endpoints that accept the connection and never say anything decisive (silence, one byte every
 * 100 ms forever) cost at most the deadline, in fact two rounds of timeouts, and every version
 * comes out inconclusive, never "not offered": a timeout proves nothing about what the server
 * would accept.
 */
import t from 'tap';
import { behaviours } from '../helpers/hostileBehaviours.js';
import { scan } from '../../src/index.js';
import { startIntolerantProxy } from '../helpers/intolerant.js';
import { startNodeServer } from '../helpers/servers.js';
import { FAST, checkNothingDecisive, protocol, scanBehaviour } from './hostileExpect.js';

t.test('a silent endpoint yields within the deadline, every version inconclusive', async (t) => {
  checkNothingDecisive(t, await scanBehaviour(t, behaviours.silent));
});

t.test('an endpoint dripping one byte every 100 ms is called too slow after two rounds (4 probes), every version inconclusive', async (t) => {
  const r = await scanBehaviour(t, behaviours.dripForever, { ...FAST, deadlineMs: 60_000 });
  // ETIMEDOUT_HANDSHAKE after 4 probes, not EDEADLINE: two rounds of timeouts ended it, not the 60 s deadline.
  checkNothingDecisive(t, r, ['ETIMEDOUT_HANDSHAKE']);
  t.equal(r.probes, 4, 'TLS 1.2 and 1.3 first probes, then a plain TLS 1.0 hello and an SSLv2 hello');
  t.match(r.error?.message ?? '', /sent \d+ bytes to 4 hellos but not one ServerHello within the 300 ms timeout/, 'the error says bytes came, too slowly');
});

t.test('a deadline shorter than the sweep cuts a silent scan short without a false "not offered"', async (t) => {
  const r = await scanBehaviour(t, behaviours.silent, { ...FAST, timeoutMs: 800, deadlineMs: 1500 });
  checkNothingDecisive(t, r);
});

t.test('a silent port is called silent after two rounds (4 probes), not after the whole fallback ladder', async (t) => {
  const r = await scanBehaviour(t, behaviours.silent, { ...FAST, deadlineMs: 60_000 });
  checkNothingDecisive(t, r, ['ENOTTLS']);
  t.equal(r.probes, 4, 'TLS 1.2 and 1.3 first probes, then a plain TLS 1.0 hello and an SSLv2 hello');
  t.match(r.error?.message ?? '', /stayed silent to every hello/, 'the error says the port was silent');
});

t.test('a server that hangs on every hello over 255 bytes is not called silent: the ladder finds its versions', async (t) => {
  const server = await startNodeServer({ cert: 'rsa2048', minVersion: 'TLSv1.2', maxVersion: 'TLSv1.3' });
  t.teardown(() => server.close());
  const proxy = await startIntolerantProxy(server.port, 'over-255', 'hang');
  t.teardown(() => proxy.close());
  const r = await scan(proxy.target, { timeoutMs: 700, deadlineMs: 60_000, concurrency: 4, skipTlsCertificate: true });
  t.equal(r.error, null, 'scanned, not called silent');
  t.equal(protocol(r, 'TLSv1.2').offered, true, 'TLS 1.2 found through the small-hello rung');
  t.equal(protocol(r, 'TLSv1.3').offered, true, 'TLS 1.3 found through the small-hello rung');
  t.ok(protocol(r, 'TLSv1.2').suites.length > 0, 'TLS 1.2 suites found');
  t.ok(proxy.resets > 0, 'the front end did swallow hellos');
});
