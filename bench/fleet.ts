/**
 * Fleet-scan benchmark: M loopback endpoints (listeners in a child process, bench/fleetServers.ts,
 * handing connections to one Node TLS server per fixture shape: strict, sidecar, TLS 1.3-only,
 * client-order, legacy, mTLS) scanned through the CLI's own code path in this process: `runScan`
 * from src/cli/scanCommand.ts with the options commander would give it, so target collection,
 * scanEndpoint, evaluate and the report rendering all run as in `fipscan scan`. Prints
 * endpoints/s, probes/endpoint, p50/p95 ms/endpoint, the scanner's peak RSS (the kernel's
 * high-water mark, getrusage), and its RSS when the 100th and the M-th endpoint were reported
 * (jsonl to stdout: each line is counted as it is written). The servers share this machine and
 * are part of the measurement. Numbers only.
 *
 *   npm run bench:fleet                          (builds first; 1000 endpoints, CLI defaults)
 *   node --expose-gc dist/bench/fleet.js [endpoints] [--to file|stdout] [--machine] [any fipscan scan option]
 *
 * --to: where the report goes. `file` is `-o <temporary file>` (the default for every format but
 * jsonl); `stdout` is the process's stdout, swallowed here as it is written (nothing is kept), so
 * what is measured is the sink's memory, not a terminal's. With --expose-gc it also forces a full
 * collection at the 100th and M-th jsonl line, and, for the other formats on stdout, at the first
 * byte of the report (every endpoint judged and handed to the sink, none written yet): what is
 * then still kept (RSS and heap) tells a leak, or a sink that holds every endpoint, from garbage
 * not yet collected.
 * --machine adds one `RESULT {json}` line for bench/fleetMemory.ts.
 */
import { fork } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { getHeapSpaceStatistics } from 'node:v8';
import { Command } from 'commander';
import { scanOptions, type ScanCliOptions } from '../src/cli/options.js';
import { runScan } from '../src/cli/scanCommand.js';

const argv = process.argv.slice(2);
const endpoints = /^\d+$/.test(argv[0] ?? '') ? Number(argv.shift()) : 1000;
const MiB = 1048576;

/** Removes `--flag value` (or `--flag` alone when `value` is false) from argv; returns the value or null. */
function takeFlag(flag: string, value: boolean): string | null {
  const at = argv.indexOf(flag);
  if (at < 0) return null;
  const [, taken] = argv.splice(at, value ? 2 : 1);
  return value ? (taken ?? '') : flag;
}
const to = takeFlag('--to', true);
const machine = takeFlag('--machine', false) !== null;
if (to !== null && to !== 'file' && to !== 'stdout') throw new Error(`--to: file or stdout, got ${JSON.stringify(to)}`);

/** The scan options exactly as `fipscan scan <argv>` would have them (defaults included). */
function cliOptions(args: string[]): ScanCliOptions {
  const command = new Command('scan').exitOverride().allowExcessArguments(true);
  for (const o of scanOptions()) command.addOption(o);
  command.parse(args, { from: 'user' });
  return command.opts<ScanCliOptions>();
}

const here = dirname(fileURLToPath(import.meta.url));
const child = fork(join(here, 'fleetServers.js'), [String(endpoints)], { stdio: ['ignore', 'ignore', 'inherit', 'ipc'] });
const started = await new Promise<{ ports: number[]; shapes: string[] }>((resolve, reject) => {
  child.once('message', (m) => resolve(m as { ports: number[]; shapes: string[] }));
  child.once('exit', (code) => reject(new Error(`fleet servers exited (${code})`)));
});
const childRss = (): Promise<number> =>
  new Promise((resolve) => {
    child.once('message', (m) => resolve((m as { rss: number }).rss));
    child.send({ type: 'rss' });
  });
const serverRssBefore = await childRss();

const o = cliOptions(['--quiet', '--format', 'jsonl', ...argv]);
const dir = mkdtempSync(join(tmpdir(), 'fipscan-bench-'));
const destination = to ?? (o.format === 'jsonl' && o.output === undefined ? 'stdout' : 'file');
if (destination === 'file') o.output ??= join(dir, `report.${o.format}`);
else delete o.output;
const targets = started.ports.map((p) => `127.0.0.1:${p}`);

