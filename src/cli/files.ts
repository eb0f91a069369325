/**
 * File input and output for the CLI: target lists (file or stdin), policy files, and reports
 * written atomically (a temporary file in the same directory, renamed over the target), so a
 * crash or an interrupt never leaves half a report where a cron job will read it.
 */
import { randomBytes } from 'node:crypto';
import { constants } from 'node:fs';
import { access, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { CliError, ExitCode } from './exit.js';

/** Reads a targets file (or stdin for '-'): one target per line, blank lines and # comments skipped. */
export async function readTargetsFile(path: string): Promise<string[]> {
  let text: string;
  try {
    text = path === '-' ? await readStdin() : await readFile(path, 'utf8');
  } catch (err) {
    throw new CliError(`--targets-file: cannot read ${path}: ${(err as Error).message}`);
  }
  return text
    .split(/\r?\n/)
    .map((line) => line.replace(/#.*$/, '').trim())
    .filter((line) => line.length > 0);
}

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

/** Writes `content` to `path` atomically; the temporary file is removed on failure. */
export async function writeAtomically(path: string, content: string): Promise<void> {
  const tmp = join(dirname(path), `.${basename(path)}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`);
  try {
    await writeFile(tmp, content, { flag: 'wx' });
    await rename(tmp, path);
  } catch (err) {
    await rm(tmp, { force: true });
    throw new CliError(`--output: cannot write ${path}: ${(err as Error).message}`, ExitCode.cantCreate);
  }
}

/** Fails fast (exit 73) when --output cannot be written, before a long scan is spent. */
export async function checkWritable(path: string): Promise<void> {
  const dir = dirname(path);
  try {
    await access(dir, constants.W_OK);
    const target = await stat(path).catch(() => null);
    if (target?.isDirectory()) throw new Error('is a directory');
  } catch (err) {
    throw new CliError(`--output: cannot write ${path}: ${(err as Error).message}`, ExitCode.cantCreate);
  }
}
