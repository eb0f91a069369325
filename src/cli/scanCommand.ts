/**
 * `fipscan scan`: reads targets and the policy, scans the endpoints under the global limit,
 * evaluates each against the policy and renders the report. Results go to stdout (or the
 * --output file), progress and diagnostics to stderr. One endpoint's failure is that
 * endpoint's `error` verdict; it never costs the others their results.
 */
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import pLimit from 'p-limit';
import { parseTarget, scanEndpoint, TargetError, type Endpoint } from '../index.js';
import { builtinPolicy, evaluate, parsePolicy, type Policy } from '../policy/index.js';
import { renderJson, renderJsonLine, renderTable, toJsonDocument, type EndpointReport, type RunReport } from '../report/index.js';
import { renderJunit } from '../report/junit.js';
import { renderProm } from '../report/prom.js';
import type { ScanResult } from '../probe/types.js';
import { CliError, ExitCode, exitCodeFor } from './exit.js';
import { checkWritable, readTargetsFile, writeAtomically } from './files.js';
import type { ScanCliOptions } from './options.js';
import { resolveShard, selectShard, targetKey, type Shard } from './shard.js';
import { TOOL_VERSION } from './version.js';

/** Loads a built-in profile by id, or a JSON policy file by path. */
export async function loadPolicy(nameOrFile: string | undefined): Promise<Policy> {
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

/** Targets from the arguments and --targets-file, parsed and deduplicated in input order. */
export async function collectTargets(args: readonly string[], targetsFile: string | undefined): Promise<Endpoint[]> {
  const raw = [...args, ...(targetsFile ? await readTargetsFile(targetsFile) : [])];
  if (raw.length === 0) throw new CliError('no targets: give host[:port] arguments or --targets-file');
  const seen = new Set<string>();
  const endpoints: Endpoint[] = [];
  for (const t of raw) {
    let e: Endpoint;
    try {
      e = parseTarget(t);
    } catch (err) {
      if (err instanceof TargetError) throw new CliError(`bad target: ${err.message}`);
      throw err;
    }
    const key = targetKey(e);
    if (seen.has(key)) continue;
    seen.add(key);
    endpoints.push(e);
  }
  return endpoints;
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

/** The targets this process scans: all of them, or one shard's share (said on stderr). */
async function collectShard(args: readonly string[], o: ScanCliOptions, shard: Shard | undefined): Promise<Endpoint[]> {
  const all = await collectTargets(args, o.targetsFile);
  if (!shard) return all;
  const mine = selectShard(all, shard);
  if (!o.quiet) process.stderr.write(`fipscan: shard ${shard.index}/${shard.count}: ${mine.length} of ${all.length} targets\n`);
  return mine;
}

/** Runs the scan command; resolves to the exit code. */
export async function runScan(args: readonly string[], o: ScanCliOptions): Promise<number> {
  const policy = await loadPolicy(o.policy);
  const shard = resolveShard(o.shard, process.env);
  const endpoints = await collectShard(args, o, shard);
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
  const reports: (EndpointReport | undefined)[] = new Array(endpoints.length);
  const counts = { pass: 0, fail: 0, error: 0 };
  const jsonlLines: string[] = [];
  const limit = pLimit(o.concurrency);
  try {
    await Promise.all(
      endpoints.map((endpoint, i) =>
        limit(async () => {
          const result = abort.signal.aborted
            ? interrupted(endpoint, signalName ?? 'signal')
            : await scanEndpoint(endpoint, { sni: o.sni, alpn: o.alpn, timeoutMs: o.timeout, deadlineMs: o.deadline, concurrency: o.perHost, signal: abort.signal });
          if (abort.signal.aborted && result.error?.code === 'EABORTED') result.error = { code: 'EINTERRUPTED', message: `${endpoint.target}: scan interrupted by ${signalName ?? 'signal'}` };
          const report: EndpointReport = { result, evaluation: evaluate(result, policy) };
          reports[i] = report;
          counts[report.evaluation.verdict]++;
          if (o.format === 'jsonl') {
            const line = renderJsonLine(report, policy);
            if (o.output) jsonlLines.push(line);
            else process.stdout.write(line);
          }
          if (progress) process.stderr.write(`\r${counts.pass + counts.fail + counts.error}/${endpoints.length} scanned: ${counts.pass} pass, ${counts.fail} fail, ${counts.error} error `);
        }),
      ),
    );
  } finally {
    if (progress) process.stderr.write('\n');
  }
  const run: RunReport = {
    tool: { name: 'fipscan', version: TOOL_VERSION },
    policy,
    startedAt: new Date(started).toISOString(),
    durationMs: Date.now() - started,
    endpoints: reports.filter((r): r is EndpointReport => r !== undefined),
  };
  const color = o.color && !process.env.NO_COLOR && (o.output ? false : process.stdout.isTTY === true);
  const text =
    o.format === 'json' ? renderJson(run)
    : o.format === 'jsonl' ? jsonlLines.join('')
    : o.format === 'junit' ? renderJunit(toJsonDocument(run))
    : o.format === 'prom' ? renderProm(toJsonDocument(run), { shard })
    : renderTable(run, { color, width: process.stdout.columns || 80 });
  try {
    if (o.output) await writeAtomically(o.output, text);
    else if (o.format !== 'jsonl') process.stdout.write(text);
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  }
  if (signalName === 'SIGINT') return ExitCode.sigint;
  if (signalName === 'SIGTERM') return ExitCode.sigterm;
  return exitCodeFor(run.endpoints.map((r) => r.evaluation.verdict));
}
