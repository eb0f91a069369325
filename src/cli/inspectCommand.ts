/**
 * `fipscan inspect`: the other half of "is this FIPS?", run inside the pod. Inspects the host
 * (kernel FIPS mode, the entropy source seeding OpenSSL, distribution marker, OpenSSL
 * configuration, Node) of `/` or of another tree (`--root`: an unpacked image,
 * /proc/<pid>/root), binaries and running processes, and reports every check with its evidence in the same table / JSON / exit-code
 * conventions as `scan`. The options are one declarative table, like scan's.
 */
import { statSync } from 'node:fs';
import { inspect } from '../inspect/index.js';
import { subjectVerdict } from '../model/inspect.js';
import { renderInspectJson, renderInspectTable } from '../report/inspect.js';
import { CliError, exitCodeFor } from './exit.js';
import { checkWritable, writeOutput } from './files.js';
import type { OptionSpec, SubcommandSpec } from './subcommand.js';
import { reportColor, terminalWidth } from './terminal.js';
import { TOOL_VERSION } from './version.js';

export interface InspectCliOptions {
  binary?: string[];
  pid?: number[];
  host?: boolean;
  root?: string;
  format: 'table' | 'json';
  output?: string;
  color: boolean;
}

function collect<T>(parse: (value: string) => T): (value: string, previous: T[] | undefined) => T[] {
  return (value, previous) => [...(previous ?? []), parse(value)];
}

function directory(value: string): string {
  let isDirectory = false;
  try {
    isDirectory = statSync(value).isDirectory();
  } catch {
    // Missing or unreadable: the same usage error.
  }
  if (!isDirectory) throw new CliError(`--root: '${value}' is not a directory`);
  return value;
}

function pid(value: string): number {
  if (!/^\d+$/.test(value) || Number(value) < 1 || Number(value) > 2 ** 22) throw new CliError(`--pid: expected a process id, got '${value}'`);
  return Number(value);
}

const INSPECT_OPTIONS: readonly OptionSpec[] = [
  { flags: '--binary <path>', description: 'inspect an executable or shared library (repeatable)', parse: collect((v) => v) },
  { flags: '--pid <pid>', description: 'inspect a running process: its executable, loaded libraries, environment (repeatable)', parse: collect(pid) },
  { flags: '--host', description: 'inspect the host: kernel FIPS mode, the entropy source seeding OpenSSL, /etc/system-fips, OpenSSL configuration, Node (the default without --binary or --pid)' },
  {
    flags: '--root <dir>',
    description:
      'inspect the tree under <dir> instead of /: an unpacked image or /proc/<pid>/root. The host checks, /proc and library lookups read it; ' +
      "the kernel's FIPS mode comes from <dir>/proc when the tree has a /proc/sys, else from the running kernel (said in the report)",
    parse: directory,
  },
  { flags: '--format <format>', description: 'output format', default: 'table', choices: ['table', 'json'] },
  { flags: '-o, --output <file>', description: 'write the report to a file (atomically) instead of stdout' },
  { flags: '--no-color', description: 'no colors (also NO_COLOR=1; colors are only used on a terminal anyway)' },
];

const INSPECT_EXIT_HELP = `Exit codes:
  0   every check is OK or N/A
  1   at least one check failed
  2   none failed, but a binary or process could not be inspected
  64  usage error: unknown option, bad --pid, --root not a directory
  73  the --output file could not be written`;

/** Runs the inspect command; resolves to the exit code. */
async function runInspect(o: InspectCliOptions): Promise<number> {
  if (o.output) await checkWritable(o.output);
  const binaries = o.binary ?? [];
  const pids = o.pid ?? [];
  const host = o.host === true || (binaries.length === 0 && pids.length === 0);
  const run = inspect({ host, binaries, pids, ...(o.root ? { root: o.root } : {}), tool: { name: 'fipscan', version: TOOL_VERSION } });
  const text = o.format === 'json' ? renderInspectJson(run) : renderInspectTable(run, { color: reportColor(o.color, o.output), width: terminalWidth() });
  // An empty -o is stdout here, as it always was.
  await writeOutput(o.output || undefined, text);
  return exitCodeFor(run.subjects.map(subjectVerdict));
}

/** `fipscan inspect`. */
export const INSPECT_COMMAND: SubcommandSpec<[], InspectCliOptions> = {
  name: 'inspect',
  description: 'check that the host, binaries and processes run a FIPS crypto module (Go BoringCrypto, OpenSSL FIPS provider, BoringSSL-FIPS)',
  arguments: [],
  options: INSPECT_OPTIONS,
  help:
    `\nExamples:\n  fipscan inspect --host\n  fipscan inspect --root ./rootfs          # an unpacked image (docker export | tar -x -C rootfs)\n  fipscan inspect --root /proc/4242/root   # another container's filesystem, from the node\n  fipscan inspect --pid 1\n` +
    `  fipscan inspect --binary /usr/local/bin/envoy --format json -o inspect.json\n\n${INSPECT_EXIT_HELP}\n`,
  run: (_args, opts) => runInspect(opts),
};
