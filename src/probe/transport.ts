/**
 * The only module that opens TCP sockets. One call = one connection: connect, run the preamble
 * (an HTTP CONNECT, a STARTTLS dialogue) if there is one, write the hello, hand every chunk to a
 * decider until it says the answer is known, then close. Time, bytes and aborts are bounded
 * here so nothing above has to think about a socket that hangs, drips, floods or resets.
 */
import net from 'node:net';
import tls from 'node:tls';
import { BufferedConversation } from './conversation.js';
import { normalizeCode, ProbeError } from './errors.js';
import { MAX_PREAMBLE_BYTES, preambleFailure, type Preamble } from './preamble.js';
import type { ClientIdentity } from './types.js';

export { ProbeError } from './errors.js';

export interface ExchangeOptions {
  /** The TCP peer: the server, or the proxy when the first preamble step is a CONNECT. */
  address: string;
  port: number;
  /** Connect + preamble + answer budget for this connection. */
  timeoutMs: number;
  /** Stop reading after this many bytes (the decider has not decided by then: ETOOLARGE). */
  maxBytes: number;
  signal?: AbortSignal;
  /** Steps run in order on the connected socket before the hello; each new connection replays them. */
  preamble?: readonly Preamble[];
}

/** How the exchange ended when the decider did not decide. */
type DistributiveOmit<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never;

export type ExchangeEnd =
  | { how: 'decided' }
  | {
      how: 'eof' | 'reset' | 'timeout' | 'toolarge' | 'aborted' | 'malformed';
      error: ProbeError;
      /** Bytes the server sent before the end. */
      received: number;
      /** The first HEAD_BYTES of what it sent: enough to name another protocol answering. */
      head: Uint8Array;
    };

/** How much of an undecided answer is kept (ExchangeEnd.head). */
const HEAD_BYTES = 64;

function whereOf(o: ExchangeOptions): string {
  return `${o.address.includes(':') ? `[${o.address}]` : o.address}:${o.port}`;
}

interface Opened {
  socket: net.Socket;
  /** Bytes the preamble read past its last message. */
  leftover: Uint8Array;
}

/**
 * Connects and runs the preamble steps. Rejects with a ProbeError for every failure up to the
 * point where the hello can be sent (refused, unreachable, a proxy or STARTTLS refusal, time up),
 * and resolves with the socket paused and no 'data' listener left, so no byte is lost.
 */
function open(o: ExchangeOptions, where: string, deadline: number): Promise<Opened> {
  return new Promise((resolve, reject) => {
    if (o.signal?.aborted) {
      reject(new ProbeError('EABORTED', `${where}: scan aborted before connecting`));
      return;
    }
    const steps = o.preamble ?? [];
    let step: Preamble | null = null;
    let connected = false;
    let settled = false;
    const socket = net.connect({ host: o.address, port: o.port, noDelay: true });
    const conversation = new BufferedConversation((d) => socket.write(d), where, MAX_PREAMBLE_BYTES);

    const cleanup = (): void => {
      clearTimeout(timer);
      o.signal?.removeEventListener('abort', onAbort);
      socket.off('data', onData);
      socket.off('end', onEnd);
      socket.off('close', onEnd);
    };
    const fail = (error: ProbeError): void => {
      if (settled) return;
      settled = true;
      cleanup();
      socket.destroy();
      conversation.fail(error);
      reject(error);
    };
    const onAbort = (): void => fail(new ProbeError('EABORTED', `${where}: scan aborted`));
    // A socket error in the same tick as the timer wins: setTimeout callbacks run after I/O.
    const timer = setTimeout(() => {
      if (!connected) fail(new ProbeError('ETIMEDOUT_CONNECT', `${where}: no TCP connection within ${o.timeoutMs} ms`));
      else if (step) fail(new ProbeError(`ETIMEDOUT_${step.kind}`, `${where}: ${step.name}: not finished within ${o.timeoutMs} ms`));
    }, Math.max(0, deadline - Date.now()));
    const onData = (chunk: Buffer): void => conversation.push(new Uint8Array(chunk.buffer, chunk.byteOffset, chunk.length));
    const onEnd = (): void => {
      if (step) fail(new ProbeError(`E${step.kind}`, `${where}: ${step.name}: the server closed the connection`));
      else fail(new ProbeError('EEOF', `${where}: connection closed before the TLS handshake`));
    };
    o.signal?.addEventListener('abort', onAbort, { once: true });
    socket.on('data', onData);
    socket.once('end', onEnd);
    socket.once('close', onEnd);
    // Stays after the handover (ignored then): the next listener is attached in a later microtask.
    socket.on('error', (err: NodeJS.ErrnoException) => {
      const code = err.code ?? 'ESOCKET';
      if (!connected) fail(new ProbeError(code, `${where}: cannot connect: ${err.message}`, { cause: err }));
      else if (step) fail(new ProbeError(`E${step.kind}`, `${where}: ${step.name}: connection reset (${err.message})`, { cause: err }));
      else fail(new ProbeError(code, `${where}: ${err.message}`, { cause: err }));
    });
    socket.once('connect', () => {
      connected = true;
      void (async () => {
        for (const s of steps) {
          step = s;
          try {
            await s.run(conversation);
          } catch (err) {
            fail(preambleFailure(where, s, err));
            return;
          }
          if (settled) return;
        }
        if (settled) return;
        settled = true;
        step = null;
        cleanup();
        socket.pause();
        resolve({ socket, leftover: conversation.leftover() });
      })();
    });
  });
}

