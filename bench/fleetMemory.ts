/**
 * Fleet memory matrix (issue 19): the scanner's peak RSS at 100, 1,000 and 5,000 loopback
 * endpoints for `--format json`, `jsonl`, `junit` and `table`, each with `-o file` and to stdout,
 * one bench/fleet.ts process per cell (a process's peak RSS never comes down, so cells cannot
 * share one), and the ratio of the peak at 1,000 to the peak at 100. Beside it, from the stdout
 * runs with --expose-gc: the heap still held once every endpoint is judged and before the report
 * is rendered (after a full GC), per endpoint, which is what the sink keeps; and the report's
 * size per endpoint. The issue's bar: peak at 1,000 <= 1.2 x peak at 100, and under 150 MB.
 * Numbers only.
 *
 * A process's peak also depends on when V8 collects: its first full collections, at start-up,
 * see allocation outrun collection and let the old generation grow to four times what is live
 * (--trace-gc-verbose: `factor 4.0 based on ... speed_ratio=7`); a run that promotes fast fills
 * that before its next full collection, 30-50 MiB above the usual peak, once, whatever the
 * fleet's size. --runs N runs each cell N times and shows the median peak with the highest;
 * --node-flags '--heap-growing-percent=50' (say) runs the cells with those V8 flags.
 *
 *   npm run bench:fleet-memory                       (builds first; 100, 1000, 5000)
 *   node dist/bench/fleetMemory.js [sizes,...] [--formats json,jsonl] [--to file,stdout] [--runs N] [--node-flags '...']
 *
 * 5,000 endpoints take 4 to 11 minutes per cell on 2 shared cores; one pass of the matrix about
 * an hour.
 */
import { spawn } from 'node:child_process';
import { availableParallelism, loadavg, totalmem } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

interface Cell {
  endpoints: number;
  format: string;
  to: 'file' | 'stdout';
  exitCode: number;
  wallMs: number;
  peakRss: number;
  baselineRss: number;
  baselineHeap: number;
  keptHeap: number | null;
  bytesOut: number;
}

const argv = process.argv.slice(2);
function option(flag: string, fallback: string): string[] {
  const at = argv.indexOf(flag);
  const value = at >= 0 ? argv.splice(at, 2)[1] : undefined;
  return (value ?? fallback).split(',').filter((s) => s !== '');
}
const formats = option('--formats', 'json,jsonl,junit,table');
const destinations = option('--to', 'file,stdout') as ('file' | 'stdout')[];
const runs = Number(option('--runs', '1')[0]);
const nodeFlags = option('--node-flags', '').flatMap((f) => f.split(' ')).filter((f) => f !== '');
const sizes = (argv[0] ?? '100,1000,5000').split(',').map(Number);
const here = dirname(fileURLToPath(import.meta.url));
const MiB = 1048576;

/** One bench/fleet.ts process; resolves to its RESULT line. */
function runCell(endpoints: number, format: string, to: string): Promise<Cell> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--expose-gc', ...nodeFlags, join(here, 'fleet.js'), String(endpoints), '--format', format, '--to', to, '--machine'], { stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    child.stdout.setEncoding('utf8').on('data', (s: string) => (out += s));
    child.once('error', reject);
    child.once('close', (code) => {
      const line = /^RESULT (.*)$/m.exec(out)?.[1];
      if (line === undefined) reject(new Error(`fleet.js ${endpoints} --format ${format} --to ${to} exited ${code} without a RESULT line:\n${out.slice(-2000)}`));
      else resolve(JSON.parse(line) as Cell);
    });
  });
}

/** The load average (1, 5, 15 min): the machine is shared, and the numbers are read beside it. */
const load = (): string => loadavg().map((l) => l.toFixed(2)).join(' ');
const machine = `${availableParallelism()} cores, ${(totalmem() / 1073741824).toFixed(1)} GiB, node ${process.version}`;
const loadAtStart = load();

