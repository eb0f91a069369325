/**
 * --proxy: every probe (and the full handshake) goes through an HTTP CONNECT tunnel, with the
 * target's name left for the proxy to resolve; the findings equal a direct scan's. A proxy that
 * refuses the tunnel is an EPROXY endpoint error, and a proxy in front of a STARTTLS service
 * composes with --starttls (CONNECT first, then the dialogue).
 */
import t from 'tap';
import { scan } from '../../src/index.js';
import type { ScanResult } from '../../src/model/scan.js';
import { startNodeServer } from '../helpers/servers.js';
import { startConnectProxy, startStarttlsPeer } from '../helpers/starttlsPeers.js';

const summary = (r: ScanResult) => r.protocols.map((p) => `${p.protocol}:${String(p.offered)}:${[...p.suites].sort().join(',')}:${[...p.groups].sort().join(',')}`);

t.test('a scan through an HTTP CONNECT proxy finds what a direct scan finds, every connection tunnelled', async (t) => {
  const server = await startNodeServer({ cert: 'ecdsa-p256', minVersion: 'TLSv1.2', ecdhCurve: 'P-256:X25519' });
  const proxy = await startConnectProxy();
  t.teardown(async () => {
    await proxy.close();
    await server.close();
  });
  const direct = await scan(`127.0.0.1:${server.port}`, { timeoutMs: 3000 });
  // 'localhost' is resolved by the proxy, not by the scanner: the report has no address.
  const tunnelled = await scan(`localhost:${server.port}`, { proxy: `http://127.0.0.1:${proxy.port}`, timeoutMs: 3000, sni: null });
  t.comment(`direct ${direct.probes} probes ${direct.durationMs} ms; proxied ${tunnelled.probes} probes ${tunnelled.durationMs} ms`);
  t.equal(tunnelled.error, null);
  t.equal(tunnelled.address, null, 'the scanner did not resolve the name itself');
  t.same(summary(tunnelled), summary(direct), 'same versions, suites and groups');
  t.equal(tunnelled.negotiated?.protocol, 'TLSv1.3');
  t.equal(proxy.requests.length, tunnelled.probes, 'one CONNECT per connection');
  t.ok(proxy.requests.every((r) => r === `localhost:${server.port}`), 'CONNECT names the target as given');
});

t.test('a proxy that refuses the tunnel is EPROXY with its status; a dead proxy is the connect error', async (t) => {
  const proxy = await startConnectProxy();
  t.teardown(() => proxy.close());
  const refused = await scan('example.invalid:443', { proxy: `127.0.0.1:${proxy.port}`, timeoutMs: 2000 });
  t.equal(refused.error?.code, 'EPROXY');
  t.match(refused.error?.message ?? '', /HTTP CONNECT to example\.invalid:443 via proxy: the proxy refused the tunnel: 403 'Forbidden'/);
  const closed = await startConnectProxy();
  const port = closed.port;
  await closed.close();
  const dead = await scan('127.0.0.1:443', { proxy: `http://127.0.0.1:${port}`, timeoutMs: 2000 });
  t.equal(dead.error?.code, 'ECONNREFUSED');
  const bad = await scan('127.0.0.1:443', { proxy: 'socks5://127.0.0.1:1080' });
  t.equal(bad.error?.code, 'EBADPROXY');
  t.equal(bad.probes, 0);
});

t.test('--proxy with --starttls: CONNECT, then the SMTP dialogue, then TLS', async (t) => {
  const peer = await startStarttlsPeer('smtp', { tls: { minVersion: 'TLSv1.2' } });
  const proxy = await startConnectProxy();
  t.teardown(async () => {
    await proxy.close();
    await peer.close();
  });
  const r = await scan(`127.0.0.1:${peer.port}`, { proxy: `http://127.0.0.1:${proxy.port}`, starttls: 'smtp', timeoutMs: 3000 });
  t.equal(r.error, null);
  t.equal(r.protocols.find((p) => p.protocol === 'TLSv1.3')?.offered, true);
  t.equal(peer.upgraded, r.probes, 'every tunnelled connection upgraded');
});
