/**
 * Fake host roots for the host and process tests: a copy of fixtures/inspect/hosts/<name> in a
 * temporary directory (removed at teardown) that a test can then change file by file, so the
 * committed FIPS host, non-FIPS host and kernel-independent (JITTER-seeded) image cover every
 * variant.
 */
import { cpSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import type { Test } from 'tap';
import { FIXTURES } from './programs.js';

export const HOSTS = join(FIXTURES, 'hosts');

export interface FakeRoot {
  root: string;
  /** Writes (or replaces) a file at an absolute path inside the root. */
  write(path: string, content: string | Uint8Array): void;
  remove(path: string): void;
  symlink(path: string, target: string): void;
}

/** A temporary copy of host fixture `name` ('fips', 'nonfips', 'jitter'), or an empty root. */
export function fakeRoot(t: Test, name: 'fips' | 'nonfips' | 'jitter' | 'empty'): FakeRoot {
  const root = mkdtempSync(join(tmpdir(), `fipscan-root-${name}-`));
  t.teardown(() => rmSync(root, { recursive: true, force: true }));
  if (name !== 'empty') cpSync(join(HOSTS, name), root, { recursive: true });
  const at = (path: string) => join(root, path);
  return {
    root,
    write(path, content) {
      mkdirSync(dirname(at(path)), { recursive: true });
      writeFileSync(at(path), content);
    },
    remove(path) {
      rmSync(at(path), { recursive: true, force: true });
    },
    symlink(path, target) {
      mkdirSync(dirname(at(path)), { recursive: true });
      symlinkSync(target, at(path));
    },
  };
}
