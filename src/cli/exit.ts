/**
 * The one place that decides exit codes, and the error type that carries one. Every path out
 * of the CLI goes through `exitCodeFor` (verdicts) or a CliError (usage, policy file, output),
 * so scripts and cron jobs get the same code for the same situation every time.
 */
import type { Verdict } from '../model/verdict.js';
import type { WorkloadVerdict } from '../model/workload.js';

export const ExitCode = {
  /** Every endpoint passed. */
  pass: 0,
  /** At least one endpoint failed the policy. */
  fail: 1,
  /** None failed, but at least one could not be scanned or was inconclusive. */
  error: 2,
  /** Bad usage: unknown option, bad target, unreadable or invalid policy file. */
  usage: 64,
  /** The Kubernetes API server could not be asked for the targets (--k8s-discover). */
  unavailable: 69,
  /** Could not write the output file. */
  cantCreate: 73,
  /** Interrupted by SIGINT / SIGTERM (128 + signal number). */
  sigint: 130,
  /** stdout was closed by its reader (`fipscan scan ... | head`): 128 + SIGPIPE, as a shell reports it. */
  sigpipe: 141,
  sigterm: 143,
} as const;

/** An error the CLI reports as one line on stderr, exiting with `exitCode`. */
export class CliError extends Error {
  /** The exit code its catalogue code stands for: 64 (usage) unless EXIT_BY_CODE says otherwise. */
  readonly exitCode: number;
  constructor(
    message: string,
    /** The catalogue code (model/errors.ts), printed after the message. */
    readonly code: string = 'EUSAGE',
  ) {
    super(message);
    this.name = 'CliError';
    this.exitCode = EXIT_BY_CODE[code] ?? ExitCode.usage;
  }
}

/** The CLI errors whose exit code is not 64. */
const EXIT_BY_CODE: Readonly<Record<string, number>> = { EOUTPUT: ExitCode.cantCreate, EK8S: ExitCode.unavailable };

/**
 * The verdicts of --inspect-local workloads that count for the exit code: a workload whose
 * verdict is n/a (no TLS port, nothing to inspect) counts for nothing.
 */
export function workloadVerdicts(workloads: readonly { verdict: WorkloadVerdict }[]): Verdict[] {
  return workloads.flatMap((w) => (w.verdict === 'n/a' ? [] : [w.verdict]));
}

/** Exit code for a run: fail beats error beats pass. */
export function exitCodeFor(verdicts: readonly Verdict[]): number {
  if (verdicts.includes('fail')) return ExitCode.fail;
  if (verdicts.includes('error')) return ExitCode.error;
  return ExitCode.pass;
}

export const EXIT_CODE_HELP = `Exit codes:
  0   every endpoint passed the policy
  1   at least one endpoint failed the policy
  2   none failed, but at least one could not be scanned or was inconclusive
  64  usage error: unknown option, bad target, invalid policy file, --format html to a terminal
  69  --k8s-discover could not list services from the Kubernetes API server
  73  the --output file could not be written
  130/143  interrupted by SIGINT/SIGTERM
  141 stdout was closed by its reader (e.g. piped into head): the run stops`;
