/**
 * Plain-text layout for the terminal renderer: display width, truncation, word wrap, a flowing
 * line of short items, and colour. Widths count terminal columns, not UTF-16 units: East Asian
 * wide characters and most emoji take two, combining marks none; the SGR colour sequences this
 * module adds take none. Truncation and wrapping expect text that is not yet coloured.
 */

const SGR = /\x1b\[[0-9;]*m/g;

/** Zero-width: combining marks, zero-width space/joiners, variation selectors. */
function isZeroWidth(cp: number): boolean {
  return (
    (cp >= 0x0300 && cp <= 0x036f) ||
    (cp >= 0x200b && cp <= 0x200d) ||
    (cp >= 0x20d0 && cp <= 0x20ff) ||
    (cp >= 0xfe00 && cp <= 0xfe0f)
  );
}

/** Two columns: East Asian Wide and Fullwidth blocks, and the emoji planes. */
function isWide(cp: number): boolean {
  return (
    (cp >= 0x1100 && cp <= 0x115f) ||
    (cp >= 0x2e80 && cp <= 0xa4cf && cp !== 0x303f) ||
    (cp >= 0xac00 && cp <= 0xd7a3) ||
    (cp >= 0xf900 && cp <= 0xfaff) ||
    (cp >= 0xfe30 && cp <= 0xfe4f) ||
    (cp >= 0xff00 && cp <= 0xff60) ||
    (cp >= 0xffe0 && cp <= 0xffe6) ||
    (cp >= 0x1f300 && cp <= 0x1faff) ||
    (cp >= 0x20000 && cp <= 0x3fffd)
  );
}

function charWidth(char: string): number {
  const cp = char.codePointAt(0) ?? 0;
  return isZeroWidth(cp) ? 0 : isWide(cp) ? 2 : 1;
}

/** Terminal columns the string takes, colour sequences not counted. */
export function displayWidth(s: string): number {
  let width = 0;
  for (const char of s.replace(SGR, '')) width += charWidth(char);
  return width;
}

/** The longest prefix of `s` that fits in `width` columns. */
function head(s: string, width: number): string {
  let out = '';
  let used = 0;
  for (const char of s) {
    const w = charWidth(char);
    if (used + w > width) break;
    out += char;
    used += w;
  }
  return out;
}

/** The longest suffix of `s` that fits in `width` columns. */
function tail(s: string, width: number): string {
  const chars = Array.from(s);
  let out = '';
  let used = 0;
  for (let i = chars.length - 1; i >= 0; i--) {
    const w = charWidth(chars[i]!);
    if (used + w > width) break;
    out = chars[i]! + out;
    used += w;
  }
  return out;
}

/** `s` cut to `width` columns, the cut marked with an ellipsis at the end. */
export function truncateEnd(s: string, width: number): string {
  if (displayWidth(s) <= width) return s;
  return width <= 0 ? '' : `${head(s, width - 1)}…`;
}

/**
 * `s` cut to `width` columns by removing its middle: names keep both their distinguishing
 * ends (a host name its port, a suite name its key exchange and its MAC).
 */
export function truncateMiddle(s: string, width: number): string {
  if (displayWidth(s) <= width) return s;
  if (width <= 1) return truncateEnd(s, width);
  const keep = width - 1;
  const left = Math.ceil(keep / 2);
  return `${head(s, left)}…${tail(s, keep - left)}`;
}

/** `s` padded with spaces to `width` columns (left-aligned). */
export function padEnd(s: string, width: number): string {
  return s + ' '.repeat(Math.max(0, width - displayWidth(s)));
}

/**
 * Word-wraps `text` into lines of at most `width` columns: the first starts with `first`, the
 * others with `rest` (a hanging indent). A word longer than a line is broken where it must be.
 */
export function wrap(text: string, width: number, first: string, rest: string): string[] {
  const lines: string[] = [];
  let line = first;
  let empty = true;
  const room = (): number => width - displayWidth(line);
  for (let word of text.split(' ').filter((w) => w.length > 0)) {
    if (!empty && displayWidth(word) + 1 <= room()) {
      line += ` ${word}`;
      continue;
    }
    if (!empty) {
      lines.push(line);
      line = rest;
    }
    while (displayWidth(word) > room() && room() > 0) {
      const part = head(word, room());
      lines.push(line + part);
      line = rest;
      word = word.slice(part.length);
    }
    line += word;
    empty = false;
  }
  lines.push(line);
  return lines;
}

/**
 * Short items laid out left to right, separated by `gap`, starting a new line (indented by
 * `indent`) whenever the next item would pass `width`. Items may be coloured; an item wider
 * than a whole line gets a line of its own.
 */
export function flow(items: readonly string[], width: number, indent: string, gap = '  '): string[] {
  const lines: string[] = [];
  let line = '';
  for (const item of items) {
    if (line !== '' && displayWidth(line) + displayWidth(gap) + displayWidth(item) > width) {
      lines.push(line);
      line = '';
    }
    line = line === '' ? indent + item : line + gap + item;
  }
  if (line !== '') lines.push(line);
  return lines;
}

/** ANSI colours, or none at all. */
export interface Paint {
  green(s: string): string;
  red(s: string): string;
  yellow(s: string): string;
}

const sgr = (on: number) => (s: string) => (s === '' ? s : `\x1b[${on}m${s}\x1b[39m`);

/** Green/red/yellow foreground colours when `color`, else the identity. */
export function paint(color: boolean): Paint {
  if (!color) return { green: (s) => s, red: (s) => s, yellow: (s) => s };
  return { green: sgr(32), red: sgr(31), yellow: sgr(33) };
}
