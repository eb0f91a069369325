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

/** `host:port` of a connection for messages, an IPv6 address in brackets. */
export function whereOf(o: { address: string; port: number }): string {
  return `${o.address.includes(':') ? `[${o.address}]` : o.address}:${o.port}`;
}

/**
 * How one wait on a socket ends: whichever comes first of an outcome, the deadline and an abort
 * settles it, once, and takes its timer and abort listener with it. A socket error in the same
 * tick as the timer wins: setTimeout callbacks run after I/O callbacks.
 */
class Ending {
  private settled = false;
  private timer: NodeJS.Timeout | undefined;
  private readonly abort = (): void => this.onAbort();

  constructor(
    private readonly deadline: number,
    private readonly signal: AbortSignal | undefined,
    private readonly onTimeout: () => void,
    private readonly onAbort: () => void,
  ) {}

  /** Starts the deadline and listens for the abort; an abort that already happened ends it now. */
  start(): void {
    this.timer = setTimeout(() => this.onTimeout(), Math.max(0, this.deadline - Date.now()));
    if (this.signal?.aborted) this.onAbort();
    else this.signal?.addEventListener('abort', this.abort, { once: true });
  }

  get done(): boolean {
    return this.settled;
  }

  /** True for the first caller only, who then finishes the wait; the timer and the listener are gone. */
  claim(): boolean {
    if (this.settled) return false;
    this.settled = true;
    this.stopDeadline();
    this.signal?.removeEventListener('abort', this.abort);
    return true;
  }

  /** The deadline no longer applies (a handshake finished; only a shorter wait remains). */
  stopDeadline(): void {
    clearTimeout(this.timer);
  }
}

interface Opened {
  socket: net.Socket;
  /** Bytes the preamble read past its last message. */
  leftover: Uint8Array;
}

/** Where an opening connection is: not yet connected, in a preamble step, or ready for the hello. */
interface OpenState {
  connected: boolean;
  step: Preamble | null;
}

function openTimeout(where: string, o: ExchangeOptions, state: OpenState): ProbeError | null {
  if (!state.connected) return new ProbeError('ETIMEDOUT_CONNECT', `${where}: no TCP connection within ${o.timeoutMs} ms`);
  if (state.step) return new ProbeError(`ETIMEDOUT_${state.step.kind}`, `${where}: ${state.step.name}: not finished within ${o.timeoutMs} ms`);
  return null;
}

function openClosed(where: string, state: OpenState): ProbeError {
  if (state.step) return new ProbeError(`E${state.step.kind}`, `${where}: ${state.step.name}: the server closed the connection`);
  return new ProbeError('EEOF', `${where}: connection closed before the TLS handshake`);
}

function openSocketError(where: string, state: OpenState, err: NodeJS.ErrnoException): ProbeError {
  const code = err.code ?? 'ESOCKET';
  if (!state.connected) return new ProbeError(code, `${where}: cannot connect: ${err.message}`, { cause: err });
  if (state.step) return new ProbeError(`E${state.step.kind}`, `${where}: ${state.step.name}: connection reset (${err.message})`, { cause: err });
  return new ProbeError(code, `${where}: ${err.message}`, { cause: err });
}

/** Runs the preamble steps in order; false when one failed (`fail` was called) or the wait ended meanwhile. */
async function runPreamble(steps: readonly Preamble[], conversation: BufferedConversation, state: OpenState, where: string, ending: Ending, fail: (e: ProbeError) => void): Promise<boolean> {
  for (const s of steps) {
    state.step = s;
    try {
      await s.run(conversation);
    } catch (err) {
      fail(preambleFailure(where, s, err));
      return false;
    }
    if (ending.done) return false;
  }
  return !ending.done;
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
    const state: OpenState = { connected: false, step: null };
    const socket = net.connect({ host: o.address, port: o.port, noDelay: true });
    const conversation = new BufferedConversation((d) => socket.write(d), where, MAX_PREAMBLE_BYTES);
    const detach = (): void => {
      socket.off('data', onData);
      socket.off('end', onEnd);
      socket.off('close', onEnd);
    };
    const fail = (error: ProbeError): void => {
      if (!ending.claim()) return;
      detach();
      socket.destroy();
      conversation.fail(error);
      reject(error);
    };
    const ending = new Ending(
      deadline,
      o.signal,
      () => {
        const error = openTimeout(where, o, state);
        if (error) fail(error);
      },
      () => fail(new ProbeError('EABORTED', `${where}: scan aborted`)),
    );
    const onData = (chunk: Buffer): void => conversation.push(new Uint8Array(chunk.buffer, chunk.byteOffset, chunk.length));
    const onEnd = (): void => fail(openClosed(where, state));
    ending.start();
    socket.on('data', onData);
    socket.once('end', onEnd);
    socket.once('close', onEnd);
    // Stays after the handover (ignored then): the next listener is attached in a later microtask.
    socket.on('error', (err: NodeJS.ErrnoException) => fail(openSocketError(where, state, err)));
    socket.once('connect', () => {
      state.connected = true;
      void runPreamble(o.preamble ?? [], conversation, state, where, ending, fail).then((ready) => {
        if (!ready || !ending.claim()) return;
        state.step = null;
        detach();
        socket.pause();
        resolve({ socket, leftover: conversation.leftover() });
      });
    });
  });
}

