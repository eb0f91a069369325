/**
 * A ByteSource over a file on disk: positioned reads on one descriptor, so a 100 MB binary is
 * read in the pieces the parsers ask for and never held whole. Only regular files are opened:
 * a FIFO or a device given as a "binary" would block or never end, so the path is checked with
 * stat first and opened non-blocking. `/proc/<pid>/exe` works too: the kernel hands out the
 * executable itself, even when it was deleted or lives in another mount namespace.
 */
import { closeSync, constants, fstatSync, openSync, readSync, statSync } from 'node:fs';
import type { ByteSource } from './elf.js';
import { InspectError } from './errors.js';

const SCRATCH_BYTES = 8 * 1024 * 1024;

export interface FileSource extends ByteSource {
  close(): void;
}

function readError(path: string, err: unknown): InspectError {
  const e = err as NodeJS.ErrnoException;
  const reason = e.code === 'ENOENT' ? 'no such file' : e.code === 'EACCES' || e.code === 'EPERM' ? 'permission denied' : (e.message ?? String(err));
  return new InspectError('EREAD', `${path}: cannot read: ${reason}`, { cause: err });
}

function notRegularFile(name: string): InspectError {
  return new InspectError('EREAD', `${name}: cannot read: not a regular file`);
}

/** An error of opening as InspectError: ours as it is, the system's as EREAD. */
function asReadError(name: string, err: unknown): InspectError {
  return err instanceof InspectError ? err : readError(name, err);
}

/**
 * A descriptor on `path` and its size. The path is checked to be a regular file before it is
 * opened (non-blocking, in case it is swapped for a FIFO in between), and the descriptor after.
 */
function openRegularFile(path: string, name: string): { fd: number; size: number } {
  let fd: number;
  try {
    if (!statSync(path).isFile()) throw notRegularFile(name);
    fd = openSync(path, constants.O_RDONLY | constants.O_NONBLOCK);
  } catch (err) {
    throw asReadError(name, err);
  }
  try {
    const st = fstatSync(fd);
    if (!st.isFile()) throw notRegularFile(name);
    return { fd, size: st.size };
  } catch (err) {
    closeSync(fd);
    throw asReadError(name, err);
  }
}

/** Opens `path` for positioned reads. Throws InspectError EREAD. `name` labels errors (default: path). */
export function openFileSource(path: string, name = path): FileSource {
  const { fd, size } = openRegularFile(path, name);
  let open = true;
  // One scratch buffer for text(): a marker scan reads a 100 MB binary as ~25 strings of 4 MiB,
  // and fresh buffers for each would sit in memory until the next full garbage collection.
  let scratch: Buffer | null = null;
  return {
    name,
    size,
    read: (offset: number, length: number): Buffer => read(offset, length, Buffer.allocUnsafe(length)),
    // Node's own latin1 decoding is several times faster than TextDecoder's on 100 MB binaries.
    text(offset: number, length: number): string {
      if (length > SCRATCH_BYTES) return read(offset, length, Buffer.allocUnsafe(length)).toString('latin1');
      scratch ??= Buffer.allocUnsafe(SCRATCH_BYTES);
      return read(offset, length, scratch).toString('latin1', 0, length);
    },
    close(): void {
      if (open) closeSync(fd);
      open = false;
    },
  };

  function read(offset: number, length: number, out: Buffer): Buffer {
    let done = 0;
    while (done < length) {
      let n: number;
      try {
        n = readSync(fd, out, done, length - done, offset + done);
      } catch (err) {
        throw readError(name, err);
      }
      // The file shrank under us: what the headers promised is no longer there.
      if (n === 0) throw new InspectError('EREAD', `${name}: cannot read: the file ended at ${offset + done} bytes, it was ${size} when opened`);
      done += n;
    }
    return out;
  }
}

/** Runs `use` with the file open, and closes it whatever happens. */
export function withFileSource<T>(path: string, use: (source: FileSource) => T, name = path): T {
  const source = openFileSource(path, name);
  try {
    return use(source);
  } finally {
    source.close();
  }
}
