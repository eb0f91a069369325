/**
 * One SSH probe = one TCP connection: send our identification line, read the server's lines,
 * its identification and its SSH_MSG_KEXINIT, close. Nothing is negotiated or authenticated.
 * OpenSSH (9.2, measured) sends its banner on accept, waits for our identification line, then
 * sends its KEXINIT without waiting for a KEXINIT of ours, so the client never sends one. Our
 * line goes out on connect, as OpenSSH's client does (RFC 4253 §4.2: both sides send at once):
 * an SSH server answers in any order, and a port that is not SSH is made to show what it is
 * at once (a TLS server hangs up on a line of text, an HTTP server answers 400). The socket is
 * transport.ts's: time, bytes and aborts are bounded there; this module turns what came back
 * into a KEXINIT or a typed failure.
 */
import { DecodeError, hex } from '../wire/bytes.js';
import { encodeIdentification, type Kexinit, type SshIdentification } from '../wire/ssh.js';
import { SshGreetingReader, type SshGreeting } from '../wire/sshGreeting.js';
import { foreignAnswer } from '../wire/foreign.js';
import type { Preamble } from './preamble.js';
import { exchange, ProbeError, Received, whereOf, type ExchangeEnd } from './transport.js';

/** Bytes read at most: a KEXINIT of every algorithm OpenSSH knows is about 1.5 KiB. */
const SSH_MAX_BYTES = 64 * 1024;

/** Protocol versions of an SSH-2 server: `1.99` also speaks SSH-1 (RFC 4253 §5.1). */
const SSH2_VERSIONS: ReadonlySet<string> = new Set(['2.0', '1.99']);

export interface SshProbeOptions {
  /** The TCP peer: the server, or the proxy when a preamble step is an HTTP CONNECT. */
  address: string;
  port: number;
  /** Connect + answer budget. */
  timeoutMs: number;
  /** fipscan's version: our line is `SSH-2.0-fipscan_<clientVersion>` ('-' and spaces become '_'). */
  clientVersion: string;
  /** Stop after this many bytes without a KEXINIT (default SSH_MAX_BYTES). */
  maxBytes?: number;
  signal?: AbortSignal;
  /** Steps before our identification line (an HTTP CONNECT through a proxy). */
  preamble?: readonly Preamble[];
}

export type SshProbeOutcome =
  | {
      kind: 'kexinit';
      identification: SshIdentification;
      /** Lines the server sent before its identification. */
      preamble: string[];
      kexinit: Kexinit;
      /** The KEXINIT payload as sent (message number first), as evidence. */
      payload: Uint8Array;
      elapsedMs: number;
    }
  | {
      kind: 'failed';
      /** ENOTSSH, ESSH_BANNER, EMALFORMED_SSH, ESSH_DISCONNECT, ETIMEDOUT_HANDSHAKE, ECONNREFUSED, ... */
      error: ProbeError;
      /** ENOTSSH: what the port speaks instead (`TLS`, `HTTP`, `an unknown protocol`), when it said anything. */
      otherProtocol: string | null;
      received: number;
      elapsedMs: number;
    };

/** What a port that is not SSH sent, in words, and the protocol it looks like. */
function describeNotSsh(head: Uint8Array): { protocol: string | null; text: string } {
  if (head.length === 0) return { protocol: null, text: 'nothing' };
  const bytes = hex(head.subarray(0, 8)).replace(/(..)(?!$)/g, '$1 ');
  if (head[0]! >= 20 && head[0]! <= 24 && head[1] === 3) {
    const kind = head[0] === 21 ? 'a TLS alert' : head[0] === 22 ? 'a TLS handshake record' : 'a TLS record';
    return { protocol: 'TLS', text: `${kind} (${bytes}): a TLS server, which waits for a ClientHello` };
  }
  const foreign = foreignAnswer(head);
  if (foreign === null) return { protocol: 'an unknown protocol', text: `binary data (${bytes})` };
  return { protocol: foreign.protocol, text: `${foreign.protocol} ("${foreign.sample}")` };
}

/** A failure thrown inside the data callback; transport.ts prefixes the address and keeps the code. */
function failure(code: string, message: string, cause?: unknown): ProbeError {
  return new ProbeError(code, message, cause === undefined ? undefined : { cause });
}

/** Rejects a server that identifies itself as anything but SSH-2 (`SSH-1.5-`). */
function checkVersion(id: SshIdentification): void {
  if (!SSH2_VERSIONS.has(id.protoVersion)) {
    throw failure('ESSH_BANNER', `the server speaks SSH protocol ${id.protoVersion}, not 2.0 or 1.99: ${JSON.stringify(id.line.slice(0, 120))}`);
  }
}

/** Per connection: feeds the greeting reader and fails as soon as the bytes cannot be SSH-2. */
class GreetingWatch {
  readonly reader = new SshGreetingReader();
  greeting: SshGreeting | null = null;
  readonly received = new Received();

