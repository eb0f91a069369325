/**
 * A port that answers TLS and plaintext, like an Istio sidecar in PERMISSIVE mode: the first byte
 * of each connection decides (22, a TLS handshake record, goes to a node:tls server; anything
 * else to a plaintext HTTP/1.1 or h2c server). Also the plaintext answers TLS servers give when
 * they answer at all (nginx's "plain HTTP request was sent to HTTPS port" page). 127.0.0.1 only.
 */
import { readFile } from 'node:fs/promises';
import http from 'node:http';
import http2 from 'node:http2';
import net from 'node:net';
import tls from 'node:tls';
import { certPath } from './servers.js';

export interface PermissiveServer {
  port: number;
  /** Connections handed to each side. */
  counts: { tls: number; plaintext: number };
  close(): Promise<void>;
}

export type PlaintextSide = 'http' | 'h2c' | 'https-only-page';

/** What the plaintext side answers: an application (HTTP/1.1 or h2c), or nginx's refusal page. */
function plaintextServer(side: PlaintextSide): net.Server | http.Server | http2.Http2Server {
  if (side === 'h2c') return http2.createServer((_req, res) => res.end('plaintext gRPC would be served here\n'));
  if (side === 'http') return http.createServer((_req, res) => res.writeHead(200, { 'content-type': 'text/plain' }).end('served in plaintext\n'));
  return net.createServer((socket) =>
    socket.end(
      'HTTP/1.1 400 Bad Request\r\nServer: nginx\r\nContent-Type: text/html\r\nConnection: close\r\n\r\n' +
        '<html><head><title>400 The plain HTTP request was sent to HTTPS port</title></head><body>' +
        '<center><h1>400 Bad Request</h1></center><center>The plain HTTP request was sent to HTTPS port</center></body></html>\r\n',
    ),
  );
}

async function listen(server: net.Server | http2.Http2Server): Promise<number> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return (server.address() as net.AddressInfo).port;
}

/** A plaintext HTTP/1.1 server only (a metrics or admin port), on 127.0.0.1. */
export async function startPlainHttp(): Promise<{ port: number; close(): Promise<void> }> {
  const server = http.createServer((_req, res) => res.writeHead(200, { 'content-type': 'text/plain' }).end('# HELP up 1\n'));
  const port = await listen(server);
  return {
    port,
    close: () =>
      new Promise((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

/**
 * Starts the port; `alpn` is what the TLS side answers (an Istio sidecar: istio-peer-exchange,
 * istio), `tlsOptions` its TLS configuration beyond the rsa2048 certificate (Node's defaults
 * when absent). The front relays each connection, by its first byte, to a TLS or a plaintext
 * server of its own (as Envoy's TLS inspector hands a connection to one filter chain or the other).
 */
export async function startPermissive(side: PlaintextSide, alpn?: string[], tlsOptions: tls.TlsOptions = {}): Promise<PermissiveServer> {
  const secure = tls.createServer({ ...tlsOptions, cert: await readFile(certPath('rsa2048')), key: await readFile(certPath('rsa2048', 'key')), ...(alpn ? { ALPNProtocols: alpn } : {}) }, (s) => {
    s.on('error', () => {});
    s.on('data', () => {});
  });
  secure.on('tlsClientError', () => {});
  const plain = plaintextServer(side);
  const counts = { tls: 0, plaintext: 0 };
  const sockets = new Set<net.Socket>();
  const track = (s: net.Socket): void => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
    s.on('error', () => s.destroy());
  };
  // Every socket of every server is destroyed on close, so that close() never waits on a peer.
  secure.on('connection', track);
  plain.on('connection', track);
  const backends = { tls: await listen(secure), plaintext: await listen(plain) };
  const front = net.createServer((socket) => {
    track(socket);
    socket.once('data', (first: Buffer) => {
      const side = first[0] === 22 ? 'tls' : 'plaintext';
      counts[side]++;
      const backend = net.connect(backends[side], '127.0.0.1');
      track(backend);
      backend.write(first);
      socket.pipe(backend).pipe(socket);
    });
  });
  const port = await listen(front);
  const stop = (s: net.Server | http2.Http2Server): Promise<void> => new Promise((resolve) => s.close(() => resolve()));
  return {
    port,
    counts,
    close: async () => {
      for (const s of sockets) s.destroy();
      await Promise.all([stop(front), stop(secure), stop(plain)]);
    },
  };
}
