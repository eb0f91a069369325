/**
 * The two table shapes of the terminal report, on top of cli-table3: a borderless grid
 * (columns two spaces apart, a rule under the header) for the per-endpoint sections, where
 * every column counts in 80 terminal columns, and a boxed grid for the run summary. Column
 * widths are decided by the caller (see `fitWidths`), and cells arrive already cut to them,
 * so cli-table3 never truncates on its own and the output is predictable. A table of one-line
 * cells in printable ASCII and the report's marks is laid out here instead, line for line as
 * cli-table3 lays it out: cli-table3 merges its options for every cell, which made a
 * one-endpoint table report cost 30 ms more CPU than its JSON (issue 19).
 */
import Table from 'cli-table3';
import { displayWidth } from './text.js';

export interface Column {
  head: string;
  /** Content width in terminal columns. */
  width: number;
  align?: 'left' | 'right';
  /** Word-wrap long cells onto more lines instead of cutting them. */
  wrap?: boolean;
}

const GAP = '  ';

const BORDERLESS = {
  top: '', 'top-mid': '', 'top-left': '', 'top-right': '',
  bottom: '', 'bottom-mid': '', 'bottom-left': '', 'bottom-right': '',
  left: '', 'left-mid': '', mid: '─', 'mid-mid': GAP, right: '', 'right-mid': '',
  middle: GAP,
};

/** The box-drawing characters cli-table3 draws a table with by default (boxed). */
const BOXED: typeof BORDERLESS = {
  top: '─', 'top-mid': '┬', 'top-left': '┌', 'top-right': '┐',
  bottom: '─', 'bottom-mid': '┴', 'bottom-left': '└', 'bottom-right': '┘',
  left: '│', 'left-mid': '├', mid: '─', 'mid-mid': '┼', right: '│', 'right-mid': '┤',
  middle: '│',
};