/**
 * Connects, runs the preamble and sends `payload`; calls `onData` for each chunk until it
 * returns true (`reply` sends more, as a second ClientHello after a HelloRetryRequest). Failures before the hello is sent (refused, unreachable, connect timeout, a
 * refused CONNECT or STARTTLS) reject with ProbeError; anything after resolves with how it ended.
 */
export async function exchange(o: ExchangeOptions, payload: Uint8Array, onData: (chunk: Uint8Array, reply: (bytes: Uint8Array) => void) => boolean): Promise<ExchangeEnd> {
  const where = whereOf(o);
  const deadline = Date.now() + o.timeoutMs;
  const { socket, leftover } = await open(o, where, deadline);
  return new Promise((resolve) => {
    let settled = false;
    let received = 0;
    let head = new Uint8Array(0);
    const finish = (ended: DistributiveOmit<ExchangeEnd, 'received' | 'head'>): void => {
      const end = ended.how === 'decided' ? ended : { ...ended, received, head };
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      o.signal?.removeEventListener('abort', onAbort);
      socket.removeAllListeners('data');
      socket.destroy();
      resolve(end);
    };
    const onAbort = (): void => finish({ how: 'aborted', error: new ProbeError('EABORTED', `${where}: scan aborted`) });
    const timer = setTimeout(
      () => finish({ how: 'timeout', error: new ProbeError('ETIMEDOUT_HANDSHAKE', `${where}: no decisive answer within ${o.timeoutMs} ms (${received} bytes received)`) }),
      Math.max(0, deadline - Date.now()),
    );
    const take = (chunk: Uint8Array): void => {
      if (settled) return;
      received += chunk.length;
      if (head.length < HEAD_BYTES) head = Uint8Array.from([...head, ...chunk.subarray(0, HEAD_BYTES - head.length)]);
      let decided: boolean;
      try {
        decided = onData(chunk, (bytes) => socket.write(bytes));
      } catch (err) {
        const code = (err as { code?: string }).code ?? 'EMALFORMED';
        finish({ how: 'malformed', error: new ProbeError(code, `${where}: ${(err as Error).message ?? String(err)}`, { cause: err }) });
        return;
      }
      if (decided) finish({ how: 'decided' });
      else if (received > o.maxBytes) {
        finish({ how: 'toolarge', error: new ProbeError('ETOOLARGE', `${where}: over ${o.maxBytes} bytes without a decisive answer`) });
      }
    };
    if (o.signal?.aborted) {
      onAbort();
      return;
    }
    o.signal?.addEventListener('abort', onAbort, { once: true });
    socket.on('data', (chunk: Buffer) => take(new Uint8Array(chunk.buffer, chunk.byteOffset, chunk.length)));
    socket.once('end', () => finish({ how: 'eof', error: new ProbeError('EEOF', `${where}: server closed the connection without an answer (${received} bytes received)`) }));
    socket.once('close', () => finish({ how: 'eof', error: new ProbeError('EEOF', `${where}: connection closed (${received} bytes received)`) }));
    socket.once('error', (err: NodeJS.ErrnoException) => {
      const code = err.code ?? 'ESOCKET';
      finish({ how: 'reset', error: new ProbeError(code === 'ECONNRESET' ? 'ECONNRESET' : code, `${where}: connection reset after ${received} bytes (${err.message})`, { cause: err }) });
    });
    socket.write(payload);
    socket.resume();
    if (leftover.length > 0) take(leftover);
  });
}

