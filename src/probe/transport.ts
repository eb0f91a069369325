/**
 * The only module that opens TCP sockets. One call = one connection: connect, write the
 * hello, hand every chunk to a decider until it says the answer is known, then close. Time,
 * bytes and aborts are bounded here so nothing above has to think about a socket that hangs,
 * drips, floods or resets.
 */
import net from 'node:net';
import tls from 'node:tls';

/** Typed failure of a connection, with a stable code and the original error as `cause`. */
export class ProbeError extends Error {
  readonly code: string;
  constructor(code: string, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'ProbeError';
    this.code = code;
  }
}

export interface ExchangeOptions {
  address: string;
  port: number;
  /** Connect + answer budget for this connection. */
  timeoutMs: number;
  /** Stop reading after this many bytes (the decider has not decided by then: ETOOLARGE). */
  maxBytes: number;
  signal?: AbortSignal;
}

/** How the exchange ended when the decider did not decide. */
export type ExchangeEnd =
  | { how: 'decided' }
  | { how: 'eof' | 'reset' | 'timeout' | 'toolarge' | 'aborted' | 'malformed'; error: ProbeError };

/**
 * Connects and sends `payload`; calls `onData` for each chunk until it returns true.
 * Connection-level failures (refused, unreachable, connect timeout) reject with ProbeError;
 * anything after the connection is up resolves with how it ended.
 */
export function exchange(
  o: ExchangeOptions,
  payload: Uint8Array,
  onData: (chunk: Uint8Array) => boolean,
): Promise<ExchangeEnd> {
  return new Promise((resolve, reject) => {
    const where = `${o.address.includes(':') ? `[${o.address}]` : o.address}:${o.port}`;
    if (o.signal?.aborted) {
      reject(new ProbeError('EABORTED', `${where}: scan aborted before connecting`));
      return;
    }
    let connected = false;
    let settled = false;
    let received = 0;
    const socket = net.connect({ host: o.address, port: o.port, noDelay: true });

    const finish = (end: ExchangeEnd | ProbeError): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      o.signal?.removeEventListener('abort', onAbort);
      socket.removeAllListeners('data');
      socket.destroy();
      if (end instanceof ProbeError) reject(end);
      else resolve(end);
    };
    const onAbort = (): void => {
      const error = new ProbeError('EABORTED', `${where}: scan aborted`);
      finish(connected ? { how: 'aborted', error } : error);
    };
    // A socket error in the same tick as the timer wins: setTimeout callbacks run after I/O.
    const timer = setTimeout(() => {
      if (!connected) finish(new ProbeError('ETIMEDOUT_CONNECT', `${where}: no TCP connection within ${o.timeoutMs} ms`));
      else finish({ how: 'timeout', error: new ProbeError('ETIMEDOUT_HANDSHAKE', `${where}: no decisive answer within ${o.timeoutMs} ms (${received} bytes received)`) });
    }, o.timeoutMs);
    o.signal?.addEventListener('abort', onAbort, { once: true });

    socket.once('connect', () => {
      connected = true;
      socket.write(payload);
    });
    socket.on('data', (chunk: Buffer) => {
      if (settled) return;
      received += chunk.length;
      let decided: boolean;
      try {
        decided = onData(new Uint8Array(chunk.buffer, chunk.byteOffset, chunk.length));
      } catch (err) {
        const code = (err as { code?: string }).code ?? 'EMALFORMED';
        finish({ how: 'malformed', error: new ProbeError(code, `${where}: ${(err as Error).message ?? String(err)}`, { cause: err }) });
        return;
      }
      if (decided) finish({ how: 'decided' });
      else if (received > o.maxBytes) {
        finish({ how: 'toolarge', error: new ProbeError('ETOOLARGE', `${where}: over ${o.maxBytes} bytes without a decisive answer`) });
      }
    });
    socket.once('end', () => finish({ how: 'eof', error: new ProbeError('EEOF', `${where}: server closed the connection without an answer (${received} bytes received)`) }));
    socket.once('close', () => finish({ how: 'eof', error: new ProbeError('EEOF', `${where}: connection closed (${received} bytes received)`) }));
    socket.once('error', (err: NodeJS.ErrnoException) => {
      const code = err.code ?? 'ESOCKET';
      if (!connected) {
        finish(new ProbeError(code, `${where}: cannot connect: ${err.message}`, { cause: err }));
        return;
      }
      finish({ how: 'reset', error: new ProbeError(code === 'ECONNRESET' ? 'ECONNRESET' : code, `${where}: connection reset after ${received} bytes (${err.message})`, { cause: err }) });
    });
  });
}

export interface TlsHandshakeResult {
  /** DER certificates, leaf first, as the server sent them (node:tls links them by issuer). */
  chain: Uint8Array[];
  protocol: string | null;
  alpn: string | null;
}

/**
 * A full handshake through node:tls, for what our own hellos cannot see: the TLS 1.3
 * certificate chain is encrypted, so it is read from a real handshake. No verification: the
 * scanner reports certificates, it does not trust them.
 */
export function tlsHandshake(
  o: ExchangeOptions & { servername: string | null; alpn: readonly string[]; minVersion: tls.SecureVersion; maxVersion: tls.SecureVersion },
): Promise<TlsHandshakeResult> {
  return new Promise((resolve, reject) => {
    const where = `${o.address}:${o.port}`;
    let settled = false;
    const socket = tls.connect({
      host: o.address,
      port: o.port,
      servername: o.servername ?? undefined,
      ALPNProtocols: o.alpn.length ? [...o.alpn] : undefined,
      rejectUnauthorized: false,
      minVersion: o.minVersion,
      maxVersion: o.maxVersion,
    });
    const done = (err: ProbeError | null, value?: TlsHandshakeResult): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      o.signal?.removeEventListener('abort', onAbort);
      socket.destroy();
      if (err) reject(err);
      else resolve(value!);
    };
    const onAbort = (): void => done(new ProbeError('EABORTED', `${where}: scan aborted`));
    const timer = setTimeout(() => done(new ProbeError('ETIMEDOUT_HANDSHAKE', `${where}: TLS handshake not finished within ${o.timeoutMs} ms`)), o.timeoutMs);
    o.signal?.addEventListener('abort', onAbort, { once: true });
    socket.once('secureConnect', () => {
      const chain: Uint8Array[] = [];
      const seen = new Set<string>();
      for (let c: tls.DetailedPeerCertificate | undefined = socket.getPeerCertificate(true); c?.raw && !seen.has(c.fingerprint256); c = c.issuerCertificate) {
        seen.add(c.fingerprint256);
        chain.push(new Uint8Array(c.raw));
      }
      done(null, { chain, protocol: socket.getProtocol(), alpn: typeof socket.alpnProtocol === 'string' ? socket.alpnProtocol : null });
    });
    socket.once('error', (err: NodeJS.ErrnoException) => done(new ProbeError(err.code ?? 'ETLS', `${where}: TLS handshake failed: ${err.message}`, { cause: err })));
  });
}
