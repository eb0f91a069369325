/**
 * What runs on a connected socket before the ClientHello: an HTTP CONNECT through a proxy, a
 * STARTTLS dialogue (SMTP, IMAP, PostgreSQL, ...), or both in turn. A preamble is plain protocol
 * logic over a Conversation (read a line, read n bytes, write), so it knows nothing of sockets,
 * timers or byte limits: transport.ts runs it on each new connection under the connection's
 * own timeout, abort signal and byte bound, and only then sends the hello.
 */
import { ProbeError } from './errors.js';

/** The reading and writing a preamble may do. Every read rejects with a ProbeError when the peer closes, the time is up or the scan is aborted. */
export interface Conversation {
  /** The next line, without its line ending (CRLF or LF). */
  readLine(): Promise<string>;
  /** Exactly `n` bytes. */
  read(n: number): Promise<Uint8Array>;
  /**
   * One message whose length `frame` tells from the buffered bytes: it returns the length
   * once the buffer holds a whole message, or null to keep reading.
   */
  readFramed(frame: (buffered: Uint8Array) => number | null): Promise<Uint8Array>;
  write(data: string | Uint8Array): void;
}

/** What a preamble step is, for error codes: `ESTARTTLS` / `ETIMEDOUT_STARTTLS`, `EPROXY` / `ETIMEDOUT_PROXY`. */
export type PreambleKind = 'STARTTLS' | 'PROXY';

export interface Preamble {
  kind: PreambleKind;
  /** Names the step in messages: 'SMTP STARTTLS', 'HTTP CONNECT to db.internal:5432 via proxy'. */
  name: string;
  /** Resolves when the socket is ready for the ClientHello; rejects with a PreambleError when the peer says no. */
  run(c: Conversation): Promise<void>;
}

/** The peer refused or garbled the preamble: the transport turns it into a ProbeError `E<kind>` naming the address. */
export class PreambleError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'PreambleError';
  }
}

/** Bytes a preamble may read in all (a long EHLO answer is a few hundred). */
export const MAX_PREAMBLE_BYTES = 64 * 1024;

/** The typed error for a failed preamble step. */
export function preambleFailure(where: string, step: Preamble, err: unknown): ProbeError {
  if (err instanceof ProbeError) return err;
  const message = err instanceof Error ? err.message : String(err);
  return new ProbeError(`E${step.kind}`, `${where}: ${step.name}: ${message}`, { cause: err });
}

/** Server text shown in an error message: printable, one line, short. */
export function quoted(text: string): string {
  const flat = text.replace(/[^\x20-\x7e]/g, '?');
  return `'${flat.length > 120 ? `${flat.slice(0, 119)}…` : flat}'`;
}
