#!/usr/bin/env node
/**
 * The `fipscan` command: argument parsing (commander), dispatch to the subcommands, and the
 * single exit point. Usage errors and bad policy files are one line on stderr and exit 64;
 * anything unexpected is one line too (with FIPSCAN_DEBUG=1 for the stack).
 */
import { Command, CommanderError } from 'commander';
import { CliError, EXIT_CODE_HELP, ExitCode } from './exit.js';
import { addSubcommand, type SubcommandSpec } from './subcommand.js';
import { TOOL_VERSION } from './version.js';

/** A subcommand by name, and how to load its spec (its module and everything only it needs). */
interface LazySubcommand {
  name: string;
  load(): Promise<SubcommandSpec>;
}

/**
 * The subcommands, in the order --help lists them. Each is loaded only when a run needs it: a
 * `fipscan scan` in a CI step or a `kubectl exec` starts without evaluating the other commands'
 * modules (issue 19). The bundle keeps them in its one file, unevaluated until asked for.
 */
const SUBCOMMANDS: readonly LazySubcommand[] = [
  { name: 'scan', load: async () => (await import('./scanCommand.js')).SCAN_COMMAND },
  { name: 'policies', load: async () => (await import('./policiesCommand.js')).POLICIES_COMMAND },
  { name: 'merge', load: async () => (await import('./mergeCommand.js')).MERGE_COMMAND },
  { name: 'report', load: async () => (await import('./reportCommand.js')).REPORT_COMMAND },
  { name: 'diff', load: async () => (await import('./diffCommand.js')).DIFF_COMMAND },
  { name: 'inspect', load: async () => (await import('./inspectCommand.js')).INSPECT_COMMAND },
  { name: 'explain', load: async () => (await import('./explainCommand.js')).EXPLAIN_COMMAND },
];

const VERSION_FLAGS: readonly string[] = ['-V', '--version'];

/**
 * The subcommands this command line needs: the one it names (the first argument that is not an
 * option: the program's own options take no value), none for `--version` alone, and all of them
 * for help, no arguments and an unknown name (commander lists them, or suggests the closest).
 */
function needed(args: readonly string[]): readonly LazySubcommand[] {
  const operand = args.find((a) => !a.startsWith('-'));
  const named = SUBCOMMANDS.find((s) => s.name === operand);
  if (named) return [named];
  if (operand === undefined && args.length > 0 && args.every((a) => VERSION_FLAGS.includes(a))) return [];
  return SUBCOMMANDS;
}

/** The specs of `subcommands`, loaded at once; a spec whose name differs from its entry is a bug here. */
async function load(subcommands: readonly LazySubcommand[]): Promise<SubcommandSpec[]> {
  const specs = await Promise.all(subcommands.map((s) => s.load()));
  specs.forEach((spec, i) => {
    if (spec.name !== subcommands[i]!.name) throw new Error(`subcommand table: '${subcommands[i]!.name}' loads '${spec.name}'`);
  });
  return specs;
}

function program(specs: readonly SubcommandSpec[]): Command {
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
  for (const spec of specs) addSubcommand(p, spec);
  return p;
}

async function main(argv: string[]): Promise<void> {
  try {
    await program(await load(needed(argv.slice(2)))).parseAsync(argv);
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
