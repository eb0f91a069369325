/**
 * A hang-up is never read as a refusal (eliminate.ts). A front end that lets the first connections through
 * to a real server and then closes every new one without a byte (a server shedding load, a
 * connection limit) must not turn into "not offered": what it hides stays inconclusive.
 */
import net from 'node:net';
import t from 'tap';
import { scan } from '../../src/index.js';
import { startNodeServer } from '../helpers/servers.js';
import { protocol } from './hostileExpect.js';

/** Pipes the first `allow` connections to 127.0.0.1:upstream; closes every later one at once. */
async function shedder(upstream: number, allow: number): Promise<{ port: number; connections: () => number; close: () => Promise<void> }> {
  let count = 0;
  const sockets = new Set<net.Socket>();
  const server = net.createServer((client) => {
    sockets.add(client);
    client.once('close', () => sockets.delete(client));
    if (++count > allow) {
      client.destroy();
      return;
    }
    const up = net.connect(upstream, '127.0.0.1');
    sockets.add(up);
    up.once('close', () => sockets.delete(up));
    client.pipe(up).pipe(client);
    client.once('error', () => up.destroy());
    up.once('error', () => client.destroy());
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: (server.address() as net.AddressInfo).port,
    connections: () => count,
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}

t.test('a front end that stops answering after the first connections: nothing becomes "not offered"', async (t) => {
  const upstream = await startNodeServer({ cert: 'rsa2048', minVersion: 'TLSv1.2', maxVersion: 'TLSv1.3' });
  t.teardown(() => upstream.close());
  // The TLS 1.2 and TLS 1.3 version probes get through; everything after is closed unanswered.
  const front = await shedder(upstream.port, 2);
  t.teardown(() => front.close());
  const r = await scan(`127.0.0.1:${front.port}`, { timeoutMs: 1000, deadlineMs: 20000, concurrency: 2, skipTlsCertificate: true });
  t.comment(`${r.probes} probes, ${front.connections()} connections, ${r.durationMs} ms, error ${r.error?.code ?? 'none'}`);
  const tls12 = protocol(r, 'TLSv1.2');
  t.equal(tls12.offered, true, 'TLS 1.2 offered: the version probe was answered');
  t.equal(tls12.suitesComplete, false, 'its suite list is not claimed complete');
  t.ok(tls12.inconclusiveSuites.length > 0, 'the suites it could not ask about are inconclusive');
  for (const name of ['SSLv3', 'TLSv1.0', 'TLSv1.1'] as const) {
    t.not(protocol(r, name).offered, false, `${name} never "not offered" (${protocol(r, name).reason ?? ''})`);
    t.notOk(protocol(r, name).workarounds.includes('close-as-refusal'), `${name}: no hang-up read as a refusal`);
  }
  t.notOk(tls12.workarounds.includes('close-as-refusal'), 'TLS 1.2: no hang-up read as a refusal');
});
