/**
 * `fipscan scan`: reads targets and the policy, scans the endpoints under the global limit,
 * evaluates each against the policy and renders the report. Results go to stdout (or the
 * --output file), progress and diagnostics to stderr. One endpoint's failure is that
 * endpoint's `error` verdict; it never costs the others their results.
 */
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import pLimit from 'p-limit';
import { resolveAll, scanEndpoint, type Endpoint, type ScanOptions } from '../index.js';
import { builtinPolicy, evaluate, parsePolicy, type Policy } from '../policy/index.js';
import type { EndpointReport } from '../report/index.js';
import type { StarttlsProtocol } from '../probe/starttls.js';
import type { ScanResult } from '../model/scan.js';
import type { Verdict } from '../model/verdict.js';
import type { Workload } from '../model/workload.js';
import { recordedCommand } from './commandLine.js';
import { CliError, EXIT_CODE_HELP, ExitCode, exitCodeFor, workloadVerdicts } from './exit.js';
import { checkWritable } from './files.js';
import { checkHtmlDestination } from './htmlOutput.js';
import { reachOptions } from './identity.js';
import { LocalWorkloads, upgradeFor } from './inspectLocal.js';
import { SCAN_OPTIONS, type ScanCliOptions } from './options.js';
import { reportSink, type ReportSink } from './reportSink.js';
import { resolveShard, type Shard } from './shard.js';
import type { SubcommandSpec } from './subcommand.js';
import { collectFleet } from './targets.js';
import { reportColor } from './terminal.js';

/** Loads a built-in profile by id, or a JSON policy file by path. */
async function loadPolicy(nameOrFile: string | undefined): Promise<Policy> {
  const id = nameOrFile ?? 'fips-strict';
  const builtin = builtinPolicy(id);
  if (builtin) return builtin;
  if (!existsSync(id)) throw new CliError(`--policy: '${id}' is neither a built-in profile (see 'fipscan policies') nor a readable file`);
  let text: string;
  try {
    text = await readFile(id, 'utf8');
  } catch (err) {
    throw new CliError(`--policy: cannot read ${id}: ${(err as Error).message}`, 'EREADFILE');
  }
  try {
    return parsePolicy(text.replace(/^\uFEFF/, ''), id);
  } catch (err) {
    throw new CliError((err as Error).message, 'EPOLICY');
  }
}

function interrupted(e: Endpoint, signalName: string): ScanResult {
  return {
    target: e.target,
    host: e.host,
    port: e.port,
    address: null,
    sni: null,
    startedAt: new Date().toISOString(),
    durationMs: 0,
    probes: 0,
    error: { code: 'EINTERRUPTED', message: `${e.target}: not scanned: interrupted by ${signalName}` },
    protocols: [],
    certificates: [],
    features: { extendedMasterSecret: { supported: null, required: null }, secureRenegotiation: null, alpn: null, clientCertificateRequested: null },
    protocolViolations: [],
  };
}

/** A diagnostic line on stderr, unless --quiet. */
function noter(o: ScanCliOptions): (line: string) => void {
  return (line) => {
    if (!o.quiet) process.stderr.write(`fipscan: ${line}\n`);
  };
}

/** Whether targets were given besides --inspect-local. */
function hasTargets(args: readonly string[], o: ScanCliOptions): boolean {
  return args.length > 0 || o.targetsFile !== undefined || o.k8s !== undefined || o.k8sDiscover;
}

/**
 * The endpoints this process scans: the targets given (targets.ts: all of them, or one shard's
 * share, said on stderr), then with --inspect-local the pod's own ports not among them.
 */
async function endpointsToScan(args: readonly string[], o: ScanCliOptions, shard: Shard | undefined, local: LocalWorkloads | null): Promise<Endpoint[]> {
  const note = noter(o);
  const given = !local || hasTargets(args, o) ? await collectFleet(args, o, shard, { resolver: resolveAll, env: process.env, note }) : [];
  const known = new Set(given.map((e) => e.target));
  const endpoints = [...given, ...(local?.endpoints.filter((e) => !known.has(e.target)) ?? [])];
  const ssh = endpoints.find((e) => e.service === 'ssh');
  if (ssh && o.starttls !== undefined) throw new CliError(`--starttls ${o.starttls}: upgrades a plaintext protocol to TLS; ${ssh.target} is an SSH target`);
  if (local) note(`--inspect-local: ${local.listeners.length} listening TCP socket${local.listeners.length === 1 ? '' : 's'}, ${local.endpoints.length} to scan`);
  return endpoints;
}

