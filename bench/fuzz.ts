/**
 * The codec fuzzer's command line (engine: test/wire/fuzzer.ts). Runs a deterministic number of
 * mutation cases over the captured server flights and prints cases run, crashes, cases per
 * second, the slowest case's time and the peak RSS; each crash is printed with its case number,
 * the function that threw, the error and the input as hex, grouped by kind with three examples
 * each, so one bug does not print a thousand times. Exit code 1 when anything crashed.
 *
 *     npm run build && node dist/bench/fuzz.js [cases=1000000] [seed=1] [from=0]
 *     node dist/bench/fuzz.js 1 1 123456     # replays case 123456 of seed 1 alone
 */
import { runFuzz } from '../test/wire/fuzzer.js';

function mib(bytes: number): string {
  return `${(bytes / 2 ** 20).toFixed(1)} MiB`;
}

function argument(index: number, fallback: number, what: string): number {
  const text = process.argv[index];
  if (text === undefined) return fallback;
  const n = Number(text);
  if (!Number.isSafeInteger(n) || n < 0) {
    process.stderr.write(`fuzz: ${what} must be a non-negative integer, got '${text}'\n`);
    process.exit(2);
  }
  return n;
}

const cases = argument(2, 1_000_000, 'cases');
const seed = argument(3, 1, 'seed');
const from = argument(4, 0, 'from');

process.stderr.write(`fuzz: ${cases} cases from case ${from}, seed ${seed}\n`);
const stats = runFuzz({
  cases,
  seed,
  from,
  onProgress: (done, crashes) => process.stderr.write(`  ${done} cases, ${crashes} crashes, RSS ${mib(process.memoryUsage().rss)}\n`),
});
// A single slow case is often a garbage-collection pause that landed on it; replaying it alone tells.
const replay = runFuzz({ cases: 1, seed, from: stats.slowestCase });

for (const k of stats.crashKinds) {
  console.log(`CRASH x${k.count} ${k.kind}`);
  for (const c of k.examples) {
    console.log(`  case ${c.caseNumber} (${c.how}${c.allowSslv2 ? ', SSLv2 allowed' : ''}): ${c.error}`);
    console.log(`  input ${c.inputHex}`);
  }
}

const seconds = stats.elapsedMs / 1000;
console.log(`cases run:        ${stats.cases}`);
console.log(`crashes:          ${stats.crashCount}${stats.crashKinds.length ? ` (${stats.crashKinds.length} kinds)` : ''}`);
console.log(`cases/s:          ${Math.round(stats.cases / seconds)} (${seconds.toFixed(1)} s)`);
console.log(`max ms per case:  ${stats.maxCaseMs.toFixed(2)} (case ${stats.slowestCase}; ${replay.maxCaseMs.toFixed(2)} ms replayed alone)`);
console.log(`peak RSS:         ${mib(stats.peakRss)}`);
process.exitCode = stats.crashCount > 0 ? 1 : 0;