export interface TlsHandshakeOptions extends ExchangeOptions {
  servername: string | null;
  alpn: readonly string[];
  minVersion: tls.SecureVersion;
  maxVersion: tls.SecureVersion;
  /** Sent when the server asks for a certificate; its `ca` is what the server's chain is verified against. */
  identity?: ClientIdentity;
  /**
   * How long to wait after the handshake for the server's verdict on the client: a TLS 1.3
   * server reads the client's certificate after the client's side is done, and answers with a
   * session ticket or an alert; a server that checks certificates in application code (node:tls
   * with rejectUnauthorized) just closes the connection. 0: do not wait.
   */
  settleMs?: number;
}

export interface TlsHandshakeResult {
  /** DER certificates, leaf first, as the server sent them (node:tls links them by issuer). */
  chain: Uint8Array[];
  protocol: string | null;
  alpn: string | null;
  /** IANA name of the negotiated cipher suite. */
  cipher: string | null;
  /** Key-exchange group as OpenSSL names it ('X25519', 'prime256v1', 'X25519MLKEM768'); null when not told. */
  group: string | null;
  /** The server's chain verified against `identity.ca` (no host name check); null without a CA. */
  verified: boolean | null;
  verifyError: string | null;
  /**
   * The alert (TLS 1.3) or close (ECLOSED_AFTER_HANDSHAKE) that ended the connection right
   * after the handshake completed on our side.
   */
  refused: ProbeError | null;
  /** TLS 1.3: the server sent a session ticket after our last flight (so it accepted it). */
  ticket: boolean;
}

/** How long a server may take to close the connection after its session tickets or TLS 1.2 Finished. */
const AFTER_TICKET_MS = 150;

/** The ProbeError of a failed node:tls handshake; the code keeps OpenSSL's alert name (ERR_SSL_..._ALERT_CERTIFICATE_REQUIRED). */
function tlsFailure(where: string, err: NodeJS.ErrnoException): ProbeError {
  // OpenSSL's message is "<hex>:error:<code>:SSL routines:<function>:<reason>:<file>:<line>:SSL alert number N".
  const reason = /:SSL routines:[^:]*:([^:]+):/.exec(err.message)?.[1];
  const alert = /SSL alert number (\d+)/.exec(err.message)?.[1];
  const text = reason ? `${reason}${alert ? ` (alert ${alert})` : ''}` : err.message.trim();
  return new ProbeError(normalizeCode(err.code, 'ETLS'), `${where}: TLS handshake failed: ${text}`, { cause: err });
}

/**
 * A full handshake through node:tls, for what our own hellos cannot see: the TLS 1.3
 * certificate chain is encrypted, so it is read from a real handshake, and so are the outcome
 * a real client gets and the server's verdict on a client certificate. The chain is never
 * trusted: with a CA it is only checked, and the answer reported.
 */
