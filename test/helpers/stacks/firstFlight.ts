/**
 * What a real server sends back to one exact ClientHello, message by message: for pinning odd
 * stack behaviour to hellos that `probe()` cannot shape (one optional extension alone, a chosen
 * extension set). The hello comes from fipscan's own wire builder (src/wire/clientHello.ts), the
 * socket from src/probe/transport.ts and the framing from src/wire/records.ts, so the bytes on
 * the wire are the scanner's; only the reading stops at the end of the server's first flight
 * (ServerHelloDone, a TLS 1.3 ServerHello or HelloRetryRequest, or an alert) instead of at the
 * first decisive message.
 */

import { buildClientHello, type ClientHelloOptions } from '../../../src/wire/clientHello.js';
import { ServerStream } from '../../../src/wire/records.js';
import { decodeServerHello } from '../../../src/wire/serverMessages.js';
import { HandshakeType } from '../../../src/registry/handshake.js';
import { exchange, type ExchangeEnd } from '../../../src/probe/transport.js';

export interface FirstFlight {
  /** 'ServerHello', 'HelloRetryRequest', 'Certificate', 'ServerKeyExchange', 'ServerHelloDone', 'alert 2/40', ... in arrival order. */
  messages: string[];
  /** The ServerHello's (or HelloRetryRequest's) extension types, in the order sent. */
  serverHelloExtensions: number[] | null;
  /** 'decided': the flight ended in a message; otherwise how the connection ended first. */
  end: ExchangeEnd['how'];
  /** Bytes the server sent before an undecided end (0: closed before sending anything). */
  received: number | null;
}

const messageNames: Record<number, string> = {
  [HandshakeType.serverHello]: 'ServerHello',
  [HandshakeType.certificate]: 'Certificate',
  [HandshakeType.serverKeyExchange]: 'ServerKeyExchange',
  [HandshakeType.certificateRequest]: 'CertificateRequest',
  [HandshakeType.serverHelloDone]: 'ServerHelloDone',
  [HandshakeType.certificateStatus]: 'CertificateStatus',
};

/** Sends `hello` to 127.0.0.1:`port` and reads the server's first flight (never throws for what the server does). */
export async function firstFlight(port: number, hello: ClientHelloOptions, timeoutMs = 3000): Promise<FirstFlight> {
  const stream = new ServerStream();
  const flight: FirstFlight = { messages: [], serverHelloExtensions: null, end: 'decided', received: null };
  const onData = (chunk: Uint8Array): boolean => {
    stream.feed(chunk);
    for (let e = stream.next(); e; e = stream.next()) {
      if (e.kind === 'alert') {
        flight.messages.push(`alert ${e.level}/${e.description}`);
        return true;
      }
      if (e.kind !== 'handshake') continue;
      if (e.msgType === HandshakeType.serverHello) {
        const serverHello = decodeServerHello(e.body);
        flight.messages.push(serverHello.isHelloRetryRequest ? 'HelloRetryRequest' : 'ServerHello');
        flight.serverHelloExtensions = serverHello.extensionTypes;
        if (serverHello.version >= 0x0304) return true;
        continue;
      }
      flight.messages.push(messageNames[e.msgType] ?? `handshake ${e.msgType}`);
      if (e.msgType === HandshakeType.serverHelloDone) return true;
    }
    return false;
  };
  const end = await exchange({ address: '127.0.0.1', port, timeoutMs, maxBytes: 256 * 1024 }, buildClientHello(hello), onData);
  flight.end = end.how;
  if (end.how !== 'decided') flight.received = end.received;
  return flight;
}