/** Colour sequences, which take no column. */
const SGR = /\x1b\[[0-9;]*m/g;
/** One column each, for cli-table3 (string-width) and for displayWidth alike. */
const NARROW = /^[\x20-\x7e✓✗·…─]*$/;

/** Whether plainLines lays this table out exactly as cli-table3 would: one-line cells of narrow characters that fit their columns. */
function plain(columns: readonly Column[], rows: readonly (readonly string[])[]): boolean {
  if (rows.length === 0 || columns.some((c) => c.wrap === true)) return false;
  return [columns.map((c) => c.head), ...rows].every((row) =>
    columns.every((c, i) => {
      const text = (row[i] ?? '').replace(SGR, '');
      return NARROW.test(text) && text.length <= c.width;
    }),
  );
}

/** The table's lines as cli-table3 draws them in compact mode: top rule, header, rule, rows, bottom rule (empty rules left out). */
function plainLines(columns: readonly Column[], rows: readonly (readonly string[])[], chars: typeof BORDERLESS, padding: number): string[] {
  const pad = ' '.repeat(padding);
  const cell = (text: string, c: Column): string => {
    const fill = ' '.repeat(c.width - text.replace(SGR, '').length);
    return pad + (c.align === 'right' ? fill + text : text + fill) + pad;
  };
  const line = (row: readonly string[]): string => chars.left + columns.map((c, i) => cell(row[i] ?? '', c)).join(chars.middle) + chars.right;
  const rule = (left: string, mid: string, join: string, right: string): string | null =>
    mid === '' ? null : left + columns.map((c) => mid.repeat(c.width + 2 * padding)).join(join) + right;
  const lines = [
    rule(chars['top-left'], chars.top, chars['top-mid'], chars['top-right']),
    line(columns.map((c) => c.head)),
    rule(chars['left-mid'], chars.mid, chars['mid-mid'], chars['right-mid']),
    ...rows.map(line),
    rule(chars['bottom-left'], chars.bottom, chars['bottom-mid'], chars['bottom-right']),
  ];
  return lines.filter((l): l is string => l !== null).map((l) => l.trimEnd());
}

function build(columns: readonly Column[], rows: readonly (readonly string[])[], chars: Partial<typeof BORDERLESS>, padding: number): string[] {
  if (plain(columns, rows)) return plainLines(columns, rows, { ...BOXED, ...chars }, padding);
  const table = new Table({
    head: columns.map((c) => c.head),
    colWidths: columns.map((c) => c.width + 2 * padding),
    colAligns: columns.map((c) => c.align ?? 'left'),
    wordWrap: columns.some((c) => c.wrap === true),
    chars,
    // No colours from cli-table3 itself: the caller colours cells, or not at all.
    style: { head: [], border: [], 'padding-left': padding, 'padding-right': padding, compact: true },
  });
  for (const row of rows) table.push(row.map((content, i) => ({ content, wordWrap: columns[i]?.wrap === true })));
  return table.toString().split('\n').map((line) => line.trimEnd());
}

/** Lines of a borderless table, each starting with `indent`, trailing spaces removed. */
export function borderless(columns: readonly Column[], rows: readonly (readonly string[])[], indent: string): string[] {
  return build(columns, rows, { ...BORDERLESS, left: indent, 'left-mid': indent }, 0);
}

/**
 * Rows per cli-table3 table in a boxed one: its layout takes time and memory that grow with the
 * square of the rows (a 5,000-endpoint summary: 2 s and 33 MiB of heap; 20,000: 22 s, 119 MiB).
 */
const ROWS_PER_PART = 100;

/**
 * Lines of a boxed table (box-drawing borders, one space of padding). A long one is laid out a
 * part at a time, each part's rows under the first part's head: the widths are fixed, so a row
 * of one line lays out the same alone as among all the others.
 */
export function boxed(columns: readonly Column[], rows: readonly (readonly string[])[]): string[] {
  const oneLineRows = !columns.some((c) => c.wrap === true) && rows.every((row) => row.every((cell) => !cell.includes('\n')));
  if (rows.length <= ROWS_PER_PART || !oneLineRows) return build(columns, rows, {}, 1);
  const lines: string[] = [];
  let bottom = '';
  for (let at = 0; at < rows.length; at += ROWS_PER_PART) {
    const part = rows.slice(at, at + ROWS_PER_PART);
    const laid = build(columns, part, {}, 1);
    // Above the part's rows: the top border, the head and its rule; below them, the bottom border.
    lines.push(...laid.slice(at === 0 ? 0 : laid.length - 1 - part.length, -1));
    bottom = laid.at(-1) ?? '';
  }
  return [...lines, bottom];
}

/** Terminal columns a borderless table takes beyond its content: indent and gaps. */
export function borderlessOverhead(columns: number, indent: string): number {
  return displayWidth(indent) + GAP.length * Math.max(0, columns - 1);
}

/** Terminal columns a boxed table takes beyond its content: borders and padding. */
export function boxedOverhead(columns: number): number {
  return columns + 1 + 2 * columns;
}

/** A column's widths: what its content needs, and how far it may be cut. */
export interface Want {
  ideal: number;
  /** Never cut below this; equal to `ideal` for columns that must not be cut. */
  min: number;
}

/**
 * Content widths that fit in `room` columns: every column gets its ideal width when they all
 * fit; otherwise the columns are cut, in `shrinkOrder`, each down to its minimum, until they
 * do. When even the minimums do not fit, the minimums are returned (the caller chose them).
 */
export function fitWidths(wants: readonly Want[], room: number, shrinkOrder: readonly number[]): number[] {
  const widths = wants.map((w) => w.ideal);
  let excess = widths.reduce((a, b) => a + b, 0) - room;
  for (const i of shrinkOrder) {
    if (excess <= 0) break;
    const want = wants[i];
    if (want === undefined) continue;
    const cut = Math.min(excess, widths[i]! - want.min);
    if (cut > 0) {
      widths[i] = widths[i]! - cut;
      excess -= cut;
    }
  }
  return widths;
}

/** The widest of the strings (header included), in terminal columns. */
export function widest(strings: readonly string[]): number {
  return strings.reduce((max, s) => Math.max(max, displayWidth(s)), 0);
}