/** The bytes of one undecided answer: how many came, and the first HEAD_BYTES of them. */
export class Received {
  count = 0;
  head = new Uint8Array(0);

  add(chunk: Uint8Array): void {
    this.count += chunk.length;
    if (this.head.length >= HEAD_BYTES) return;
    const more = chunk.subarray(0, HEAD_BYTES - this.head.length);
    const head = new Uint8Array(this.head.length + more.length);
    head.set(this.head);
    head.set(more, this.head.length);
    this.head = head;
  }
}

/** A decider's exception as the end of an exchange: the server sent what cannot be read. */
function malformedEnd(where: string, err: unknown): DistributiveOmit<ExchangeEnd, 'received' | 'head'> {
  const code = (err as { code?: string }).code ?? 'EMALFORMED';
  return { how: 'malformed', error: new ProbeError(code, `${where}: ${(err as Error).message ?? String(err)}`, { cause: err }) };
}

/**
 * Connects, runs the preamble and sends `payload`; calls `onData` for each chunk until it
 * returns true (`reply` sends more, as a second ClientHello after a HelloRetryRequest). Failures
 * before the hello is sent (refused, unreachable, connect timeout, a refused CONNECT or STARTTLS)
 * reject with ProbeError; anything after resolves with how it ended.
 */
