/**
 * A long boxed table (the run summary of a fleet) is laid out a hundred rows at a time
 * (src/report/grid.ts): cli-table3 takes time and memory growing with the square of the rows.
 * The lines must be exactly those of the whole table laid out at once, with coloured cells,
 * right-aligned columns and a cell cut to its width, at a part's edge and one row past it.
 */
import Table from 'cli-table3';
import t from 'tap';
import { boxed, type Column } from '../../src/report/grid.js';
import { paint } from '../../src/report/text.js';

const columns: Column[] = [
  { head: 'target', width: 18 },
  { head: 'verdict', width: 7 },
  { head: 'violations', width: 10, align: 'right' },
  { head: 'ms', width: 5, align: 'right' },
];

/** The table as cli-table3 lays it out in one piece, with the options grid.ts gives it. */
function wholeTable(rows: readonly (readonly string[])[]): string[] {
  const table = new Table({
    head: columns.map((c) => c.head),
    colWidths: columns.map((c) => c.width + 2),
    colAligns: columns.map((c) => c.align ?? 'left'),
    wordWrap: false,
    chars: {},
    style: { head: [], border: [], 'padding-left': 1, 'padding-right': 1, compact: true },
  });
  for (const row of rows) table.push(row.map((content) => ({ content, wordWrap: false })));
  return table.toString().split('\n').map((line) => line.trimEnd());
}

function rows(count: number): string[][] {
  const p = paint(true);
  return Array.from({ length: count }, (_, i) => [i % 13 === 0 ? 'a-very-long-target-name.example:443' : `10.0.${i >> 8}.${i & 255}:443`, i % 3 === 0 ? p.red('FAIL') : p.green('PASS'), String(i % 11), String(400 + i)]);
}

t.test('a long table laid out in parts is the table laid out whole', async (t) => {
  for (const count of [0, 1, 100, 101, 200, 1001]) {
    const r = rows(count);
    t.same(boxed(columns, r), wholeTable(r), `${count} rows`);
  }
});
