/**
 * Where a fleet scan's rendered endpoint entries wait for the end of the run (json, junit and the
 * table write their counts before the entries, so nothing can be written until the last endpoint
 * is judged): a file written in the order endpoints finish, read back in input order by offset.
 * What stays in memory is two numbers per endpoint, however the endpoints finish: one slow
 * endpoint early in the list holds back nothing.
 *
 * The file is removed from its directory as soon as it is opened (its descriptor keeps it), so
 * no interrupt or crash leaves it behind. Where it cannot be created (a read-only /tmp in a pod)
 * or stops being writable (a full disk), entries are kept in memory instead, as text: the report
 * is still written whole, only the memory is no longer flat.
 */
import { randomBytes } from 'node:crypto';
import { closeSync, openSync, readSync, rmSync, unlinkSync, writeSync } from 'node:fs';
import { join } from 'node:path';

/** A new file at `path`, open for reading and writing; null when it cannot be created. */
function openOrNull(path: string): number | null {
  try {
    return openSync(path, 'wx+', 0o600);
  } catch {
    return null;
  }
}

/** Entries of a report by endpoint index, put in any order and read back in index order. */
export class Spool {
  /** Where each index's entry starts in the file; -1 when it is not in the file. */
  readonly #offsets: Float64Array;
  readonly #lengths: Uint32Array;
  /** Entries the file could not take. */
  readonly #inMemory = new Map<number, string>();
  #fd: number | null;
  /** False once a write failed: entries already in the file stay readable, later ones go to memory. */
  #writable = true;
  #end = 0;
  /** Set when the file could not be removed at once (then it is removed by close). */
  #path: string | null = null;
  #count = 0;

  /** A spool for indexes 0..count-1, its file in `dir` named after `name`. */
  constructor(dir: string, name: string, count: number) {
    this.#offsets = new Float64Array(count).fill(-1);
    this.#lengths = new Uint32Array(count);
    const path = join(dir, `.${name}.${process.pid}.${randomBytes(4).toString('hex')}.spool`);
    this.#fd = openOrNull(path);
    if (this.#fd === null) return;
    try {
      unlinkSync(path);
    } catch {
      this.#path = path;
    }
  }

  /** How many entries were put. */
  get size(): number {
    return this.#count;
  }

  /** Keeps `text` as the entry of `index` (once per index). */
  put(index: number, text: string): void {
    this.#count++;
    if (this.#fd !== null && this.#writable) {
      const bytes = Buffer.from(text, 'utf8');
      try {
        for (let done = 0; done < bytes.length; ) done += writeSync(this.#fd, bytes, done, bytes.length - done, this.#end + done);
        this.#offsets[index] = this.#end;
        this.#lengths[index] = bytes.length;
        this.#end += bytes.length;
        return;
      } catch {
        // A full disk: a partly written entry is never read, since its offset was not recorded.
        this.#writable = false;
      }
    }
    this.#inMemory.set(index, text);
  }

  /**
   * Every entry put, in index order, each read back only when asked for. Read into one buffer
   * and handed out as a string: a Buffer per entry would be memory outside the JS heap, which a
   * run of thousands of entries grows by tens of MiB before a collection returns it.
   */
  *entries(): Generator<string> {
    let buffer = Buffer.alloc(0);
    for (let index = 0; index < this.#offsets.length; index++) {
      const kept = this.#inMemory.get(index);
      const offset = this.#offsets[index]!;
      const length = this.#lengths[index]!;
      if (kept !== undefined) yield kept;
      else if (offset >= 0) {
        if (buffer.length < length) buffer = Buffer.alloc(Math.max(length, 2 * buffer.length));
        this.#read(buffer, offset, length);
        yield buffer.toString('utf8', 0, length);
      }
    }
  }

  /** Fills `buffer` with the `length` bytes at `offset` in the file. */
  #read(buffer: Buffer, offset: number, length: number): void {
    for (let done = 0; done < length; ) {
      const n = readSync(this.#fd!, buffer, done, length - done, offset + done);
      if (n === 0) throw new Error(`report spool: ${length - done} bytes missing at offset ${offset + done}`);
      done += n;
    }
  }

  /** Closes and removes the file; the spool is empty afterwards. */
  close(): void {
    if (this.#fd !== null) closeSync(this.#fd);
    this.#fd = null;
    if (this.#path !== null) rmSync(this.#path, { force: true });
    this.#path = null;
    this.#inMemory.clear();
  }
}