export async function exchange(o: ExchangeOptions, payload: Uint8Array, onData: (chunk: Uint8Array, reply: (bytes: Uint8Array) => void) => boolean): Promise<ExchangeEnd> {
  const where = whereOf(o);
  const deadline = Date.now() + o.timeoutMs;
  const { socket, leftover } = await open(o, where, deadline);
  return new Promise((resolve) => {
    const received = new Received();
    const finish = (ended: DistributiveOmit<ExchangeEnd, 'received' | 'head'>): void => {
      if (!ending.claim()) return;
      socket.removeAllListeners('data');
      socket.destroy();
      resolve(ended.how === 'decided' ? ended : { ...ended, received: received.count, head: received.head });
    };
    const ending = new Ending(
      deadline,
      o.signal,
      () => finish({ how: 'timeout', error: new ProbeError('ETIMEDOUT_HANDSHAKE', `${where}: no decisive answer within ${o.timeoutMs} ms (${received.count} bytes received)`) }),
      () => finish({ how: 'aborted', error: new ProbeError('EABORTED', `${where}: scan aborted`) }),
    );
    const take = (chunk: Uint8Array): void => {
      if (ending.done) return;
      received.add(chunk);
      let decided: boolean;
      try {
        decided = onData(chunk, (bytes) => socket.write(bytes));
      } catch (err) {
        finish(malformedEnd(where, err));
        return;
      }
      if (decided) finish({ how: 'decided' });
      else if (received.count > o.maxBytes) finish({ how: 'toolarge', error: new ProbeError('ETOOLARGE', `${where}: over ${o.maxBytes} bytes without a decisive answer`) });
    };
    ending.start();
    if (ending.done) return;
    socket.on('data', (chunk: Buffer) => take(new Uint8Array(chunk.buffer, chunk.byteOffset, chunk.length)));
    // After a decision the socket still closes: no error is made (and its stack captured) for that.
    const ended = (why: string): void => {
      if (!ending.done) finish({ how: 'eof', error: new ProbeError('EEOF', `${where}: ${why} (${received.count} bytes received)`) });
    };
    socket.once('end', () => ended('server closed the connection without an answer'));
    socket.once('close', () => ended('connection closed'));
    socket.once('error', (err: NodeJS.ErrnoException) => {
      if (ending.done) return;
      const code = err.code ?? 'ESOCKET';
      finish({ how: 'reset', error: new ProbeError(code === 'ECONNRESET' ? 'ECONNRESET' : code, `${where}: connection reset after ${received.count} bytes (${err.message})`, { cause: err }) });
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

/** The chain the server sent, leaf first, as node:tls links it by issuer (each certificate once). */
function peerChain(socket: tls.TLSSocket): Uint8Array[] {
  const chain: Uint8Array[] = [];
  const seen = new Set<string>();
  for (let c: tls.DetailedPeerCertificate | undefined = socket.getPeerCertificate(true); c?.raw && !seen.has(c.fingerprint256); c = c.issuerCertificate) {
    seen.add(c.fingerprint256);
    chain.push(new Uint8Array(c.raw));
  }
  return chain;
}

/** What a completed handshake shows, before the server's verdict on the client. */
function handshakeResult(socket: tls.TLSSocket, o: TlsHandshakeOptions): TlsHandshakeResult {
  const cipher = socket.getCipher() as tls.CipherNameAndProtocol | undefined;
  const key = socket.getEphemeralKeyInfo();
  const group = key && typeof key === 'object' && 'name' in key && typeof key.name === 'string' ? key.name : null;
  const authError = socket.authorizationError as Error | string | null | undefined;
  return {
    chain: peerChain(socket),
    protocol: socket.getProtocol(),
    alpn: typeof socket.alpnProtocol === 'string' ? socket.alpnProtocol : null,
    cipher: cipher?.standardName ?? null,
    group,
    verified: o.identity?.ca ? socket.authorized : null,
    verifyError: o.identity?.ca && !socket.authorized ? String(authError ?? 'not verified') : null,
    refused: null,
    ticket: false,
  };
}

/**
 * How long to wait after the handshake for the server's verdict on the client. TLS 1.2 has
 * settled the client certificate inside the handshake, unless the server judges it in
 * application code (then it closes soon after its Finished).
 */
function verdictWait(o: TlsHandshakeOptions, protocol: string | null): number {
  if (!o.settleMs) return 0;
  if (protocol === 'TLSv1.3') return o.settleMs;
  return o.identity ? Math.min(AFTER_TICKET_MS, o.settleMs) : 0;
}

function tlsOptions(o: TlsHandshakeOptions, raw: net.Socket): tls.ConnectionOptions {
  return {
    socket: raw,
    servername: o.servername ?? undefined,
    ALPNProtocols: o.alpn.length ? [...o.alpn] : undefined,
    rejectUnauthorized: false,
    // Istio and SPIFFE certificates name workloads by URI, not host: only the chain is checked.
    checkServerIdentity: () => undefined,
    minVersion: o.minVersion,
    maxVersion: o.maxVersion,
    ...(o.identity ? { cert: o.identity.cert, key: o.identity.key } : {}),
    // A chain is only checked against the CA of --ca/--spiffe; without one, an empty list keeps
    // node:tls from loading the system root store (and NODE_EXTRA_CA_CERTS) for nothing.
    ca: o.identity?.ca ? o.identity.ca : [],
  };
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
    let result: TlsHandshakeResult | null = null;
    let verdictTimer: NodeJS.Timeout | undefined;
    const socket = tls.connect(tlsOptions(o, raw));
    const done = (err: ProbeError | null): void => {
      if (!ending.claim()) return;
      clearTimeout(verdictTimer);
      socket.destroy();
      raw.destroy();
      if (result) resolve(result);
      else reject(err ?? new ProbeError('ETLS', `${where}: TLS handshake ended without a result`));
    };
    const awaitVerdict = (ms: number): void => {
      clearTimeout(verdictTimer);
      verdictTimer = setTimeout(() => done(null), ms);
    };
    const ending = new Ending(
      deadline,
      o.signal,
      () => done(new ProbeError('ETIMEDOUT_HANDSHAKE', `${where}: TLS handshake not finished within ${o.timeoutMs} ms`)),
      () => done(new ProbeError('EABORTED', `${where}: scan aborted`)),
    );
    ending.start();
    if (ending.done) return;
    // Listening for 'session' makes node:tls read TLS 1.3 tickets and report them. Without a
    // client certificate a ticket settles it; with one, a server that checks it in application
    // code closes the connection right after sending its tickets, so give it a moment.
    socket.on('session', () => {
      if (!result || result.ticket) return;
      result.ticket = true;
      if (!o.identity) done(null);
      else awaitVerdict(Math.min(AFTER_TICKET_MS, o.settleMs ?? 0));
    });
    socket.once('secureConnect', () => {
      result = handshakeResult(socket, o);
      ending.stopDeadline();
      const wait = verdictWait(o, result.protocol);
      if (wait === 0) {
        done(null);
        return;
      }
      awaitVerdict(wait);
      socket.on('data', () => {});
    });
    // After the handshake an error or a close is the server's verdict on the client: refused.
    const ended = (failure: ProbeError, refused: ProbeError): void => {
      if (ending.done) return;
      if (result) result.refused ??= refused;
      done(failure);
    };
    socket.on('error', (err: NodeJS.ErrnoException) => ended(tlsFailure(where, err), tlsFailure(where, err)));
    socket.once('close', () => ended(new ProbeError('EEOF', `${where}: connection closed during the TLS handshake`), new ProbeError('ECLOSED_AFTER_HANDSHAKE', `${where}: the server closed the connection right after the handshake`)));
  });
}