export async function tlsHandshake(o: TlsHandshakeOptions): Promise<TlsHandshakeResult> {
  const where = whereOf(o);
  const deadline = Date.now() + o.timeoutMs;
  const { socket: raw, leftover } = await open(o, where, deadline);
  if (leftover.length > 0) raw.unshift(Buffer.from(leftover));
  return new Promise((resolve, reject) => {
    let settled = false;
    let result: TlsHandshakeResult | null = null;
    const socket = tls.connect({
      socket: raw,
      servername: o.servername ?? undefined,
      ALPNProtocols: o.alpn.length ? [...o.alpn] : undefined,
      rejectUnauthorized: false,
      // Istio and SPIFFE certificates name workloads by URI, not host: only the chain is checked.
      checkServerIdentity: () => undefined,
      minVersion: o.minVersion,
      maxVersion: o.maxVersion,
      ...(o.identity ? { cert: o.identity.cert, key: o.identity.key, ...(o.identity.ca ? { ca: o.identity.ca } : {}) } : {}),
    });
    const done = (err: ProbeError | null): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      clearTimeout(settleTimer);
      o.signal?.removeEventListener('abort', onAbort);
      socket.destroy();
      raw.destroy();
      if (result) resolve(result);
      else reject(err ?? new ProbeError('ETLS', `${where}: TLS handshake ended without a result`));
    };
    let settleTimer: NodeJS.Timeout | undefined;
    const onAbort = (): void => done(new ProbeError('EABORTED', `${where}: scan aborted`));
    const timer = setTimeout(() => done(new ProbeError('ETIMEDOUT_HANDSHAKE', `${where}: TLS handshake not finished within ${o.timeoutMs} ms`)), Math.max(0, deadline - Date.now()));
    if (o.signal?.aborted) {
      onAbort();
      return;
    }
    o.signal?.addEventListener('abort', onAbort, { once: true });
    // Listening for 'session' makes node:tls read TLS 1.3 tickets and report them. Without a
    // client certificate a ticket settles it; with one, a server that checks it in application
    // code closes the connection right after sending its tickets, so give it a moment.
    socket.on('session', () => {
      if (!result || result.ticket) return;
      result.ticket = true;
      if (!o.identity) done(null);
      else {
        clearTimeout(settleTimer);
        settleTimer = setTimeout(() => done(null), Math.min(AFTER_TICKET_MS, o.settleMs ?? 0));
      }
    });
    socket.once('secureConnect', () => {
      const chain: Uint8Array[] = [];
      const seen = new Set<string>();
      for (let c: tls.DetailedPeerCertificate | undefined = socket.getPeerCertificate(true); c?.raw && !seen.has(c.fingerprint256); c = c.issuerCertificate) {
        seen.add(c.fingerprint256);
        chain.push(new Uint8Array(c.raw));
      }
      const cipher = socket.getCipher() as tls.CipherNameAndProtocol | undefined;
      const key = socket.getEphemeralKeyInfo();
      const group = key && typeof key === 'object' && 'name' in key && typeof key.name === 'string' ? key.name : null;
      const authError = socket.authorizationError as Error | string | null | undefined;
      result = {
        chain,
        protocol: socket.getProtocol(),
        alpn: typeof socket.alpnProtocol === 'string' ? socket.alpnProtocol : null,
        cipher: cipher?.standardName ?? null,
        group,
        verified: o.identity?.ca ? socket.authorized : null,
        verifyError: o.identity?.ca && !socket.authorized ? String(authError ?? 'not verified') : null,
        refused: null,
        ticket: false,
      };
      clearTimeout(timer);
      // TLS 1.2 has settled the client certificate inside the handshake, unless the server judges it in application code.
      const wait = !o.settleMs ? 0 : result.protocol === 'TLSv1.3' ? o.settleMs : o.identity ? Math.min(AFTER_TICKET_MS, o.settleMs) : 0;
      if (wait === 0) {
        done(null);
        return;
      }
      settleTimer = setTimeout(() => done(null), wait);
      socket.on('data', () => {});
    });
    socket.on('error', (err: NodeJS.ErrnoException) => {
      if (settled) return;
      const failure = tlsFailure(where, err);
      if (result) result.refused = failure;
      done(failure);
    });
    socket.once('close', () => {
      if (settled) return;
      if (result) result.refused ??= new ProbeError('ECLOSED_AFTER_HANDSHAKE', `${where}: the server closed the connection right after the handshake`);
      done(new ProbeError('EEOF', `${where}: connection closed during the TLS handshake`));
    });
  });
}
