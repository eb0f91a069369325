#!/usr/bin/env node
/**
 * The `fipscan` command: argument parsing (commander), dispatch to the subcommands, and the
 * single exit point. Usage errors and bad policy files are one line on stderr and exit 64;
 * anything unexpected is one line too (with FIPSCAN_DEBUG=1 for the stack).
 */
import { Command, CommanderError, Option } from 'commander';
import { renderPolicyText } from '../report/policyText.js';
import { BUILTIN_POLICIES, DEFAULT_POLICY_ID, builtinPolicy, policyToJson } from '../policy/index.js';
import { recordedCommand } from './commandLine.js';
import { registerDiff } from './diffCommand.js';
import { CliError, EXIT_CODE_HELP, ExitCode } from './exit.js';
import { registerInspect } from './inspectCommand.js';
import { registerMerge } from './mergeCommand.js';
import { scanOptions, type ScanCliOptions } from './options.js';
import { registerReport } from './reportCommand.js';
import { runScan } from './scanCommand.js';
import { TOOL_VERSION } from './version.js';

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
      outputError: (s, write) => write(`fipscan: ${s.replace(/^error: /, '').replace(/\n\(Did you mean (.+)\?\)\n?$/, ' (did you mean $1?)\n')}`),
    })
    .addHelpText('after', `\n${EXIT_CODE_HELP}\n`);

  const scan = p
    .command('scan')
    .description('scan endpoints and judge them against a policy')
    .argument('[targets...]', 'host, host:port, [ipv6]:port or https://host:port (default port 443)')
    .addHelpText('after', `\nExamples:\n  fipscan scan istio-ingressgateway.istio-system:443\n  fipscan scan --policy fips-140-3 --format json -o report.json 10.0.0.12:8443\n  fipscan scan --format html -o report.html -f targets.txt   (the auditor's page)\n  fipscan scan --inspect-local          (inside a pod: its own ports and the processes behind them)\n\n${EXIT_CODE_HELP}\n`)
    .exitOverride();
  for (const o of scanOptions()) scan.addOption(o);
  scan.action(async (targets: string[], opts: ScanCliOptions) => {
    process.exitCode = await runScan(targets, opts, recordedCommand(process.argv, process.env));
  });

  const policies = p.command('policies').description('list the built-in policy profiles').exitOverride();
  policies.action(() => {
    const idWidth = Math.max(...BUILTIN_POLICIES.map((x) => x.id.length));
    for (const policy of BUILTIN_POLICIES) {
      const mark = policy.id === DEFAULT_POLICY_ID ? ' (default)' : '';
      process.stdout.write(`${policy.id.padEnd(idWidth)} ${policy.version.padEnd(8)} ${policy.title}${mark}\n`);
    }
  });
  policies
    .command('show')
    .description('print a built-in profile: JSON (a starting point for a custom policy; its SHA-256 is what reports name) or text (each rule with its source)')
    .argument('<name>', 'profile id')
    .addOption(new Option('--format <format>', 'json or text').choices(['json', 'text']).default('json'))
    .exitOverride()
    .action((name: string, opts: { format: 'json' | 'text' }) => {
      const policy = builtinPolicy(name);
      if (!policy) throw new CliError(`policies show: unknown profile '${name}' (known: ${BUILTIN_POLICIES.map((x) => x.id).join(', ')})`);
      process.stdout.write(opts.format === 'text' ? renderPolicyText(policy) : policyToJson(policy));
    });
  registerMerge(p);
  registerReport(p);
  registerDiff(p);
  registerInspect(p);
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
      process.stderr.write(`fipscan: ${err.message}\n`);
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
