/**
 * The Conversation a preamble talks through, over bytes the transport hands in as they arrive:
 * a buffer, at most one pending read, and a bound on what may be buffered. The transport owns
 * the socket, its timer and its abort signal; it feeds chunks with `push` and ends every pending
 * read with `fail` when the connection ends, so a preamble never waits on a dead socket.
 */
import type { Conversation } from './preamble.js';
import { ProbeError } from './errors.js';

interface PendingRead {
  frame: (buffered: Uint8Array) => number | null;
  resolve: (message: Uint8Array) => void;
  reject: (err: ProbeError) => void;
}

const CRLF_LIMIT = 8192;

export class BufferedConversation implements Conversation {
  #buffer: Uint8Array = new Uint8Array(0);
  #pending: PendingRead | null = null;
  #failure: ProbeError | null = null;
  #received = 0;

  /** `send` writes to the socket; `where` and `maxBytes` shape the over-limit error. */
  constructor(
    private readonly send: (data: Uint8Array) => void,
    private readonly where: string,
    private readonly maxBytes: number,
  ) {}

  /** Bytes from the socket. */
  push(chunk: Uint8Array): void {
    this.#received += chunk.length;
    if (this.#received > this.maxBytes) {
      this.fail(new ProbeError('ETOOLARGE', `${this.where}: over ${this.maxBytes} bytes before the TLS handshake could start`));
      return;
    }
    const joined = new Uint8Array(this.#buffer.length + chunk.length);
    joined.set(this.#buffer);
    joined.set(chunk, this.#buffer.length);
    this.#buffer = joined;
    this.#serve();
  }

  /** Ends the pending read (and every later one) with `error`. */
  fail(error: ProbeError): void {
    this.#failure ??= error;
    const p = this.#pending;
    this.#pending = null;
    p?.reject(this.#failure);
  }

  /** What was read past the preamble's last message (a server may send nothing more before the hello). */
  leftover(): Uint8Array {
    return this.#buffer;
  }

  write(data: string | Uint8Array): void {
    this.send(typeof data === 'string' ? new TextEncoder().encode(data) : data);
  }

  readFramed(frame: (buffered: Uint8Array) => number | null): Promise<Uint8Array> {
    if (this.#pending) return Promise.reject(new Error('BufferedConversation: one read at a time'));
    return new Promise((resolve, reject) => {
      if (this.#failure) {
        reject(this.#failure);
        return;
      }
      this.#pending = { frame, resolve, reject };
      this.#serve();
    });
  }

  read(n: number): Promise<Uint8Array> {
    return this.readFramed((b) => (b.length >= n ? n : null));
  }

  async readLine(): Promise<string> {
    const line = await this.readFramed((b) => {
      const lf = b.indexOf(0x0a);
      if (lf !== -1) return lf + 1;
      if (b.length > CRLF_LIMIT) throw new ProbeError('ETOOLARGE', `${this.where}: a line of over ${CRLF_LIMIT} bytes before the TLS handshake`);
      return null;
    });
    return new TextDecoder('latin1').decode(line).replace(/\r?\n$/, '');
  }

  #serve(): void {
    const p = this.#pending;
    if (!p) return;
    let length: number | null;
    try {
      length = p.frame(this.#buffer);
    } catch (err) {
      this.#pending = null;
      p.reject(err instanceof ProbeError ? err : new ProbeError('EMALFORMED', `${this.where}: ${(err as Error).message}`, { cause: err }));
      return;
    }
    if (length === null) return;
    this.#pending = null;
    const message = this.#buffer.slice(0, length);
    this.#buffer = this.#buffer.slice(length);
    p.resolve(message);
  }
}
