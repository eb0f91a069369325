#!/usr/bin/env node
/**
 * The `fipscan` command: argument parsing (commander), dispatch to the subcommands, and the
 * single exit point. Usage errors and bad policy files are one line on stderr and exit 64;
 * anything unexpected is one line too (with FIPSCAN_DEBUG=1 for the stack).
 */
import { Command, CommanderError } from 'commander';
import { DIFF_COMMAND } from './diffCommand.js';
import { CliError, EXIT_CODE_HELP, ExitCode } from './exit.js';
import { EXPLAIN_COMMAND } from './explainCommand.js';
import { INSPECT_COMMAND } from './inspectCommand.js';
import { MERGE_COMMAND } from './mergeCommand.js';
import { POLICIES_COMMAND } from './policiesCommand.js';
import { REPORT_COMMAND } from './reportCommand.js';
import { SCAN_COMMAND } from './scanCommand.js';
import { addSubcommand, type SubcommandSpec } from './subcommand.js';
import { TOOL_VERSION } from './version.js';

/** The subcommands, in the order --help lists them. */
const SUBCOMMANDS: readonly SubcommandSpec[] = [SCAN_COMMAND, POLICIES_COMMAND, MERGE_COMMAND, REPORT_COMMAND, DIFF_COMMAND, INSPECT_COMMAND, EXPLAIN_COMMAND];

function program(): Command {
  const p = new Command('fipscan')
    .description('TLS scanner that checks endpoints against a FIPS policy: every protocol, cipher suite and group, with evidence')
    .version(TOOL_VERSION)
    .showSuggestionAfterError(true)
    .exitOverride()
    .configureOutput({
      writeErr: (s) => process.stderr.write(s),
      // One line per usage error, prefixed like every other fipscan error; commander's
      // "(Did you mean ...?)" suggestion is folded into that line.
      outputError: (s, write) => write(`fipscan: ${s.replace(/^error: /, '').replace(/\n\(Did you mean (.+)\?\)\n?$/, ' (did you mean $1?)\n').replace(/\n?$/, ' [EUSAGE]\n')}`),
    })
    .addHelpText('after', `\n${EXIT_CODE_HELP}\n`);
  for (const spec of SUBCOMMANDS) addSubcommand(p, spec);
  return p;
}

async function main(argv: string[]): Promise<void> {
  try {
    await program().parseAsync(argv);
  } catch (err) {
    if (err instanceof CommanderError) {
      // Help and version are "errors" to commander; they already printed.
      process.exitCode = err.exitCode === 0 ? 0 : ExitCode.usage;
      return;
    }
    if (err instanceof CliError) {
      process.stderr.write(`fipscan: ${err.message} [${err.code}]\n`);
      process.exitCode = err.exitCode;
      return;
    }
    process.stderr.write(`fipscan: internal error: ${(err as Error).message ?? String(err)}\n`);
    if (process.env.FIPSCAN_DEBUG) process.stderr.write(`${(err as Error).stack ?? ''}\n`);
    process.exitCode = 70;
  }
}

/**
 * A reader that goes away (`fipscan scan ... --format jsonl | head -1`) is not an error worth a
 * stack trace: the run has nobody to report to, so it stops at once with 141 (128 + SIGPIPE), the
 * code a shell gives a tool killed by SIGPIPE (Node ignores the signal and raises EPIPE instead).
 * A closed stderr only loses diagnostics and progress: the run goes on.
 */
function onClosedPipes(): void {
  process.stdout.on('error', (err: NodeJS.ErrnoException) => {
    if (err.code === 'EPIPE' || err.code === 'ERR_STREAM_DESTROYED') process.exit(ExitCode.sigpipe);
    process.stderr.write(`fipscan: cannot write to stdout: ${err.message}\n`);
    process.exit(ExitCode.cantCreate);
  });
  process.stderr.on('error', () => {});
}

onClosedPipes();
// Not a top-level await: the single executable (npm run build:bin) is a CommonJS bundle. main() never rejects.
void main(process.argv);
