/**
 * A loopback relay that writes down, for every connection a scanner opens through it, the hello
 * it sent and what the server answered first: "TLSv1.3 hello, 5 suites, groups [...], key_share
 * empty -> alert 10". It exists to explain a scan at the byte level (which probe got which
 * answer, and how many probes there were) without touching the scanner: verify scripts put it in
 * front of a fixture server and scan the relay's port. The hello is read with the tests' own
 * parser (test/wire/clientHelloParser.ts), the answer with the codec's record framing. It only
 * ever listens on and connects to 127.0.0.1.
 */

import net from 'node:net';
import { cipherSuiteById } from '../../../src/registry/cipherSuites.js';
import { ServerStream } from '../../../src/wire/records.js';
import { decodeServerHello, decodeServerKeyExchange } from '../../../src/wire/serverMessages.js';
import { HandshakeType } from '../../../src/registry/handshake.js';
import { extensionBody, parseClientHello, read, type ParsedClientHello } from '../../wire/clientHelloParser.js';

/** One connection through the relay, in the order they were opened. */
export interface TracedConnection {
  hello: string;
  answer: string;
}

export interface HelloTrace {
  port: number;
  connections(): TracedConnection[];
  close(): Promise<void>;
}

/** Client and server bytes kept per connection: a hello and a first flight fit well inside. */
const KEEP_BYTES = 64 * 1024;

const hex = (id: number): string => id.toString(16).padStart(4, '0');
const list = (ids: readonly number[]): string => `[${ids.map(hex).join(',')}]`;

/** Starts a relay on 127.0.0.1 (ephemeral port) to 127.0.0.1:`targetPort`. */
export async function startHelloTrace(targetPort: number): Promise<HelloTrace> {
  const traced: { client: Buffer[]; server: Buffer[]; end: string[] }[] = [];
  const sockets = new Set<net.Socket>();
  const server = net.createServer((client) => {
    const entry = { client: [] as Buffer[], server: [] as Buffer[], end: [] as string[] };
    traced.push(entry);
    const upstream = net.connect({ host: '127.0.0.1', port: targetPort });
    for (const socket of [client, upstream]) {
      sockets.add(socket);
      socket.on('close', () => sockets.delete(socket));
    }
    const keep = (into: Buffer[]) => (chunk: Buffer) => {
      if (into.reduce((n, b) => n + b.length, 0) < KEEP_BYTES) into.push(chunk);
    };
    client.on('data', keep(entry.client));
    upstream.on('data', keep(entry.server));
    client.pipe(upstream);
    upstream.pipe(client);
    client.on('error', (err: NodeJS.ErrnoException) => entry.end.push(`client ${err.code ?? err.message}`));
    upstream.on('error', (err: NodeJS.ErrnoException) => entry.end.push(`server ${err.code ?? err.message}`));
    client.on('end', () => entry.end.push('client FIN'));
    upstream.on('end', () => entry.end.push('server FIN'));
    client.on('close', () => upstream.destroy());
    upstream.on('close', () => client.destroy());
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  return {
    port: (server.address() as net.AddressInfo).port,
    connections: () =>
      traced.map((entry) => ({
        hello: describeHello(Buffer.concat(entry.client)),
        answer: describeAnswer(Buffer.concat(entry.server), entry.end),
      })),
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        for (const socket of sockets) socket.destroy();
      }),
  };
}

/** Version, suite count, groups, key shares and extension count of the first ClientHello. */
export function describeHello(bytes: Uint8Array): string {
  if (bytes.length === 0) return 'nothing sent';
  if (bytes.length >= 3 && (bytes[0]! & 0x80) !== 0 && bytes[2] === 1) return `SSLv2 hello (${bytes.length} bytes)`;
  if (bytes[0] !== 22 || bytes.length < 9) return `not a hello: ${Buffer.from(bytes.subarray(0, 8)).toString('hex')}`;
  const recordLength = ((bytes[3] ?? 0) << 8) | (bytes[4] ?? 0);
  let hello: ParsedClientHello;
  try {
    hello = parseClientHello(bytes.subarray(5, 5 + recordLength));
  } catch (err) {
    return `unparsable hello (${(err as Error).message})`;
  }
  const versions = extensionBody(hello, 43);
  const version = versions === undefined ? hello.legacyVersion : Math.max(...read.supportedVersions(versions));
  const name = { 0x0300: 'SSLv3', 0x0301: 'TLSv1.0', 0x0302: 'TLSv1.1', 0x0303: 'TLSv1.2', 0x0304: 'TLSv1.3' }[version] ?? hex(version);
  const parts = [`${name} hello ${hello.length + 4} B`, `${hello.cipherSuites.length} suites`];
  if (hello.cipherSuites.length <= 6) parts[1] += ` ${list(hello.cipherSuites)}`;
  const groupsBody = extensionBody(hello, 10);
  if (groupsBody !== undefined) parts.push(`groups ${list(read.u16Vector(groupsBody))}`);
  const shareBody = extensionBody(hello, 51);
  if (shareBody !== undefined) {
    const shares = read.keyShare(shareBody).map((share) => share.group);
    parts.push(`key_share ${shares.length === 0 ? 'empty' : list(shares)}`);
  }
  parts.push(`${hello.extensions?.length ?? 0} extensions`);
  return parts.join(', ');
}

/** The server's first decisive message, then how the connection ended. */
export function describeAnswer(bytes: Uint8Array, ends: readonly string[]): string {
  const how = ends.length === 0 ? '' : ` (${ends.join(', ')})`;
  if (bytes.length === 0) return `no bytes${how}`;
  const stream = new ServerStream(true);
  const said: string[] = [];
  let suite = 0;
  try {
    stream.feed(bytes);
    for (let event = stream.next(); event !== undefined && said.length < 4; event = stream.next()) {
      if (event.kind === 'alert') said.push(`alert ${event.level}/${event.description}`);
      else if (event.kind === 'sslv2') said.push(`SSLv2 message ${event.msgType}`);
      else if (event.kind === 'handshake' && event.msgType === HandshakeType.serverHello) {
        const hello = decodeServerHello(event.body);
        suite = hello.cipherSuite;
        const group = hello.keyShareGroup === null ? '' : ` group ${hex(hello.keyShareGroup)}`;
        said.push(`${hello.isHelloRetryRequest ? 'HelloRetryRequest' : 'ServerHello'} ${hex(hello.version)} suite ${hex(suite)}${group}`);
        if (hello.isHelloRetryRequest || hello.version >= 0x0304) break;
      } else if (event.kind === 'handshake' && event.msgType === HandshakeType.serverKeyExchange) {
        const kx = cipherSuiteById(suite)?.kx;
        const kind = kx === 'ECDHE' ? 'ecdhe' : kx === 'DHE' ? 'dhe' : null;
        if (kind === null) continue;
        const params = decodeServerKeyExchange(event.body, kind);
        said.push(params.kind === 'ecdhe' ? `ECDHE curve ${hex(params.namedGroup ?? 0)}` : `DHE ${params.primeBits}-bit prime`);
      }
    }
  } catch (err) {
    said.push(`undecodable (${(err as Error).message})`);
  }
  return `${said.length === 0 ? `${bytes.length} bytes, no decisive message` : said.join(' + ')}${how}`;
}
