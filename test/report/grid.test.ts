/**
 * The report's grids lay out tables of plain cells themselves (grid.ts) and hand the others to
 * cli-table3: the two must print the same lines. cli-table3 is the reference here, set up as
 * grid.ts set it up before it drew plain tables itself; random tables (seeded) of narrow cells,
 * coloured or not, left and right aligned, of every width up to the column's, both shapes.
 */
import Table from 'cli-table3';
import t from 'tap';
import { borderless, boxed, type Column } from '../../src/report/grid.js';
import { mulberry32 } from '../helpers/random.js';

const GAP = '  ';
const BORDERLESS = {
  top: '', 'top-mid': '', 'top-left': '', 'top-right': '',
  bottom: '', 'bottom-mid': '', 'bottom-left': '', 'bottom-right': '',
  left: '', 'left-mid': '', mid: '─', 'mid-mid': GAP, right: '', 'right-mid': '',
  middle: GAP,
};

function reference(columns: readonly Column[], rows: readonly (readonly string[])[], chars: Partial<typeof BORDERLESS>, padding: number): string[] {
  const table = new Table({
    head: columns.map((c) => c.head),
    colWidths: columns.map((c) => c.width + 2 * padding),
    colAligns: columns.map((c) => c.align ?? 'left'),
    wordWrap: false,
    chars,
    style: { head: [], border: [], 'padding-left': padding, 'padding-right': padding, compact: true },
  });
  for (const row of rows) table.push(row.map((content) => ({ content, wordWrap: false })));
  return table.toString().split('\n').map((line) => line.trimEnd());
}

const CHARS = 'abcXYZ0189 -_.:/()✓✗·…─';

function randomTable(random: () => number): { columns: Column[]; rows: string[][] } {
  const pick = (n: number): number => Math.floor(random() * n);
  const text = (max: number): string => {
    const s = Array.from({ length: pick(max + 1) }, () => CHARS[pick(CHARS.length)]).join('');
    return random() < 0.2 ? `\x1b[3${1 + pick(3)}m${s}\x1b[39m` : s;
  };
  const columns: Column[] = Array.from({ length: 1 + pick(6) }, () => {
    const width = 1 + pick(18);
    return { head: text(width), width, align: random() < 0.3 ? 'right' : 'left' };
  });
  const rows = Array.from({ length: 1 + pick(25) }, () => columns.map((c) => text(c.width)));
  return { columns, rows };
}

t.test('plain tables print as cli-table3 prints them, borderless and boxed', async (t) => {
  const random = mulberry32(19);
  for (let i = 0; i < 500; i++) {
    const { columns, rows } = randomTable(random);
    const indent = ' '.repeat(Math.floor(random() * 5));
    t.same(borderless(columns, rows, indent), reference(columns, rows, { ...BORDERLESS, left: indent, 'left-mid': indent }, 0), `borderless #${i}`);
    t.same(boxed(columns, rows), reference(columns, rows, {}, 1), `boxed #${i}`);
  }
});

t.test('what plain layout does not take still goes to cli-table3: wrapping, wide characters, cells too wide, no rows', async (t) => {
  const wrapNote: Column[] = [{ head: 'a', width: 3 }, { head: 'note', width: 8, wrap: true }];
  t.same(borderless(wrapNote, [['x', 'one two three']], ''), ['a    note', '───  ────────', 'x    one two', '     three']);
  t.same(boxed([{ head: 'host', width: 4 }], [['日本']]), reference([{ head: 'host', width: 4 }], [['日本']], {}, 1));
  t.same(boxed([{ head: 'n', width: 2 }], [['abcd']]), reference([{ head: 'n', width: 2 }], [['abcd']], {}, 1));
  t.same(borderless([{ head: 'a', width: 3 }], [], '  '), ['  a']);
});