/**
 * SIGINT and SIGTERM while scanning: the first aborts the scans, and the report of what was
 * scanned is still written. The listeners stay until stop(), after the report is written: a
 * second signal must not kill a half-done write.
 */
class Interruption {
  readonly abort = new AbortController();
  signalName: NodeJS.Signals | null = null;
  private readonly onSignal = (name: NodeJS.Signals): void => {
    this.signalName ??= name;
    this.abort.abort();
  };

  constructor() {
    process.on('SIGINT', this.onSignal);
    process.on('SIGTERM', this.onSignal);
  }

  get aborted(): boolean {
    return this.abort.signal.aborted;
  }

  /** The signal as messages name it. */
  get by(): string {
    return this.signalName ?? 'signal';
  }

  stop(): void {
    process.off('SIGINT', this.onSignal);
    process.off('SIGTERM', this.onSignal);
  }
}

/** The `n/m scanned: ...` line on a terminal's stderr, redrawn as each endpoint is judged. */
class Progress {
  private readonly counts: Record<Verdict, number> = { pass: 0, fail: 0, error: 0, 'not-tls': 0 };

  constructor(
    /** Whether the line is drawn (a terminal, not --quiet); when not, the notes it would replace go to stderr. */
    readonly shown: boolean,
    private readonly total: number,
  ) {}

  /** One endpoint judged; a pod's port left out of the report (not TLS) counts as `not-tls`. */
  judged(verdict: Verdict): void {
    this.counts[verdict]++;
  }

  draw(): void {
    if (!this.shown) return;
    const { pass, fail, error, 'not-tls': notTls } = this.counts;
    process.stderr.write(`\r${pass + fail + error + notTls}/${this.total} scanned: ${pass} pass, ${fail} fail, ${error} error${notTls > 0 ? `, ${notTls} not TLS` : ''} `);
  }

  end(): void {
    if (this.shown) process.stderr.write('\n');
  }
}

/** What every endpoint's scan in a run shares. */
interface ScanRun {
  policy: Policy;
  /** --require-tls: a port that answers plaintext fails. */
  requireTls: boolean;
  scanOptions: ScanOptions;
  local: LocalWorkloads | null;
  interruption: Interruption;
  sink: ReportSink;
  progress: Progress;
  note: (line: string) => void;
}

/**
 * The endpoint's scan. One of the pod's ports greeting in SMTP, IMAP, POP3, FTP or MySQL has its
 * TLS behind STARTTLS: it is scanned again through it, and the two scans count as one.
 */
async function scanWithUpgrade(run: ScanRun, endpoint: Endpoint): Promise<{ result: ScanResult; upgraded: StarttlsProtocol | null }> {
  const { interruption, local, scanOptions } = run;
  const result = interruption.aborted ? interrupted(endpoint, interruption.by) : await scanEndpoint(endpoint, scanOptions);
  const upgrade = local && scanOptions.starttls === undefined && !interruption.aborted ? upgradeFor(local, result) : null;
  if (!upgrade) return { result, upgraded: null };
  const through = await scanEndpoint(endpoint, { ...scanOptions, starttls: upgrade });
  if (through.error?.code === 'ESTARTTLS' || through.error?.code === 'EABORTED') return { result, upgraded: null };
  if (!run.progress.shown) run.note(`${endpoint.target} answers in ${upgrade.toUpperCase()}: scanned through STARTTLS`);
  return { result: { ...through, startedAt: result.startedAt, durationMs: result.durationMs + through.durationMs, probes: result.probes + through.probes }, upgraded: upgrade };
}

/** Scans and judges one endpoint and hands its report to the sink; a pod's port that is not TLS goes to its workload only. */
async function scanAndJudge(run: ScanRun, endpoint: Endpoint, index: number): Promise<void> {
  const { result, upgraded } = await scanWithUpgrade(run, endpoint);
  if (run.interruption.aborted && result.error?.code === 'EABORTED') result.error = { code: 'EINTERRUPTED', message: `${endpoint.target}: scan interrupted by ${run.interruption.by}` };
  const local = run.local?.owns(endpoint.target) ? run.local : null;
  if (local) result.pod = local.pod;
  // A pod's loopback-only port (Envoy's admin) is out of any client's reach: not TLS, never a failure.
  const requireTls = run.requireTls && !local?.loopbackOnly(endpoint.target);
  const report: EndpointReport = { result, evaluation: evaluate(result, run.policy, { requireTls }) };
  if (run.local && !run.local.record(result, report.evaluation.verdict, upgraded)) {
    run.progress.judged('not-tls');
    run.progress.draw();
    if (!run.progress.shown) run.note(`${endpoint.target} answers in ${result.error?.protocol ?? 'another protocol'}, not TLS: listed with its workload, not judged`);
    return;
  }
  run.progress.judged(report.evaluation.verdict);
  run.sink.add(index, report);
  run.progress.draw();
}

