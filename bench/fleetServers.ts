/**
 * The server side of bench/fleet.ts, run as a child process so the servers' handshakes use the
 * second core and their memory is not counted as the scanner's: one Node tls.Server per fixture
 * shape (test/helpers/shapes.ts, Node configurations), and N plain listeners on 127.0.0.1, each
 * handing its connections to shape i mod K. N endpoints thus cost N sockets, not N TLS stacks.
 * Speaks to the parent over IPC: {ports, shapes} once listening, {rss} when asked.
 *
 *   node dist/bench/fleetServers.js <listeners>     (started by bench/fleet.ts)
 */
import { readFileSync } from 'node:fs';
import net from 'node:net';
import tls from 'node:tls';
import { certPath, dhParamPath, type NodeServerOptions } from '../test/helpers/servers.js';
import { shapes } from '../test/helpers/shapes.js';

/** Node's TLS options for a shape, with the fixture files read (what startNodeServer does, without listening). */
function tlsOptions(opts: NodeServerOptions): tls.TlsOptions {
  const { cert, sendChain, dhparam, requireClientCert, ...rest } = opts;
  const names = Array.isArray(cert) ? cert : [cert];
  const options: tls.TlsOptions = {
    ...rest,
    cert: names.map((n) => readFileSync(certPath(n, sendChain === true ? 'chain' : 'cert'))),
    key: names.map((n) => readFileSync(certPath(n, 'key'))),
  };
  if (dhparam !== undefined) options.dhparam = dhparam === 'auto' ? 'auto' : readFileSync(dhParamPath(dhparam));
  if (requireClientCert === true) {
    options.requestCert = true;
    options.rejectUnauthorized = true;
    options.ca = readFileSync(certPath('ca'));
  }
  return options;
}

process.removeAllListeners('warning');
const count = Number(process.argv[2] ?? 1000);
const all = Object.values(shapes);
const servers = all.map((shape) => {
  const server = tls.createServer(tlsOptions(shape.config.node), (socket) => {
    socket.on('error', () => {});
    socket.on('data', () => {});
    socket.on('end', () => socket.end());
  });
  server.on('tlsClientError', () => {});
  return server;
});

const ports: number[] = [];
const listeners: net.Server[] = [];
for (let i = 0; i < count; i++) {
  const tlsServer = servers[i % servers.length]!;
  const listener = net.createServer((socket) => {
    socket.on('error', () => {});
    tlsServer.emit('connection', socket);
  });
  await new Promise<void>((resolve, reject) => {
    listener.once('error', reject);
    listener.listen(0, '127.0.0.1', () => resolve());
  });
  listeners.push(listener);
  ports.push((listener.address() as net.AddressInfo).port);
}

process.send!({ ports, shapes: ports.map((_, i) => all[i % all.length]!.name) });
process.on('message', (m: { type: string }) => {
  if (m.type === 'rss') process.send!({ rss: process.memoryUsage().rss });
  if (m.type === 'exit') {
    for (const l of listeners) l.close();
    process.exit(0);
  }
});
process.on('disconnect', () => process.exit(0));
