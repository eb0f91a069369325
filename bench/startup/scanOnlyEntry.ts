/**
 * An experimental entry for bench/startup.ts, never shipped: `fipscan scan` and `--version` as
 * src/cli/main.ts wires them (the same options table, runScan, exit handling), and nothing else.
 * Bundled by startupBuild.ts with the modules a one-endpoint table or JSON scan never calls
 * replaced by empty stubs (the other subcommands, the html/junit/prom renderers, --inspect-local,
 * the Kubernetes API), it measures what lazily importing those would save at every start: an
 * upper bound, since a lazy import that is not taken costs nothing. No top-level await, so the
 * same file also builds a CommonJS bundle for the code-cache launcher.
 */
import { Command, CommanderError } from 'commander';
import { recordedCommand } from '../../src/cli/commandLine.js';
import { CliError, ExitCode } from '../../src/cli/exit.js';
import { scanOptions, type ScanCliOptions } from '../../src/cli/options.js';
import { runScan } from '../../src/cli/scanCommand.js';
import { TOOL_VERSION } from '../../src/cli/version.js';

async function main(argv: string[]): Promise<void> {
  const program = new Command('fipscan').version(TOOL_VERSION).exitOverride();
  const scan = program.command('scan').argument('[targets...]').exitOverride();
  for (const o of scanOptions()) scan.addOption(o);
  scan.action(async (targets: string[], opts: ScanCliOptions) => {
    process.exitCode = await runScan(targets, opts, recordedCommand(argv, process.env));
  });
  try {
    await program.parseAsync(argv);
  } catch (err) {
    if (err instanceof CommanderError) process.exitCode = err.exitCode === 0 ? 0 : ExitCode.usage;
    else if (err instanceof CliError) {
      process.stderr.write(`fipscan: ${err.message}\n`);
      process.exitCode = err.exitCode;
    } else {
      process.stderr.write(`fipscan: internal error: ${(err as Error).message}\n`);
      process.exitCode = 70;
    }
  }
}

void main(process.argv);
