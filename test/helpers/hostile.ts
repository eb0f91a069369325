/**
 * A scripted loopback responder for the shapes no real server produces: silence, resets, garbage,
 * other protocols, oversize and lying lengths, drips, ServerHellos that pick what was never
 * offered, endless HelloRetryRequests, unknown alerts, zero-length and one-byte records, broken
 * SSLv2 answers. It listens on 127.0.0.1 on an ephemeral port, reads each connection's first
 * ClientHello record (TLS or SSLv2 framing), then hands it to a Behaviour: a plain function of
 * (hello bytes, socket), so tests compose them (`byHello`, `send`, the `scripted` tamper hooks)
 * instead of subclassing.
 *
 * `scripted()` is a small, correct TLS 1.0-1.3 server-side negotiator (no crypto: it answers the
 * first flight only, which is all a scanner reads) that the hostile behaviours tamper with.
 */
import net from 'node:net';
import { concat } from '../../src/wire/bytes.js';
import { extensionBody, parseClientHello, read, type ParsedClientHello } from '../wire/clientHelloParser.js';
import {
  ContentType,
  GREASE,
  alert,
  handshakeRecords,
  helloRetryRequest,
  serverHello,
  serverHello13,
  serverHelloDone,
  type Extension,
} from './serverFlight.js';

/** What a responder does with one connection once the client's first hello record is in. */
export type Behaviour = (clientHello: Uint8Array, socket: net.Socket) => void;

export interface HostileServer {
  host: '127.0.0.1';
  port: number;
  /** `127.0.0.1:<port>`, ready for scan(). */
  target: string;
  /** Connections accepted so far. */
  readonly connections: number;
  close(): Promise<void>;
}

export interface HostileOptions {
  /** Run the behaviour as soon as the connection is accepted, with empty hello bytes. */
  atAccept?: boolean;
}

/** The first hello record's length once `buf` holds all of it, else null (needs more), or -1 (not a hello). */
function helloRecordLength(buf: Uint8Array): number | null {
  if (buf.length < 2) return null;
  if ((buf[0]! & 0x80) !== 0) {
    const total = 2 + (((buf[0]! & 0x7f) << 8) | buf[1]!); // SSLv2 2-byte header
    return buf.length >= total ? total : null;
  }
  if (buf[0] !== ContentType.handshake) return -1;
  if (buf.length < 5) return null;
  const total = 5 + ((buf[3]! << 8) | buf[4]!);
  return buf.length >= total ? total : null;
}