/** RSS and heap after a full collection: what is really kept, as opposed to garbage not yet collected. */
const gc = (globalThis as { gc?: () => void }).gc;
function afterGc(): { rss: number; heap: number } {
  if (!gc) return { rss: NaN, heap: NaN };
  gc();
  const m = process.memoryUsage();
  return { rss: m.rss, heap: m.heapUsed };
}
/** The kernel's high-water mark of this process's RSS (getrusage ru_maxrss, KiB). */
const maxRss = (): number => process.resourceUsage().maxRSS * 1024;

// What reaches stdout is counted (jsonl: per line) and dropped; nothing reaches the terminal.
const durations: number[] = [];
let probes = 0;
let done = 0;
let bytesOut = 0;
let rssAt100 = NaN;
let rssAtEnd = NaN;
const retained: { at: string; rss: number; heap: number }[] = [];
const realWrite = process.stdout.write.bind(process.stdout);
process.stdout.write = ((chunk: string | Uint8Array): boolean => {
  if (bytesOut === 0 && o.format !== 'jsonl') {
    // The report's first byte: every endpoint judged and handed to the sink (spooled or kept), none written yet.
    rssAtEnd = process.memoryUsage().rss;
    retained.push({ at: `${endpoints} judged, before rendering`, ...afterGc() });
  }
  // Counted without a copy: only jsonl lines are read.
  bytesOut += typeof chunk === 'string' ? Buffer.byteLength(chunk) : chunk.byteLength;
  if (o.format !== 'jsonl') return true;
  const text = typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString('utf8');
  for (const line of text.split('\n')) {
    if (line === '') continue;
    done++;
    durations.push(Number(/"durationMs":(\d+)\}$/.exec(line)?.[1] ?? NaN));
    probes += Number(/"probes":(\d+),"durationMs":\d+\}$/.exec(line)?.[1] ?? 0);
    if (done === 100) {
      rssAt100 = process.memoryUsage().rss;
      retained.push({ at: '100 written', ...afterGc() });
    }
    if (done === endpoints) {
      rssAtEnd = process.memoryUsage().rss;
      retained.push({ at: `${endpoints} written`, ...afterGc() });
    }
  }
  return true;
}) as typeof process.stdout.write;

const baseline = afterGc();
if (!gc) baseline.rss = process.memoryUsage().rss;
// What the RSS is made of when it is highest (sampled every 100 ms): the JS heap, or memory outside it.
let atPeak = process.memoryUsage();
let atPeakMs = 0;
let spacesAtPeak = getHeapSpaceStatistics();
const sampler = setInterval(() => {
  const m = process.memoryUsage();
  if (m.rss <= atPeak.rss) return;
  atPeak = m;
  atPeakMs = performance.now() - t0;
  spacesAtPeak = getHeapSpaceStatistics();
}, 100);
const t0 = performance.now();
const code = await runScan(targets, o);
const wallMs = performance.now() - t0;
clearInterval(sampler);
const peakRss = maxRss();
process.stdout.write = realWrite;
const serverRssAfter = await childRss();
child.send({ type: 'exit' });

// Per-endpoint times and probes come from the report itself when it went to a file.
if (o.output !== undefined && existsSync(o.output)) {
  const text = readFileSync(o.output, 'utf8');
  bytesOut = Buffer.byteLength(text);
  type Entry = { durationMs: number; probes: number };
  const entries: Entry[] =
    o.format === 'json' ? (JSON.parse(text) as { endpoints: Entry[] }).endpoints
    : o.format === 'jsonl' ? text.split('\n').filter((l) => l.startsWith('{"schema"') || l.includes('"durationMs"')).map((l) => JSON.parse(l) as Entry)
    : [];
  for (const e of entries) {
    durations.push(e.durationMs);
    probes += e.probes;
  }
  if (entries.length > 0) done = entries.length;
}
rmSync(dir, { recursive: true, force: true });

