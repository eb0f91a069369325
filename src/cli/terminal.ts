/**
 * What the report's destination allows: colors only on a terminal (never into an --output file,
 * and never with --no-color or NO_COLOR), and the terminal's width for the tables. One rule for
 * every command that prints a table.
 */

/** Whether a report may use colors: asked for (no --no-color, no NO_COLOR), and bound for a terminal. */
export function reportColor(color: boolean, output: string | undefined): boolean {
  return color && !process.env.NO_COLOR && (output ? false : process.stdout.isTTY === true);
}

/** The width tables are fitted to: the terminal's, or 80 columns when stdout is not one. */
export function terminalWidth(): number {
  return process.stdout.columns || 80;
}
