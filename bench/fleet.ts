/**
 * Fleet-scan benchmark: M loopback endpoints (listeners in a child process, bench/fleetServers.ts,
 * handing connections to one Node TLS server per fixture shape: strict, sidecar, TLS 1.3-only,
 * client-order, legacy, mTLS) scanned through the CLI's own code path in this process: `runScan`
 * from src/cli/scanCommand.ts with the options commander would give it, so target collection,
 * scanEndpoint, evaluate and the report rendering all run as in `fipscan scan`. Prints
 * endpoints/s, probes/endpoint, p50/p95 ms/endpoint, the scanner's peak RSS, and its RSS when
 * the 100th and the M-th endpoint were reported (jsonl, streamed: each line is counted as it is
 * written). The servers share this 2-core machine and are part of the measurement. Numbers only.
 *
 *   npm run bench:fleet                          (builds first; 1000 endpoints, CLI defaults)
 *   node --expose-gc dist/bench/fleet.js [endpoints] [--format jsonl|json] [any fipscan scan option]
 *
 * With --expose-gc it also forces a full collection at the 100th and M-th endpoint and prints
 * what is then still kept (RSS and heap), which tells a leak from garbage not yet collected.
 *
 * `--format json` (or junit, prom, table) writes the report at the end (to a temporary file):
 * there is then no 100th endpoint to see, only the peak and the RSS when the run ended.
 */
import { fork } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Command } from 'commander';
import { scanOptions, type ScanCliOptions } from '../src/cli/options.js';
import { runScan } from '../src/cli/scanCommand.js';

const argv = process.argv.slice(2);
const endpoints = /^\d+$/.test(argv[0] ?? '') ? Number(argv.shift()) : 1000;
const MiB = 1048576;

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
if (o.format !== 'jsonl') o.output ??= join(dir, `report.${o.format}`);
const targets = started.ports.map((p) => `127.0.0.1:${p}`);

// Count the report lines as the CLI writes them; nothing reaches the terminal.
const samples: { t: number; rss: number }[] = [];
const durations: number[] = [];
let probes = 0;
let done = 0;
let rssAt100 = 0;
let rssAtEnd = 0;
let peakRss = 0;
/** RSS and heap after a full collection: what is really kept, as opposed to garbage not yet collected. */
const gc = (globalThis as { gc?: () => void }).gc;
const retained: { rss: number; heap: number }[] = [];
function afterGc(): { rss: number; heap: number } {
  if (!gc) return { rss: NaN, heap: NaN };
  gc();
  const m = process.memoryUsage();
  return { rss: m.rss, heap: m.heapUsed };
}
const realWrite = process.stdout.write.bind(process.stdout);
process.stdout.write = ((chunk: string | Uint8Array): boolean => {
  const text = typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString('utf8');
  for (const line of text.split('\n')) {
    if (line === '') continue;
    done++;
    durations.push(Number(/"durationMs":(\d+)\}$/.exec(line)?.[1] ?? NaN));
    probes += Number(/"probes":(\d+),"durationMs":\d+\}$/.exec(line)?.[1] ?? 0);
    const rss = process.memoryUsage().rss;
    peakRss = Math.max(peakRss, rss);
    if (done === 100 || done === endpoints) {
      if (done === 100) rssAt100 = rss;
      else rssAtEnd = rss;
      retained.push(afterGc());
    }
  }
  return true;
}) as typeof process.stdout.write;

const baselineRss = process.memoryUsage().rss;
const t0 = performance.now();
const sampler = setInterval(() => {
  const rss = process.memoryUsage().rss;
  peakRss = Math.max(peakRss, rss);
  samples.push({ t: performance.now() - t0, rss });
}, 20);
const code = await runScan(targets, o);
const wallMs = performance.now() - t0;
clearInterval(sampler);
process.stdout.write = realWrite;
const serverRssAfter = await childRss();
child.send({ type: 'exit' });

if (o.format !== 'jsonl') {
  // Whole-document formats: one write at the end; per-endpoint times come from the report file.
  const { readFileSync } = await import('node:fs');
  if (o.format === 'json') {
    const doc = JSON.parse(readFileSync(o.output!, 'utf8')) as { endpoints: { durationMs: number; probes: number }[] };
    for (const e of doc.endpoints) {
      durations.push(e.durationMs);
      probes += e.probes;
    }
    done = doc.endpoints.length;
  }
  // Nothing is written before the end, so there is no 100th endpoint to see: only the end.
  rssAt100 = NaN;
  rssAtEnd = samples.at(-1)?.rss ?? NaN;
}
rmSync(dir, { recursive: true, force: true });

durations.sort((a, b) => a - b);
const pct = (p: number) => durations[Math.min(durations.length - 1, Math.floor((durations.length * p) / 100))] ?? NaN;
const mib = (n: number) => (Number.isFinite(n) ? `${(n / MiB).toFixed(1)} MiB` : 'n/a');
const shapeCounts = new Map<string, number>();
for (const s of started.shapes) shapeCounts.set(s, (shapeCounts.get(s) ?? 0) + 1);
const lines = [
  `fipscan fleet benchmark: ${endpoints} loopback endpoints, ${shapeCounts.size} server shapes (${[...shapeCounts.keys()].join(', ')})`,
  `options: --format ${o.format} --concurrency ${o.concurrency} --per-host ${o.perHost} --timeout ${o.timeout}; exit code ${code}`,
  '',
  `endpoints reported:     ${done} of ${endpoints}`,
  `wall time:              ${(wallMs / 1000).toFixed(1)} s`,
  `endpoints per second:   ${((done * 1000) / wallMs).toFixed(1)}`,
  `probes per endpoint:    ${(probes / Math.max(1, done)).toFixed(1)} (mean)`,
  `ms per endpoint:        p50 ${pct(50)}, p95 ${pct(95)}, max ${durations.at(-1)} (each endpoint's own scan time, ${o.concurrency} at once)`,
  `scanner RSS:            before ${mib(baselineRss)}, at 100 endpoints ${mib(rssAt100)}, at ${endpoints} ${mib(rssAtEnd)} (${Number.isFinite(rssAt100) ? `${(((rssAtEnd - rssAt100) / rssAt100) * 100).toFixed(1)}% over 100` : 'the whole report is written at the end'}), peak ${mib(peakRss)}`,
  gc
    ? `after a full GC:        at 100 endpoints RSS ${mib(retained[0]?.rss ?? NaN)} heap ${mib(retained[0]?.heap ?? NaN)}, at ${endpoints} RSS ${mib(retained[1]?.rss ?? NaN)} heap ${mib(retained[1]?.heap ?? NaN)} (kept, not garbage)`
    : 'after a full GC:        run with node --expose-gc to see what is kept',
  `server process RSS:     ${mib(serverRssBefore)} idle, ${mib(serverRssAfter)} after (not counted above)`,
];
process.stdout.write(`${lines.join('\n')}\n`);
