/**
 * A fast slice of the codec fuzzer (bench/fuzz.ts runs a million cases): 20,000 deterministic
 * mutation cases over the captured server flights, in a few seconds. No decoder may throw
 * anything but DecodeError, a stream fed in chunks must decode exactly like the stream fed
 * whole, and no single case may take long (a slow case is a quadratic path a server can hit).
 */
import t from 'tap';
import { runFuzz } from './fuzzer.js';

const CASES = 20_000;
/** Generous for a shared CI machine; a typical case takes well under a millisecond. */
const MAX_CASE_MS = 250;

t.test(`${CASES} fuzz cases: nothing but DecodeError escapes, chunked equals whole`, async (t) => {
  const stats = runFuzz({ cases: CASES, seed: 1 });
  t.comment(`${Math.round(stats.cases / (stats.elapsedMs / 1000))} cases/s, max ${stats.maxCaseMs.toFixed(2)} ms (case ${stats.slowestCase}), peak RSS ${(stats.peakRss / 2 ** 20).toFixed(0)} MiB`);
  for (const k of stats.crashKinds) {
    const c = k.examples[0]!;
    t.comment(`x${k.count} ${k.kind}; e.g. case ${c.caseNumber} (${c.how}) input ${c.inputHex.slice(0, 400)}...`);
  }
  t.equal(stats.crashCount, 0, 'no crashes (replay one with: node dist/bench/fuzz.js 1 1 <case>)');
  t.ok(stats.maxCaseMs < MAX_CASE_MS, `slowest case ${stats.maxCaseMs.toFixed(2)} ms < ${MAX_CASE_MS} ms`);
});
