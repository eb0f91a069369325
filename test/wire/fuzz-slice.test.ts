/**
 * A fast slice of the codec fuzzer (bench/fuzz.ts runs a million cases): 20,000 deterministic
 * mutation cases over the captured server flights. No decoder may throw anything but DecodeError
 * and a stream fed in chunks must decode exactly like the stream fed whole. How fast the cases
 * run (cases/s, the slowest case, where a quadratic path would show) is measured by
 * `npm run bench:fuzz`, not here: a loaded machine must not fail a correct decoder.
 */
import t from 'tap';
import { FUZZ_SLICE, runFuzz } from './fuzzer.js';

t.test(`${FUZZ_SLICE.cases} fuzz cases: nothing but DecodeError escapes, chunked equals whole`, async (t) => {
  const stats = runFuzz(FUZZ_SLICE);
  for (const k of stats.crashKinds) {
    const c = k.examples[0]!;
    t.comment(`x${k.count} ${k.kind}; e.g. case ${c.caseNumber} (${c.how}) input ${c.inputHex.slice(0, 400)}...`);
  }
  t.equal(stats.crashCount, 0, 'no crashes (replay one with: node dist/bench/fuzz.js 1 1 <case>)');
});
