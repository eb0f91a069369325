/**
 * The one error type of the inspect layer. Like the probe layer's errors it carries a stable
 * `code` that scripts and tests match on, a one-line message that names the file (or process)
 * and what was expected there, and the original error as `cause`. A hostile or damaged file is
 * `EBADELF`, never an exception from deep inside a parser or an out-of-memory crash.
 */

export type InspectErrorCode =
  /** Not an ELF file, or an ELF file whose headers, offsets or sizes cannot be trusted. */
  | 'EBADELF'
  /** The file could not be opened or read (missing, permission, not a regular file). */
  | 'EREAD'
  /** No such process, or its /proc entry could not be read. */
  | 'ENOPROC';

/** What went wrong reading a file, a binary or a process, with a stable `code` and a one-line message. */
export class InspectError extends Error {
  readonly code: InspectErrorCode;
  constructor(code: InspectErrorCode, message: string, options?: { cause?: unknown }) {
    super(message.replace(/\s*\n\s*/g, ' '), options);
    this.name = 'InspectError';
    this.code = code;
  }
}

/** Throws EBADELF for `file`: `what` says what was wrong, in one line. */
export function badElf(file: string, what: string): never {
  throw new InspectError('EBADELF', `${file}: bad ELF file: ${what}`);
}
