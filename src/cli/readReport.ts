/**
 * Reading fipscan/v1 reports from files for `fipscan merge` and `fipscan diff`: an unreadable
 * file or one that is not a report is one line naming the file and what is wrong (exit 64).
 */
import { readFile } from 'node:fs/promises';
import type { JsonDocument } from '../report/json.js';
import { ReportFormatError, readJsonDocument } from '../report/readJson.js';
import { CliError } from './exit.js';

/** Reads and checks the report at `path`; `command` prefixes the messages. */
export async function readReport(path: string, command: string): Promise<JsonDocument> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (err) {
    throw new CliError(`${command}: cannot read ${path}: ${(err as Error).message}`, 'EREADFILE');
  }
  try {
    return readJsonDocument(text);
  } catch (err) {
    if (err instanceof ReportFormatError) throw new CliError(`${command}: ${path}: ${err.message}`, err.code);
    throw err;
  }
}

