/**
 * A minimal TLS 1.3 client for the flight-reader tests: one connection to a loopback server, a
 * ClientHello built by src/wire/clientHello.ts carrying a keyPair.ts share, the server's records
 * framed by ServerStream (keeping application_data payloads), and openServerFlight called as
 * records arrive until it stops asking for more. It answers a HelloRetryRequest once with a
 * share for the group the server asked for. This is roughly what a probe will do; it lives in
 * test/ until the probe layer takes it over.
 */
import { randomBytes } from 'node:crypto';
import net from 'node:net';
import { DecodeError } from '../../src/wire/bytes.js';
import { buildClientHelloMessage, buildRecords, helloRecordVersion, type ClientHelloOptions } from '../../src/wire/clientHello.js';
import { ServerStream } from '../../src/wire/records.js';
import { ContentType } from '../../src/registry/handshake.js';
import { decodeServerHello, type ServerHello } from '../../src/wire/serverMessages.js';
import { HandshakeType } from '../../src/registry/handshake.js';
import { decodeServerKeyShare } from '../../src/wire/tls13Messages.js';
import { OFFERED_SIGNATURE_SCHEMES } from '../../src/registry/signatureSchemes.js';
import { makeKeyPair, type KeyPair } from '../../src/probe/keyPair.js';
import { openServerFlight, type ServerFlight } from '../../src/probe/tls13Flight.js';

export interface Tls13ClientOptions {
  port: number;
  suites: readonly number[];
  /** supported_groups, in order. */
  groups: readonly number[];
  /** The groups to send shares for (default: the first of `groups`). */
  shareGroups?: readonly number[];
  signatureSchemes?: readonly number[];
  alpn?: readonly string[];
  serverName?: string;
  timeoutMs?: number;
}

export interface Tls13Exchange {
  serverHello: ServerHello;
  /** The HelloRetryRequest that came first, if any. */
  helloRetryRequest: ServerHello | null;
  flight: ServerFlight;
  /** How many encrypted records openServerFlight needed. */
  records: number;
}

/** A handshake event's message with its 4-byte header put back (what the transcript hashes). */
function handshakeMessage(msgType: number, body: Uint8Array): Uint8Array {
  const out = new Uint8Array(4 + body.length);
  out.set([msgType, body.length >> 16, (body.length >> 8) & 0xff, body.length & 0xff]);
  out.set(body, 4);
  return out;
}

function pairsFor(groups: readonly number[]): KeyPair[] {
  return groups.map((g) => {
    const pair = makeKeyPair(g);
    if (!pair) throw new Error(`no key pair for group 0x${g.toString(16)}`);
    return pair;
  });
}

/** Connects, says hello, and reads the server's flight. Rejects on an alert, a close or a timeout. */
export function readServerFlight(o: Tls13ClientOptions): Promise<Tls13Exchange> {
  let pairs = pairsFor(o.shareGroups ?? o.groups.slice(0, 1));
  const hello: ClientHelloOptions = {
    clientVersion: 0x0303,
    cipherSuites: o.suites,
    random: randomBytes(32),
    sessionId: randomBytes(32),
    serverName: o.serverName ?? null,
    supportedGroups: o.groups,
    signatureAlgorithms: o.signatureSchemes ?? OFFERED_SIGNATURE_SCHEMES.map((s) => s.id),
    alpn: o.alpn,
    supportedVersions: [0x0304],
    keyShares: pairs.map((p) => p.share),
  };
  let clientHello = buildClientHelloMessage(hello);
  const stream = new ServerStream(false, { keepApplicationData: true });
  const records: Uint8Array[] = [];
  let serverHello: { hello: ServerHello; message: Uint8Array } | null = null;
  let retry: { hello: ServerHello; clientHello: Uint8Array; message: Uint8Array } | null = null;

  return new Promise<Tls13Exchange>((resolve, reject) => {
    const socket = net.connect(o.port, '127.0.0.1');
    const fail = (err: Error): void => {
      socket.destroy();
      reject(err);
    };
    const timer = setTimeout(() => fail(new Error(`no complete flight within ${o.timeoutMs ?? 5000} ms`)), o.timeoutMs ?? 5000);
    const finish = (exchange: Tls13Exchange): void => {
      clearTimeout(timer);
      socket.destroy();
      resolve(exchange);
    };

    const onHello = (msgType: number, body: Uint8Array): void => {
      if (msgType !== HandshakeType.serverHello) throw new Error(`expected a ServerHello, got handshake type ${msgType}`);
      const sh = decodeServerHello(body);
      if (!sh.isHelloRetryRequest) {
        serverHello = { hello: sh, message: handshakeMessage(msgType, body) };
        return;
      }
      if (retry) throw new Error('a second HelloRetryRequest');
      retry = { hello: sh, clientHello, message: handshakeMessage(msgType, body) };
      pairs = pairsFor([sh.keyShareGroup!]);
      clientHello = buildClientHelloMessage({ ...hello, keyShares: pairs.map((p) => p.share), ...(sh.cookie ? { cookie: sh.cookie } : {}) });
      socket.write(buildRecords(ContentType.handshake, helloRecordVersion(0x0303), clientHello));
    };

    const tryFlight = (): void => {
      const sh = serverHello!;
      const share = decodeServerKeyShare(sh.message.subarray(4));
      const pair = pairs.find((p) => p.share.group === share.group);
      if (!pair) throw new Error(`the server chose group 0x${share.group.toString(16)}, we sent no share for it`);
      try {
        const flight = openServerFlight({
          clientHello,
          serverHello: sh.message,
          sharedSecret: pair.secret(share),
          records,
          ...(retry ? { helloRetry: { clientHello: retry.clientHello, helloRetryRequest: retry.message } } : {}),
        });
        finish({ serverHello: sh.hello, helloRetryRequest: retry?.hello ?? null, flight, records: records.length });
      } catch (err) {
        if (!(err instanceof DecodeError && err.kind === 'truncated')) throw err;
      }
    };

    socket.on('data', (chunk: Buffer) => {
      try {
        stream.feed(new Uint8Array(chunk));
        for (let e = stream.next(); e; e = stream.next()) {
          if (e.kind === 'alert') throw new Error(`alert ${e.level}/${e.description} in the clear`);
          if (e.kind === 'handshake') onHello(e.msgType, e.body);
          if (e.kind === 'applicationData' && e.payload) {
            records.push(e.payload);
            tryFlight();
          }
        }
      } catch (err) {
        clearTimeout(timer);
        fail(err as Error);
      }
    });
    socket.on('error', (err) => {
      clearTimeout(timer);
      fail(err);
    });
    socket.on('close', () => {
      clearTimeout(timer);
      reject(new Error(`connection closed after ${records.length} encrypted record(s)`));
    });
    socket.write(buildRecords(ContentType.handshake, helloRecordVersion(0x0303), clientHello));
  });
}