const cells: Cell[] = [];
const started = performance.now();
for (let run = 0; run < runs; run++) {
  for (const endpoints of sizes) {
    for (const format of formats) {
      for (const to of destinations) {
        const cell = await runCell(endpoints, format, to);
        cells.push(cell);
        process.stderr.write(`fleetMemory: ${endpoints} ${format} ${to}: peak ${(cell.peakRss / MiB).toFixed(1)} MiB in ${(cell.wallMs / 1000).toFixed(0)} s, load ${load()}\n`);
      }
    }
  }
}

const runsOf = (endpoints: number, format: string, to: string) => cells.filter((c) => c.endpoints === endpoints && c.format === format && c.to === to);
const find = (endpoints: number, format: string, to: string) => runsOf(endpoints, format, to)[0];
/** The median peak of a cell's runs (the lower middle one for an even count). */
function medianPeak(endpoints: number, format: string, to: string): number | undefined {
  const peaks = runsOf(endpoints, format, to).map((c) => c.peakRss).sort((a, b) => a - b);
  return peaks[Math.floor((peaks.length - 1) / 2)];
}
const highestPeak = (endpoints: number, format: string, to: string) => Math.max(...runsOf(endpoints, format, to).map((c) => c.peakRss));
const mib = (n: number | undefined) => (n === undefined ? 'n/a' : (n / MiB).toFixed(1));
const pad = (s: string, n: number) => s.padStart(n);
const peakWidth = runs > 1 ? 17 : 11;
const peakText = (endpoints: number, format: string, to: string) => (runs > 1 && find(endpoints, format, to) ? `${mib(medianPeak(endpoints, format, to))} (${mib(highestPeak(endpoints, format, to))})` : mib(medianPeak(endpoints, format, to)));
const header = `${'format'.padEnd(7)} ${'to'.padEnd(7)} ${sizes.map((s) => pad(`peak@${s}`, peakWidth)).join(' ')} ${pad('1000/100', 9)} ${pad('kept KiB/ep', 12)} ${pad('report KiB/ep', 14)}`;
const rows = [header];
for (const format of formats) {
  for (const to of destinations) {
    const peaks = sizes.map((s) => peakText(s, format, to));
    const p100 = medianPeak(100, format, to);
    const p1000 = medianPeak(1000, format, to);
    // What the sink holds per endpoint: the heap kept at the largest size over the run's own baseline.
    const largest = [...sizes].reverse().map((s) => find(s, format, 'stdout')).find((c) => c?.keptHeap != null);
    const kept = largest && largest.keptHeap !== null ? (largest.keptHeap - largest.baselineHeap) / largest.endpoints / 1024 : NaN;
    const bytes = find(sizes.at(-1)!, format, to);
    rows.push(
      `${format.padEnd(7)} ${to.padEnd(7)} ${peaks.map((p) => pad(p, peakWidth)).join(' ')} ${pad(p100 && p1000 ? `${(p1000 / p100).toFixed(2)}x` : 'n/a', 9)} ${pad(Number.isFinite(kept) ? kept.toFixed(1) : 'n/a', 12)} ${pad(bytes ? (bytes.bytesOut / bytes.endpoints / 1024).toFixed(2) : 'n/a', 14)}`,
    );
  }
}
process.stdout.write(
  [
    `fipscan fleet memory: peak RSS (MiB, getrusage) of the scanning process, ${sizes.join(' / ')} loopback endpoints, CLI defaults (--concurrency 8 --per-host 2)${nodeFlags.length > 0 ? `, node ${nodeFlags.join(' ')}` : ''}${runs > 1 ? `; median of ${runs} runs (highest)` : ''}`,
    '',
    ...rows,
    '',
    'kept KiB/ep: heap after a full GC once every endpoint is judged (json, junit, table: at the first byte of the report;',
    'jsonl: after the last line), less the heap before the run, divided by the endpoints; from the stdout run at the largest size.',
    `bar (issue 19): peak@1000 <= 1.2 x peak@100 and < 150 MB (143 MiB). Matrix took ${((performance.now() - started) / 60000).toFixed(1)} min.`,
    `machine: ${machine}; load average ${loadAtStart} at the start, ${load()} at the end.`,
  ].join('\n') + '\n',
);
