/**
 * The report spool (src/cli/spool.ts): entries put in any order come back in index order,
 * absent indexes skipped, byte for byte (multi-byte UTF-8 included); the file never has a name
 * in its directory; where it cannot be created, the entries are kept in memory and come back
 * the same.
 */
import { mkdirSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import t from 'tap';
import { Spool } from '../../src/cli/spool.js';
import { tempDir } from './reportFixtures.js';

const ENTRIES = ['{ "target": "a" }', 'ünïcödé ✓ ✗ \u2028 \u001b[2J', '', 'x'.repeat(200_000), '<testcase name="d"/>'];

/** Puts ENTRIES at indexes 0, 1, 2, 4, 5 of 6 (3 never put), in the order 4, 1, 5, 0, 2. */
function fill(spool: Spool): void {
  const at = [0, 1, 2, 4, 5];
  for (const i of [3, 1, 4, 0, 2]) spool.put(at[i]!, ENTRIES[i]!);
}

const texts = (spool: Spool): string[] => [...spool.entries()];

t.test('entries come back in index order, byte for byte; the file has no name in its directory', async (t) => {
  const dir = tempDir(t);
  const spool = new Spool(dir, 'report.json', 6);
  t.same(readdirSync(dir), [], 'removed from the directory once open');
  fill(spool);
  t.equal(spool.size, 5);
  t.same(texts(spool), ENTRIES);
  t.same(texts(spool), ENTRIES, 'read again: the same');
  spool.close();
  t.same(readdirSync(dir), []);
});

t.test('a directory where the file cannot be created: the entries are kept in memory, the same', async (t) => {
  const dir = tempDir(t);
  mkdirSync(join(dir, 'read-only'), { mode: 0o500 });
  for (const where of [join(dir, 'missing'), join(dir, 'read-only')]) {
    const spool = new Spool(where, 'report.json', 6);
    fill(spool);
    t.same(texts(spool), ENTRIES, where);
    spool.close();
  }
});