durations.sort((a, b) => a - b);
const pct = (p: number) => durations[Math.min(durations.length - 1, Math.floor((durations.length * p) / 100))] ?? NaN;
const mib = (n: number) => (Number.isFinite(n) ? `${(n / MiB).toFixed(1)} MiB` : 'n/a');
const shapeCounts = new Map<string, number>();
for (const s of started.shapes) shapeCounts.set(s, (shapeCounts.get(s) ?? 0) + 1);
const reported = durations.length > 0 ? `${done} of ${endpoints}` : `n/a (the ${o.format} report is not read back)`;
const lines = [
  `fipscan fleet benchmark: ${endpoints} loopback endpoints, ${shapeCounts.size} server shapes (${[...shapeCounts.keys()].join(', ')})`,
  `options: --format ${o.format} ${o.output !== undefined ? '-o <file>' : '(to stdout)'} --concurrency ${o.concurrency} --per-host ${o.perHost} --timeout ${o.timeout}; exit code ${code}`,
  '',
  `endpoints reported:     ${reported}`,
  `wall time:              ${(wallMs / 1000).toFixed(1)} s`,
  `endpoints per second:   ${((endpoints * 1000) / wallMs).toFixed(1)}`,
  `probes per endpoint:    ${durations.length > 0 ? (probes / Math.max(1, done)).toFixed(1) : 'n/a'} (mean)`,
  `ms per endpoint:        p50 ${pct(50)}, p95 ${pct(95)}, max ${durations.at(-1) ?? NaN} (each endpoint's own scan time, ${o.concurrency} at once)`,
  `report size:            ${(bytesOut / 1024).toFixed(0)} KiB, ${(bytesOut / endpoints / 1024).toFixed(2)} KiB per endpoint`,
  `scanner RSS:            before ${mib(baseline.rss)}, at 100 endpoints ${mib(rssAt100)}, at ${endpoints} ${mib(rssAtEnd)}, peak ${mib(peakRss)} (getrusage)`,
  `at the sampled peak:    ${(atPeakMs / 1000).toFixed(1)} s into the run, RSS ${mib(atPeak.rss)}: heap ${mib(atPeak.heapTotal)} (${mib(atPeak.heapUsed)} used), external ${mib(atPeak.external)} (array buffers ${mib(atPeak.arrayBuffers)})`,
  `heap spaces then:       ${spacesAtPeak.filter((sp) => sp.space_size > MiB).map((sp) => `${sp.space_name.replace(/_space$/, '')} ${mib(sp.space_size)} (${mib(sp.space_used_size)} used)`).join(', ')}`,
  gc
    ? `after a full GC:        before the run RSS ${mib(baseline.rss)} heap ${mib(baseline.heap)}${retained.map((r) => `; ${r.at}: RSS ${mib(r.rss)} heap ${mib(r.heap)}`).join('')} (kept, not garbage)`
    : 'after a full GC:        run with node --expose-gc to see what is kept',
  `server process RSS:     ${mib(serverRssBefore)} idle, ${mib(serverRssAfter)} after (not counted above)`,
];
process.stdout.write(`${lines.join('\n')}\n`);
if (machine) {
  const kept = retained.at(-1);
  const result = {
    endpoints,
    format: o.format,
    to: o.output !== undefined ? 'file' : 'stdout',
    exitCode: code,
    wallMs: Math.round(wallMs),
    peakRss,
    baselineRss: baseline.rss,
    baselineHeap: baseline.heap,
    keptHeap: kept?.heap ?? null,
    keptAt: kept?.at ?? null,
    atPeak: { ms: Math.round(atPeakMs), rss: atPeak.rss, heapTotal: atPeak.heapTotal, heapUsed: atPeak.heapUsed, external: atPeak.external, arrayBuffers: atPeak.arrayBuffers },
    bytesOut,
    probesPerEndpoint: durations.length > 0 ? probes / Math.max(1, done) : null,
  };
  process.stdout.write(`RESULT ${JSON.stringify(result)}\n`);
}
