/**
 * How fast the fuzz slices that the tests run go: the codec slice (test/wire/fuzz-slice.test.ts)
 * and the SSH greeting slice (test/wire/ssh-fuzz-slice.test.ts), the same cases and seeds. Prints
 * cases per second, the slowest case (a quadratic path a server can hit shows here first) and
 * that case replayed alone (a lone slow case is often a garbage-collection pause that landed on
 * it), the crashes found, the load average and the peak RSS. Numbers only: the tests assert that nothing crashes,
 * this says how long that took.
 *
 *   npm run bench:fuzz            (builds first)
 *   node dist/bench/fuzzSlices.js [cases per slice, default: the tests' 20,000]
 */
import { loadavg } from 'node:os';
import { FUZZ_SLICE, runFuzz } from '../test/wire/fuzzer.js';
import { SSH_FUZZ_SLICE, runSshFuzz } from '../test/wire/sshFuzzer.js';

interface Timing {
  cases: number;
  crashes: number;
  elapsedMs: number;
  maxCaseMs: number;
  slowestCase: number;
}

function casesArgument(): number | null {
  const text = process.argv[2];
  if (text === undefined) return null;
  const n = Number(text);
  if (!Number.isSafeInteger(n) || n < 1) {
    process.stderr.write(`bench:fuzz: cases must be a positive integer, got '${text}'\n`);
    process.exit(2);
  }
  return n;
}

function row(name: string, seed: number, t: Timing, replayedMs: number): string {
  const perSecond = Math.round(t.cases / (t.elapsedMs / 1000));
  return [
    `${name}: ${t.cases} cases, seed ${seed}`,
    `  crashes:          ${t.crashes}`,
    `  cases/s:          ${perSecond} (${(t.elapsedMs / 1000).toFixed(2)} s)`,
    `  slowest case:     ${t.maxCaseMs.toFixed(2)} ms (case ${t.slowestCase}; ${replayedMs.toFixed(2)} ms replayed alone)`,
  ].join('\n');
}

const cases = casesArgument();

const tls = runFuzz({ ...FUZZ_SLICE, cases: cases ?? FUZZ_SLICE.cases });
const tlsReplay = runFuzz({ cases: 1, seed: FUZZ_SLICE.seed, from: tls.slowestCase });
const ssh = runSshFuzz({ ...SSH_FUZZ_SLICE, cases: cases ?? SSH_FUZZ_SLICE.cases });
const sshReplay = runSshFuzz({ cases: 1, seed: SSH_FUZZ_SLICE.seed, from: ssh.slowestCase });

console.log(row('codec (test/wire/fuzz-slice)', FUZZ_SLICE.seed, { ...tls, crashes: tls.crashCount }, tlsReplay.maxCaseMs));
console.log(row('ssh greeting (test/wire/ssh-fuzz-slice)', SSH_FUZZ_SLICE.seed, { ...ssh, crashes: ssh.crashes.length }, sshReplay.maxCaseMs));
console.log(`load average:       ${loadavg().map((l) => l.toFixed(2)).join(' ')} (numbers from a loaded machine are slower)`);
console.log(`peak RSS:           ${(Math.max(tls.peakRss, process.resourceUsage().maxRSS * 1024) / 2 ** 20).toFixed(1)} MiB`);
