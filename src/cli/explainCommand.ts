/**
 * `fipscan explain [CODE]`: what an error or reason code means and what to do about it, from the
 * catalogue (model/errors.ts) every report, reason and error line names its codes from; without a
 * code, every entry grouped by where it shows up. An unknown code is a usage error.
 */
import { ERRORS, errorInfo, type ErrorInfo, type ErrorKind } from '../model/errors.js';
import { CliError, ExitCode } from './exit.js';
import type { SubcommandSpec } from './subcommand.js';

const KIND_TITLES: Readonly<Record<ErrorKind, string>> = {
  endpoint: 'Why an endpoint has no verdict (a report\'s error.code)',
  connection: 'Why one connection got no decisive answer (inside a reason)',
  inconclusive: 'Why an item is inconclusive (reasonCode, an inconclusive finding\'s code)',
  answer: 'How the server answered (reasonCode of a version that is not offered)',
  usage: 'Why a command stopped',
  inspect: 'Why a subject could not be inspected',
};

function entryText(e: ErrorInfo): string {
  return `${e.code}  ${e.message}\n${' '.repeat(e.code.length + 2)}what to do: ${e.hint}\n`;
}

function explainAll(): string {
  const kinds = Object.keys(KIND_TITLES) as ErrorKind[];
  return kinds.map((kind) => `${KIND_TITLES[kind]}:\n\n${ERRORS.filter((e) => e.kind === kind).map(entryText).join('')}`).join('\n');
}

async function explain(code: string | undefined): Promise<number> {
  if (code === undefined) {
    process.stdout.write(explainAll());
    return ExitCode.pass;
  }
  const wanted = code.trim().toUpperCase();
  const info = errorInfo(wanted);
  if (!info) throw new CliError(`explain: unknown code '${code}': not one fipscan gives (an operating-system code passes through unchanged); 'fipscan explain' lists them all`);
  process.stdout.write(`${entryText(info)}${' '.repeat(info.code.length + 2)}where: ${KIND_TITLES[info.kind]}\n`);
  return ExitCode.pass;
}

/** `fipscan explain`. */
export const EXPLAIN_COMMAND: SubcommandSpec<[string | undefined], unknown> = {
  name: 'explain',
  description: 'what an error, reason or inconclusive code means and what to do about it',
  arguments: [['[code]', 'a code from a report, a reason or an error line (ENOTTLS, EODD_ALERT, ...); none lists them all']],
  options: [],
  help: '\nExamples:\n  fipscan explain EHELLO_REFUSED\n  fipscan explain | less\n',
  run: ([code]) => explain(code),
};