/** Starts a responder that runs `behaviour` on every connection. */
export async function startHostile(behaviour: Behaviour, options: HostileOptions = {}): Promise<HostileServer> {
  const sockets = new Set<net.Socket>();
  let connections = 0;
  const server = net.createServer((socket) => {
    connections++;
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    // The scanner hangs up mid-write all the time; that is expected, not a server fault.
    socket.on('error', () => {});
    if (options.atAccept === true) {
      socket.on('data', () => {});
      behaviour(new Uint8Array(0), socket);
      return;
    }
    let buf: Uint8Array = new Uint8Array(0);
    let handled = false;
    socket.on('data', (chunk: Buffer) => {
      if (handled) return;
      buf = concat([buf, new Uint8Array(chunk)]);
      const n = helloRecordLength(buf);
      if (n === null) return;
      handled = true;
      behaviour(n === -1 ? buf : buf.subarray(0, n), socket);
    });
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
    get connections() {
      return connections;
    },
    close: () =>
      (closing ??= new Promise<void>((resolve) => {
        server.close(() => resolve());
        for (const s of sockets) s.destroy();
      })),
  };
}

// ---------------------------------------------------------------------------------------------
// Reading the client's hello

/** A TLS ClientHello record's parsed message, or null for SSLv2 framing or anything unparsable. */
export function parseHelloRecord(bytes: Uint8Array): ParsedClientHello | null {
  if (bytes.length < 5 || bytes[0] !== ContentType.handshake) return null;
  try {
    return parseClientHello(bytes.subarray(5));
  } catch {
    return null;
  }
}

export function isSslv2Hello(bytes: Uint8Array): boolean {
  return bytes.length >= 3 && (bytes[0]! & 0x80) !== 0 && bytes[2] === 1;
}

/** The versions in supported_versions, or [] when the extension is absent. */
export function supportedVersions(hello: ParsedClientHello): number[] {
  const body = extensionBody(hello, 43);
  return body ? read.supportedVersions(body) : [];
}

function supportedGroups(hello: ParsedClientHello): number[] {
  const body = extensionBody(hello, 10);
  return body ? read.u16Vector(body) : [];
}

function keyShareGroups(hello: ParsedClientHello): number[] {
  const body = extensionBody(hello, 51);
  return body ? read.keyShare(body).map((k) => k.group) : [];
}

/** A codepoint the client did not offer (a GREASE value), for "picked what was not offered". */
export function unoffered(offered: readonly number[]): number {
  return GREASE.find((g) => !offered.includes(g))!;
}

// ---------------------------------------------------------------------------------------------
// A correct first-flight negotiator, for the behaviours to tamper with

export interface ScriptedConfig {
  /** TLS 1.0-1.2 versions accepted (0x0301...0x0303); SSLv3 and unlisted ones get protocol_version. */
  legacyVersions: readonly number[];
  /** TLS <= 1.2 suites in server preference (RSA key exchange: no ServerKeyExchange needed). */
  suites: readonly number[];
  /** TLS 1.3 suites and groups in server preference; empty suites: no TLS 1.3. */
  tls13Suites: readonly number[];
  tls13Groups: readonly number[];
}

/** TLS 1.0-1.3; the TLS 1.2-only GCM suite shows that suites are judged per version. */
export const SCRIPTED: ScriptedConfig = {
  legacyVersions: [0x0301, 0x0302, 0x0303],
  suites: [0x009c, 0x002f, 0x0035],
  tls13Suites: [0x1302, 0x1301],
  tls13Groups: [29, 23],
};

/** TLS 1.2-only suites: a TLS 1.0/1.1 hello does not list them. */
const TLS12_ONLY = new Set([0x009c, 0x009d, 0x003c, 0x003d]);

/** What a correct server would answer, as a decision that behaviours can rewrite before it is sent. */
export type Decision =
  | { kind: 'tls12'; version: number; suite: number }
  | { kind: 'hrr'; suite: number; group: number }
  | { kind: 'tls13'; suite: number; group: number }
  | { kind: 'alert'; description: number }
  | { kind: 'close' };

export function decide(bytes: Uint8Array, config: ScriptedConfig = SCRIPTED): Decision {
  const hello = parseHelloRecord(bytes);
  if (!hello) return { kind: 'close' }; // SSLv2 or garbage: a TLS-only server hangs up
  const first = (server: readonly number[], client: readonly number[]): number | undefined => server.find((x) => client.includes(x));
  if (config.tls13Suites.length > 0 && supportedVersions(hello).includes(0x0304)) {
    const suite = first(config.tls13Suites, hello.cipherSuites);
    const shared = first(config.tls13Groups, keyShareGroups(hello));
    const group = first(config.tls13Groups, supportedGroups(hello));
    if (suite === undefined || group === undefined) return { kind: 'alert', description: 40 };
    return shared !== undefined ? { kind: 'tls13', suite, group: shared } : { kind: 'hrr', suite, group };
  }
  // A TLS 1.2 server ignores supported_versions and goes by legacy_version (RFC 8446 §4.2.1).
  const version = Math.min(hello.legacyVersion, 0x0303);
  if (!config.legacyVersions.includes(version)) return { kind: 'alert', description: 70 };
  const usable = config.suites.filter((s) => version === 0x0303 || !TLS12_ONLY.has(s));
  const suite = first(usable, hello.cipherSuites);
  return suite === undefined ? { kind: 'alert', description: 40 } : { kind: 'tls12', version, suite };
}

/** The handshake messages of a decision (no record framing), so behaviours can frame them their way. */
export function flightMessages(d: Decision, sessionId: Uint8Array = new Uint8Array(0), extensions?: readonly Extension[]): Uint8Array {
  switch (d.kind) {
    case 'tls12':
      return concat([serverHello({ legacyVersion: d.version, cipherSuite: d.suite, extensions }), serverHelloDone]);
    case 'hrr':
      return helloRetryRequest(d.suite, d.group, sessionId);
    case 'tls13':
      return serverHello13(d.suite, d.group, sessionId);
    default:
      return new Uint8Array(0);
  }
}

/** The bytes a correct server sends for `d`, framed in records of at most `recordSize` bytes. */
export function flightBytes(d: Decision, sessionId?: Uint8Array, recordSize = 16384): Uint8Array {
  if (d.kind === 'alert') return alert(d.description);
  if (d.kind === 'close') return new Uint8Array(0);
  return handshakeRecords(flightMessages(d, sessionId), recordSize, d.kind === 'tls12' ? d.version : 0x0303);
}

/**
 * A correct TLS server for the first flight, with an optional rewrite of each decision (the
 * hook the lying behaviours use) and of the final bytes.
 */
export function scripted(
  config: ScriptedConfig = SCRIPTED,
  tamper: { decision?: (d: Decision, hello: ParsedClientHello | null) => Decision; bytes?: (b: Uint8Array, d: Decision) => Uint8Array; recordSize?: number } = {},
): Behaviour {
  return (bytes, socket) => {
    const hello = parseHelloRecord(bytes);
    const d = tamper.decision ? tamper.decision(decide(bytes, config), hello) : decide(bytes, config);
    if (d.kind === 'close') {
      socket.end();
      return;
    }
    const out = flightBytes(d, hello?.sessionId, tamper.recordSize);
    socket.write(tamper.bytes ? tamper.bytes(out, d) : out);
  };
}

// ---------------------------------------------------------------------------------------------
// Composition

/** Sends `bytes`, then `after`: 'open' (default, wait for the client), 'end' or 'reset'. */
export function send(bytes: Uint8Array | string, after: 'open' | 'end' | 'reset' = 'open'): Behaviour {
  const data = typeof bytes === 'string' ? new TextEncoder().encode(bytes) : bytes;
  return (_, socket) => {
    socket.write(data);
    if (after === 'end') socket.end();
    // Let the bytes leave first: a reset discards what is still queued.
    if (after === 'reset') setTimeout(() => socket.resetAndDestroy(), 20);
  };
}

/** Picks a behaviour per hello: `(hello parsed or null, raw bytes) => behaviour`. */
export function byHello(choose: (hello: ParsedClientHello | null, bytes: Uint8Array) => Behaviour): Behaviour {
  return (bytes, socket) => choose(parseHelloRecord(bytes), bytes)(bytes, socket);
}

/** Runs `tick` every `ms` until the socket closes (the timer never outlives the connection). */
export function every(socket: net.Socket, ms: number, tick: () => void): void {
  const timer = setInterval(() => {
    if (socket.destroyed || !socket.writable) clearInterval(timer);
    else tick();
  }, ms);
  socket.once('close', () => clearInterval(timer));
}

/** Writes `bytes` one byte every `ms`, then zero bytes forever. */
export function drip(bytes: Uint8Array, ms = 100): Behaviour {
  return (_, socket) => {
    let at = 0;
    every(socket, ms, () => socket.write(new Uint8Array([bytes[at++] ?? 0])));
  };
}

