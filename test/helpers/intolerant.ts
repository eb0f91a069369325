/**
 * Intolerant front ends: a loopback TCP proxy that reads each connection's first ClientHello
 * record, resets the connection when the hello has a shape some deployed servers and middleboxes
 * choke on, and otherwise pipes the connection through to a real TLS server untouched. The shapes
 * are the ones the scanner's fallback ladder exists for: hellos over 255 bytes (old SSL
 * accelerators), 256-511 bytes (the F5 bug RFC 7685 padding works around), any extension outside
 * a small known set, and supported_versions (TLS 1.3-intolerant stacks).
 *
 * Sizes are the handshake message length as the record carries it (4-byte header included,
 * record header excluded), which is what the scanner's `helloLength` and the padding rule measure.
 */
import net from 'node:net';
import { concat } from '../../src/wire/bytes.js';
import { parseHelloRecord } from './hostile.js';

/** Extensions an "unknown extension"-intolerant server knows (RFC 6066, 8422, 8446, 7301, 7627, 5746). */
export const KNOWN_EXTENSIONS: ReadonlySet<number> = new Set([0, 5, 10, 11, 13, 16, 23, 43, 45, 51, 0xff01]);

export type Intolerance = 'over-255' | '256-511' | 'unknown-extension' | 'supported-versions';

/** Whether a server with this intolerance chokes on the ClientHello record `bytes`. */
export function chokesOn(intolerance: Intolerance, bytes: Uint8Array): boolean {
  const length = bytes.length - 5;
  switch (intolerance) {
    case 'over-255':
      return length > 255;
    case '256-511':
      return length >= 256 && length <= 511;
    case 'unknown-extension': {
      const hello = parseHelloRecord(bytes);
      return (hello?.extensions ?? []).some((e) => !KNOWN_EXTENSIONS.has(e.type));
    }
    case 'supported-versions':
      return (parseHelloRecord(bytes)?.extensions ?? []).some((e) => e.type === 43);
  }
}

export interface IntolerantProxy {
  host: '127.0.0.1';
  port: number;
  target: string;
  /** Hellos reset so far, and hellos let through. */
  readonly resets: number;
  readonly passed: number;
  close(): Promise<void>;
}

/**
 * Starts a proxy on 127.0.0.1 in front of `upstreamPort` that resets the hellos `intolerance`
 * chokes on, or (`onChoke: 'hang'`) swallows them and never answers, as some accelerators do.
 */
export async function startIntolerantProxy(upstreamPort: number, intolerance: Intolerance, onChoke: 'reset' | 'hang' = 'reset'): Promise<IntolerantProxy> {
  const sockets = new Set<net.Socket>();
  let resets = 0;
  let passed = 0;
  const track = (s: net.Socket): void => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
    s.on('error', () => {});
  };
  const server = net.createServer((client) => {
    track(client);
    let buf: Uint8Array = new Uint8Array(0);
    const onData = (chunk: Buffer): void => {
      buf = concat([buf, new Uint8Array(chunk)]);
      // SSLv2 framing or no handshake record: nothing to judge, pass it through as is.
      const tls = buf[0] === 22;
      if (tls && (buf.length < 5 || buf.length < 5 + ((buf[3]! << 8) | buf[4]!))) return;
      client.off('data', onData);
      if (tls && chokesOn(intolerance, buf.subarray(0, 5 + ((buf[3]! << 8) | buf[4]!)))) {
        resets++;
        if (onChoke === 'reset') client.resetAndDestroy();
        return;
      }
      passed++;
      const upstream = net.connect({ host: '127.0.0.1', port: upstreamPort });
      track(upstream);
      upstream.write(buf);
      client.pipe(upstream);
      upstream.pipe(client);
      // Either side going away takes the other with it, as a middlebox would.
      upstream.on('close', () => client.destroy());
      client.on('close', () => upstream.destroy());
    };
    client.on('data', onData);
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const port = (server.address() as net.AddressInfo).port;
  let closing: Promise<void> | undefined;
  return {
    host: '127.0.0.1',
    port,
    target: `127.0.0.1:${port}`,
    get resets() {
      return resets;
    },
    get passed() {
      return passed;
    },
    close: () =>
      (closing ??= new Promise<void>((resolve) => {
        server.close(() => resolve());
        for (const s of sockets) s.destroy();
      })),
  };
}
