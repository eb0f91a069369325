/**
 * Where an HTML report may go. A whole web page printed on a terminal helps nobody (and would
 * scroll the verdict away), so `--format html` without `-o` on a terminal is refused with a
 * one-line hint (exit 64) before anything is scanned or read; a pipe or a redirect is fine.
 */
import { CliError } from './exit.js';

/** Throws the usage error when an HTML report would be printed on a terminal. */
export function checkHtmlDestination(command: string, format: string, output: string | undefined): void {
  if (format === 'html' && output === undefined && process.stdout.isTTY === true) {
    throw new CliError(`${command}: --format html writes a web page, not terminal text: add -o report.html (or redirect stdout to a file)`);
  }
}
