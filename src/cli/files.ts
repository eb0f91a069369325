/**
 * File input and output for the CLI: target lists (file or stdin), policy files, and reports
 * written atomically (a temporary file in the same directory, renamed over the target; whole, or
 * streamed line by line for jsonl), so a crash or an interrupt never leaves half a report where a
 * cron job will read it.
 */
import { randomBytes } from 'node:crypto';
import { constants, createWriteStream } from 'node:fs';
import { access, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import type { Writable } from 'node:stream';
import { CliError } from './exit.js';

/** Reads a targets file (or stdin for '-'): one target per line, blank lines and # comments skipped. */
export async function readTargetsFile(path: string): Promise<string[]> {
  let text: string;
  try {
    text = path === '-' ? await readStdin() : await readFile(path, 'utf8');
  } catch (err) {
    throw new CliError(`--targets-file: cannot read ${path}: ${(err as Error).message}`, 'EREADFILE');
  }
  return text
    .split(/\r?\n/)
    .map((line) => line.replace(/#.*$/, '').trim())
    .filter((line) => line.length > 0);
}

/** All of stdin as UTF-8 text. */
export async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

/** Writes `content` to `path` atomically; the temporary file is removed on failure. */
async function writeAtomically(path: string, content: string): Promise<void> {
  const tmp = join(dirname(path), `.${basename(path)}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`);
  try {
    await writeFile(tmp, content, { flag: 'wx' });
    await rename(tmp, path);
  } catch (err) {
    await rm(tmp, { force: true });
    throw new CliError(`--output: cannot write ${path}: ${(err as Error).message}`, 'EOUTPUT');
  }
}

/** The report to the --output file (atomically), or to stdout when there is none. */
export async function writeOutput(output: string | undefined, text: string): Promise<void> {
  if (output !== undefined) await writeAtomically(output, text);
  else process.stdout.write(text);
}

/** Resolves when `stream` has room again (at once when it has, or when it failed or closed). */
export function writableDrained(stream: Writable): Promise<void> {
  if (!stream.writableNeedDrain || stream.destroyed) return Promise.resolve();
  return new Promise((resolve) => {
    const done = (): void => {
      stream.off('drain', done);
      stream.off('close', done);
      stream.off('error', done);
      resolve();
    };
    stream.on('drain', done);
    stream.on('close', done);
    stream.on('error', done);
  });
}

/** A report written piece by piece (--format jsonl or json with -o): into a temporary file, renamed over the target by commit(). */
export interface AtomicWriter {
  write(text: string): void;
  /** Resolves once what was written so far is no longer piling up in memory (backpressure). */
  drain(): Promise<void>;
  /** Flushes, closes and renames; exit 73 (CliError) when any of it failed. */
  commit(): Promise<void>;
  /** Removes the temporary file (the run failed). */
  discard(): Promise<void>;
}

/**
 * Starts writing `path` atomically: lines go to a temporary file in the same directory as they
 * come (nothing is held in memory but the stream's buffer), and only commit() makes them `path`.
 */
export function openAtomically(path: string): AtomicWriter {
  const tmp = join(dirname(path), `.${basename(path)}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`);
  const stream = createWriteStream(tmp, { flags: 'wx' });
  let failure: Error | null = null;
  stream.on('error', (err) => (failure ??= err));
  return {
    write: (text) => {
      if (failure === null) stream.write(text);
    },
    drain: () => writableDrained(stream),
    commit: async () => {
      try {
        await new Promise<void>((resolve, reject) => {
          if (failure !== null) return reject(failure);
          stream.end((err?: Error | null) => (err ? reject(err) : failure !== null ? reject(failure) : resolve()));
        });
        await rename(tmp, path);
      } catch (err) {
        stream.destroy();
        await rm(tmp, { force: true });
        throw new CliError(`--output: cannot write ${path}: ${(err as Error).message}`, 'EOUTPUT');
      }
    },
    discard: async () => {
      stream.destroy();
      await rm(tmp, { force: true });
    },
  };
}

/** Fails fast (exit 73) when --output cannot be written, before a long scan is spent. */
export async function checkWritable(path: string): Promise<void> {
  const dir = dirname(path);
  try {
    await access(dir, constants.W_OK);
    const target = await stat(path).catch(() => null);
    if (target?.isDirectory()) throw new Error('is a directory');
  } catch (err) {
    throw new CliError(`--output: cannot write ${path}: ${(err as Error).message}`, 'EOUTPUT');
  }
}
