/**
 * A loopback TCP relay that counts the connections passing through it: listens on 127.0.0.1 or
 * ::1 and pipes every accepted connection to a loopback port. The tests use it to put a second
 * address (::1) in front of a server that only listens on 127.0.0.1, and the peer benchmark to
 * count how many connections each scanner opens (the method of
 * /work/shared/reference/peer-scanners.md). It never connects beyond loopback.
 */
import net from 'node:net';

export interface TcpProxy {
  host: '127.0.0.1' | '::1';
  port: number;
  /** Connections accepted since start (or since the last reset). */
  connections(): number;
  resetCount(): void;
  close(): Promise<void>;
}

export interface TcpProxyOptions {
  /** The loopback address to listen on; default 127.0.0.1. */
  host?: '127.0.0.1' | '::1';
  /** Port to listen on; default an ephemeral one. */
  port?: number;
  /** Where to relay to: a port on `targetHost` (default 127.0.0.1). */
  targetPort: number;
  targetHost?: '127.0.0.1' | '::1';
}

/** Starts a counting relay; close() stops it and drops the relayed connections. */
export async function startTcpProxy(o: TcpProxyOptions): Promise<TcpProxy> {
  const host = o.host ?? '127.0.0.1';
  const sockets = new Set<net.Socket>();
  let count = 0;
  const track = (s: net.Socket): void => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
    s.on('error', () => {});
  };
  const server = net.createServer({ noDelay: true } as net.ServerOpts, (client) => {
    count++;
    track(client);
    const upstream = net.connect({ host: o.targetHost ?? '127.0.0.1', port: o.targetPort, noDelay: true });
    track(upstream);
    // Half-closes pass through (a scanner's FIN must reach the server and the server's back).
    client.pipe(upstream);
    upstream.pipe(client);
    const drop = (): void => {
      client.destroy();
      upstream.destroy();
    };
    client.on('error', drop);
    upstream.on('error', drop);
    client.on('close', () => upstream.end());
    upstream.on('close', () => client.end());
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(o.port ?? 0, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  server.unref();
  let closing: Promise<void> | undefined;
  return {
    host,
    port: (server.address() as net.AddressInfo).port,
    connections: () => count,
    resetCount: () => {
      count = 0;
    },
    close: () =>
      (closing ??= new Promise<void>((resolve) => {
        server.close(() => resolve());
        for (const s of sockets) s.destroy();
      })),
  };
}
