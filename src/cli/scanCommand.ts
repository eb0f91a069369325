/**
 * `fipscan scan`: reads targets and the policy, scans the endpoints under the global limit,
 * evaluates each against the policy and renders the report. Results go to stdout (or the
 * --output file), progress and diagnostics to stderr. One endpoint's failure is that
 * endpoint's `error` verdict; it never costs the others their results.
 */
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import pLimit from 'p-limit';
import { resolveAll, scanEndpoint, type Endpoint } from '../index.js';
import { builtinPolicy, evaluate, parsePolicy, type Policy } from '../policy/index.js';
import type { EndpointReport } from '../report/index.js';
import type { StarttlsProtocol } from '../probe/starttls.js';
import type { ScanResult } from '../model/scan.js';
import { recordedCommand } from './commandLine.js';
import { CliError, EXIT_CODE_HELP, ExitCode, exitCodeFor } from './exit.js';
import { checkWritable } from './files.js';
import { checkHtmlDestination } from './htmlOutput.js';
import { reachOptions } from './identity.js';
import { LocalWorkloads, upgradeFor } from './inspectLocal.js';
import { SCAN_OPTIONS, type ScanCliOptions } from './options.js';
import { reportSink } from './reportSink.js';
import { resolveShard, type Shard } from './shard.js';
import type { SubcommandSpec } from './subcommand.js';
import { collectFleet } from './targets.js';

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
    throw new CliError(`--policy: cannot read ${id}: ${(err as Error).message}`);
  }
  try {
    return parsePolicy(text.replace(/^\uFEFF/, ''), id);
  } catch (err) {
    throw new CliError((err as Error).message);
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

/** The endpoints this process scans (targets.ts): all of them, or one shard's share (said on stderr). */
function collectShard(args: readonly string[], o: ScanCliOptions, shard: Shard | undefined): Promise<Endpoint[]> {
  const note = (line: string): void => {
    if (!o.quiet) process.stderr.write(`fipscan: ${line}\n`);
  };
  return collectFleet(args, o, shard, { resolver: resolveAll, env: process.env, note });
}

/** Whether targets were given besides --inspect-local. */
function hasTargets(args: readonly string[], o: ScanCliOptions): boolean {
  return args.length > 0 || o.targetsFile !== undefined || o.k8s !== undefined || o.k8sDiscover;
}

/** Runs the scan command; resolves to the exit code. `command` is the command line the report records. */
export async function runScan(args: readonly string[], o: ScanCliOptions, command?: string[]): Promise<number> {
  checkHtmlDestination('scan', o.format, o.output);
  const policy = await loadPolicy(o.policy);
  const reach = await reachOptions(o);
  const shard = resolveShard(o.shard, process.env);
  const note = (line: string): void => {
    if (!o.quiet) process.stderr.write(`fipscan: ${line}\n`);
  };
  const local = o.inspectLocal ? new LocalWorkloads() : null;
  const given = !local || hasTargets(args, o) ? await collectShard(args, o, shard) : [];
  const known = new Set(given.map((e) => e.target));
  const endpoints = [...given, ...(local?.endpoints.filter((e) => !known.has(e.target)) ?? [])];
  if (local) note(`--inspect-local: ${local.listeners.length} listening TCP socket${local.listeners.length === 1 ? '' : 's'}, ${local.endpoints.length} to scan`);
  const started = Date.now();
  if (o.output) await checkWritable(o.output);
  const abort = new AbortController();
  let signalName: string | null = null;
  // Listeners stay until the report is written: a second signal must not kill a half-done write.
  const onSignal = (name: NodeJS.Signals): void => {
    signalName ??= name;
    abort.abort();
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  const progress = !o.quiet && process.stderr.isTTY === true;
  const color = o.color && !process.env.NO_COLOR && (o.output ? false : process.stdout.isTTY === true);
  // Each endpoint goes to the sink as it finishes: jsonl is written and dropped, json kept as text.
  const sink = reportSink({ format: o.format, output: o.output, color, shard, count: endpoints.length, command }, policy);
  const counts = { pass: 0, fail: 0, error: 0 };
  let notTls = 0;
  const limit = pLimit(o.concurrency);
  try {
    await Promise.all(
      endpoints.map((endpoint, i) =>
        limit(async () => {
          const scanOptions = { sni: o.sni, alpn: o.alpn, timeoutMs: o.timeout, deadlineMs: o.deadline, concurrency: o.perHost, signal: abort.signal, ...reach };
          let result = abort.signal.aborted ? interrupted(endpoint, signalName ?? 'signal') : await scanEndpoint(endpoint, scanOptions);
          // One of the pod's ports greeting in SMTP, IMAP, POP3, FTP or MySQL: its TLS is behind STARTTLS.
          const upgrade = local && reach.starttls === undefined && !abort.signal.aborted ? upgradeFor(local, result) : null;
          let upgraded: StarttlsProtocol | null = null;
          if (upgrade) {
            const through = await scanEndpoint(endpoint, { ...scanOptions, starttls: upgrade });
            if (through.error?.code !== 'ESTARTTLS' && through.error?.code !== 'EABORTED') {
              result = { ...through, startedAt: result.startedAt, durationMs: result.durationMs + through.durationMs, probes: result.probes + through.probes };
              upgraded = upgrade;
              if (!progress) note(`${endpoint.target} answers in ${upgrade.toUpperCase()}: scanned through STARTTLS`);
            }
          }
          if (abort.signal.aborted && result.error?.code === 'EABORTED') result.error = { code: 'EINTERRUPTED', message: `${endpoint.target}: scan interrupted by ${signalName ?? 'signal'}` };
          const report: EndpointReport = { result, evaluation: evaluate(result, policy) };
          if (local && !local.record(result, report.evaluation.verdict, upgraded)) {
            notTls++;
            if (!progress) note(`${endpoint.target} answers in ${result.error?.protocol ?? 'another protocol'}, not TLS: listed with its workload, not judged`);
            return;
          }
          counts[report.evaluation.verdict]++;
          sink.add(i, report);
          if (progress) process.stderr.write(`\r${counts.pass + counts.fail + counts.error + notTls}/${endpoints.length} scanned: ${counts.pass} pass, ${counts.fail} fail, ${counts.error} error${notTls > 0 ? `, ${notTls} not TLS` : ''} `);
        }),
      ),
    );
  } catch (err) {
    await sink.discard();
    throw err;
  } finally {
    if (progress) process.stderr.write('\n');
  }
  const workloads = local?.workloads();
  try {
    await sink.finish(started, Date.now() - started, workloads);
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  }
  if (signalName === 'SIGINT') return ExitCode.sigint;
  if (signalName === 'SIGTERM') return ExitCode.sigterm;
  // A pod with nothing listening proves nothing: that is inconclusive, not a pass.
  const judged = (workloads ?? []).flatMap((w) => (w.verdict === 'n/a' ? [] : [w.verdict]));
  // Nothing judged at all (no port speaks TLS, say a pod serving only STARTTLS mail) is inconclusive too.
  const verdicts = [...sink.verdicts, ...judged];
  return exitCodeFor([...verdicts, ...(local && verdicts.length === 0 ? (['error'] as const) : [])]);
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
