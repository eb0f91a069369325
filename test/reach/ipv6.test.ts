/**
 * IPv6 targets: `[::1]:port` reaches a server listening on ::1 only, for the raw probes, the
 * full handshake and a STARTTLS dialogue alike, and the report keeps the address as IPv6.
 */
import net from 'node:net';
import { readFileSync } from 'node:fs';
import tls from 'node:tls';
import t from 'tap';
import { scan } from '../../src/index.js';
import { certPath } from '../helpers/servers.js';
import { startStarttlsPeer } from '../helpers/starttlsPeers.js';

async function ipv6Server(): Promise<{ port: number; close(): Promise<void> }> {
  const sockets = new Set<net.Socket>();
  const server = tls.createServer({ cert: readFileSync(certPath('rsa2048')), key: readFileSync(certPath('rsa2048', 'key')), minVersion: 'TLSv1.2' }, (s) => {
    s.on('error', () => {});
    s.on('data', () => {});
  });
  server.on('connection', (s: net.Socket) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  server.on('tlsClientError', () => {});
  await new Promise<void>((resolve, reject) => server.once('error', reject).listen(0, '::1', () => resolve()));
  server.unref();
  return {
    port: (server.address() as net.AddressInfo).port,
    close: () => new Promise<void>((resolve) => {
      server.close(() => resolve());
      for (const s of sockets) s.destroy();
    }),
  };
}

t.test('[::1]:port: every probe and the full handshake reach a server on ::1', async (t) => {
  const server = await ipv6Server();
  t.teardown(() => server.close());
  const r = await scan(`[::1]:${server.port}`, { timeoutMs: 3000 });
  t.equal(r.error, null);
  t.equal(r.address, '::1');
  t.equal(r.sni, null, 'no SNI for an IP address');
  t.equal(r.protocols.find((p) => p.protocol === 'TLSv1.2')?.offered, true);
  t.equal(r.protocols.find((p) => p.protocol === 'TLSv1.3')?.offered, true);
  t.equal(r.negotiated?.protocol, 'TLSv1.3');
  t.equal(r.negotiated?.error, null);
});

t.test('[::1]:port with --starttls imap', async (t) => {
  const peer = await startStarttlsPeer('imap', { host: '::1', tls: { minVersion: 'TLSv1.2' } });
  t.teardown(() => peer.close());
  const r = await scan(peer.target, { starttls: 'imap', timeoutMs: 3000 });
  t.equal(r.error, null);
  t.equal(r.protocols.find((p) => p.protocol === 'TLSv1.3')?.offered, true);
  t.equal(peer.upgraded, r.probes);
});

t.test('a refused IPv6 connection names the bracketed address', async (t) => {
  const server = await ipv6Server();
  const port = server.port;
  await server.close();
  const r = await scan(`[::1]:${port}`, { timeoutMs: 2000 });
  t.equal(r.error?.code, 'ECONNREFUSED');
  t.match(r.error?.message ?? '', `[::1]:${port}`);
});
