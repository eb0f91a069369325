/**
 * Golden-file comparison for the renderers. Goldens live in fixtures/golden/ (not in tap's
 * snapshot folder, STYLE.md "Tests"); run the tests with UPDATE_GOLDEN=1 to rewrite them, then
 * read the diff before committing it.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import type { Test } from 'tap';

/** fixtures/ from dist/test/report/, where the compiled tests run. */
export const FIXTURES = new URL('../../../fixtures/', import.meta.url);
export const GOLDEN = new URL('golden/', FIXTURES);

const UPDATE = process.env.UPDATE_GOLDEN === '1';

/** Asserts `actual` equals fixtures/golden/`name`, or rewrites that file under UPDATE_GOLDEN=1. */
export function matchGolden(t: Test, name: string, actual: string): void {
  const file = new URL(name, GOLDEN);
  if (UPDATE) {
    writeFileSync(file, actual);
    t.pass(`rewrote fixtures/golden/${name}`);
    return;
  }
  let expected: string;
  try {
    expected = readFileSync(file, 'utf8');
  } catch {
    t.fail(`fixtures/golden/${name} is missing: run the tests with UPDATE_GOLDEN=1 and check it by eye`);
    return;
  }
  t.equal(actual, expected, `output equals fixtures/golden/${name} (UPDATE_GOLDEN=1 rewrites it)`);
}