/** Every endpoint, `concurrency` at a time; on a failure the sink's partial output is discarded. */
async function scanAll(run: ScanRun, endpoints: readonly Endpoint[], concurrency: number): Promise<void> {
  const limit = pLimit(concurrency);
  try {
    await Promise.all(endpoints.map((endpoint, i) => limit(() => scanAndJudge(run, endpoint, i))));
  } catch (err) {
    await run.sink.discard();
    throw err;
  } finally {
    run.progress.end();
  }
}

/** The exit code: the signal's when interrupted, else the verdicts' (endpoints' and workloads'). */
function scanExitCode(signalName: NodeJS.Signals | null, endpointVerdicts: readonly Verdict[], workloads: readonly Workload[] | undefined, inspectLocal: boolean): number {
  if (signalName === 'SIGINT') return ExitCode.sigint;
  if (signalName === 'SIGTERM') return ExitCode.sigterm;
  // A pod with nothing listening proves nothing: that is inconclusive, not a pass.
  const judged = workloadVerdicts(workloads ?? []);
  // Nothing judged at all (no port speaks TLS: plaintext ports only, a pod serving only STARTTLS mail) is inconclusive too.
  const verdicts = [...endpointVerdicts, ...judged].filter((v) => v !== 'not-tls');
  const nothingJudged = verdicts.length === 0 && (inspectLocal || endpointVerdicts.length > 0);
  return exitCodeFor([...verdicts, ...(nothingJudged ? (['error'] as const) : [])]);
}

/** Runs the scan command; resolves to the exit code. `command` is the command line the report records. */
export async function runScan(args: readonly string[], o: ScanCliOptions, command?: string[]): Promise<number> {
  checkHtmlDestination('scan', o.format, o.output);
  const policy = await loadPolicy(o.policy);
  const reach = await reachOptions(o);
  const shard = resolveShard(o.shard, process.env);
  const local = o.inspectLocal ? new LocalWorkloads() : null;
  const endpoints = await endpointsToScan(args, o, shard, local);
  const started = Date.now();
  if (o.output) await checkWritable(o.output);
  const interruption = new Interruption();
  const progress = new Progress(!o.quiet && process.stderr.isTTY === true, endpoints.length);
  // Each endpoint goes to the sink as it finishes: jsonl is written at once, json, junit and the table spooled (spool.ts), prom and html kept.
  const sink = reportSink({ format: o.format, output: o.output, color: reportColor(o.color, o.output), shard, count: endpoints.length, command }, policy);
  const scanOptions: ScanOptions = { sni: o.sni, alpn: o.alpn, timeoutMs: o.timeout, deadlineMs: o.deadline, concurrency: o.perHost, signal: interruption.abort.signal, ...reach };
  await scanAll({ policy, requireTls: o.requireTls, scanOptions, local, interruption, sink, progress, note: noter(o) }, endpoints, o.concurrency);
  const workloads = local?.workloads();
  try {
    await sink.finish(started, Date.now() - started, workloads);
  } finally {
    interruption.stop();
  }
  return scanExitCode(interruption.signalName, sink.verdicts, workloads, local !== null);
}

/** `fipscan scan`. */
export const SCAN_COMMAND: SubcommandSpec<[string[]], ScanCliOptions> = {
  name: 'scan',
  description: 'scan endpoints and judge them against a policy',
  arguments: [['[targets...]', 'host, host:port, [ipv6]:port or https://host:port (default port 443)']],
  options: SCAN_OPTIONS,
  help:
    '\nExamples:\n  fipscan scan istio-ingressgateway.istio-system:443\n  fipscan scan --policy fips-140-3 --format json -o report.json 10.0.0.12:8443\n' +
    "  fipscan scan --format html -o report.html -f targets.txt   (the auditor's page)\n  fipscan scan --inspect-local          (inside a pod: its own ports and the processes behind them)\n\n" +
    `${EXIT_CODE_HELP}\n`,
  run: ([targets], opts) => runScan(targets, opts, recordedCommand(process.argv, process.env)),
};
