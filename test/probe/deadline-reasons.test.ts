/**
 * An endpoint cut short by its deadline: the versions it could not settle say why (reasonCode
 * EDEADLINE, the deadline in words), and what was proven stands. The port here answers its first
 * three connections (a real node:tls server behind a relay) and then takes connections without a
 * word, so the sweeps hang until the deadline ends them, whatever the machine's load.
 */
import net from 'node:net';
import t from 'tap';
import { scanEndpoint } from '../../src/probe/scan.js';
import { startNodeServer } from '../helpers/servers.js';

t.test('the deadline runs out mid-sweep: each unsettled version names it', async (t) => {
  const server = await startNodeServer({ cert: 'rsa2048', minVersion: 'TLSv1.2' });
  let answered = 0;
  const sockets = new Set<net.Socket>();
  const front = net.createServer((socket) => {
    sockets.add(socket);
    socket.on('error', () => {});
    if (answered++ >= 3) return; // silent from the fourth connection on
    const back = net.connect(server.port, '127.0.0.1');
    back.on('error', () => socket.destroy());
    socket.pipe(back).pipe(socket);
  });
  await new Promise<void>((resolve) => front.listen(0, '127.0.0.1', resolve));
  t.teardown(async () => {
    for (const s of sockets) s.destroy();
    await new Promise((resolve) => front.close(resolve));
    await server.close();
  });
  const port = (front.address() as net.AddressInfo).port;
  const r = await scanEndpoint({ target: `127.0.0.1:${port}`, host: '127.0.0.1', port }, { timeoutMs: 60_000, deadlineMs: 1500, skipTlsCertificate: true });
  const unsettled = r.protocols.filter((p) => p.offered === null || (p.offered === true && (!p.suitesComplete || !p.groupsComplete)));
  t.ok(unsettled.length > 0, 'the deadline left versions unsettled');
  for (const p of unsettled) {
    t.equal(p.reasonCode, 'EDEADLINE', `${p.protocol}: ${p.reason}`);
    t.match(p.reason, /the 1500 ms endpoint deadline ran out before this version was settled/);
  }
  t.ok(r.protocols.some((p) => p.offered === true), 'what the first answers proved stands');
});