  /** The exchange's data callback: true once the KEXINIT (or a DISCONNECT) is in. */
  take(chunk: Uint8Array): boolean {
    this.received.add(chunk);
    const hadIdentification = this.reader.identification !== null;
    try {
      this.greeting = this.reader.feed(chunk);
    } catch (err) {
      if (!(err instanceof DecodeError)) throw err;
      if (this.reader.identification === null) {
        throw failure('ENOTSSH', `not SSH: the port answers with ${describeNotSsh(this.received.head).text}`, err);
      }
      throw failure('EMALFORMED_SSH', `malformed SSH from ${JSON.stringify(this.reader.identification.line.slice(0, 80))}: ${err.message}`, err);
    }
    const id = this.reader.identification;
    if (id !== null && !hadIdentification) checkVersion(id);
    // Lines before the identification are legal, but not an HTTP status line or an SMTP greeting.
    if (id === null && this.reader.preamble.length > 0) {
      const named = describeNotSsh(this.received.head);
      if (named.protocol !== null && named.protocol !== 'an unknown protocol') throw failure('ENOTSSH', `not SSH: the port answers in ${named.text}`);
    }
    return this.greeting !== null;
  }
}

/** The failure an exchange that ended without a greeting stands for. */
function undecided(end: Exclude<ExchangeEnd, { how: 'decided' }>, watch: GreetingWatch, o: SshProbeOptions, where: string): { error: ProbeError; otherProtocol: string | null } {
  const id = watch.reader.identification;
  const seen = describeNotSsh(end.head);
  if (end.how === 'malformed' || end.how === 'aborted') return { error: end.error, otherProtocol: end.error.code === 'ENOTSSH' ? seen.protocol : null };
  if (id !== null) {
    const after = `after its identification ${JSON.stringify(id.line.slice(0, 80))}`;
    if (end.how === 'timeout') return { error: new ProbeError('ETIMEDOUT_HANDSHAKE', `${where}: no SSH_MSG_KEXINIT within ${o.timeoutMs} ms ${after}`), otherProtocol: null };
    if (end.how === 'toolarge') return { error: new ProbeError('ETOOLARGE', `${where}: over ${o.maxBytes ?? SSH_MAX_BYTES} bytes ${after} without a KEXINIT`), otherProtocol: null };
    const closed = end.how === 'reset' ? 'reset' : 'closed';
    return { error: new ProbeError(end.error.code, `${where}: the SSH server ${closed} the connection ${after}, before its KEXINIT`, { cause: end.error }), otherProtocol: null };
  }
  if (end.received === 0) {
    const silent =
      end.how === 'timeout'
        ? `the server stayed silent for ${o.timeoutMs} ms, even after our identification line: an SSH server speaks first (a TLS server waits for a ClientHello)`
        : `the server ${end.how === 'reset' ? 'reset' : 'closed'} the connection without a word on our identification line: an SSH server sends its own "SSH-2.0-..." line first (a TLS server hangs up on a line of text; for a TLS port, scan HOST:PORT without ssh://)`;
    return { error: new ProbeError('ENOTSSH', `${where}: not SSH: ${silent}`, { cause: end.error }), otherProtocol: null };
  }
  return {
    error: new ProbeError('ENOTSSH', `${where}: not SSH: ${end.received} bytes and no SSH identification line: the port answers with ${seen.text}`, { cause: end.error }),
    otherProtocol: seen.protocol,
  };
}

/**
 * Reads one server's identification and KEXINIT. Never throws for what the network or the
 * server does: a refusal, silence, another protocol or a malformed packet is a `failed` outcome.
 */
export async function probeSsh(o: SshProbeOptions): Promise<SshProbeOutcome> {
  const started = Date.now();
  const where = whereOf(o);
  const watch = new GreetingWatch();
  const elapsed = (): number => Date.now() - started;
  let end: ExchangeEnd;
  try {
    // RFC 4253 §4.2: no '-' or space in softwareversion ('0.2.0-rc.1' is a valid fipscan version).
    const line = encodeIdentification(`fipscan_${o.clientVersion.replace(/[^\x21-\x2c\x2e-\x7e]/g, '_')}`);
    const options = { address: o.address, port: o.port, timeoutMs: o.timeoutMs, maxBytes: o.maxBytes ?? SSH_MAX_BYTES, signal: o.signal, preamble: o.preamble };
    end = await exchange(options, line, (chunk) => watch.take(chunk));
  } catch (err) {
    if (!(err instanceof ProbeError)) throw err;
    return { kind: 'failed', error: err, otherProtocol: null, received: 0, elapsedMs: elapsed() };
  }
  if (end.how !== 'decided') return { kind: 'failed', ...undecided(end, watch, o, where), received: end.received, elapsedMs: elapsed() };
  const g = watch.greeting!;
  if (g.kind === 'disconnect') {
    const d = g.disconnect;
    const error = new ProbeError('ESSH_DISCONNECT', `${where}: the SSH server disconnected before its KEXINIT: reason ${d.reasonCode}, ${JSON.stringify(d.description.slice(0, 200))}`);
    return { kind: 'failed', error, otherProtocol: null, received: g.consumed, elapsedMs: elapsed() };
  }
  return { kind: 'kexinit', identification: g.identification, preamble: g.preamble, kexinit: g.kexinit, payload: g.payload, elapsedMs: elapsed() };
}
