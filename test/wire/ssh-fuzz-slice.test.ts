/**
 * A fast slice of the SSH greeting fuzzer (sshFuzzer.ts): 20,000 deterministic mutation cases
 * over the captured sshd greetings. Nothing but DecodeError escapes, the reader fed in chunks
 * ends exactly as when fed whole, a decoded KEXINIT re-encodes, and no case takes long.
 */
import t from 'tap';
import { runSshFuzz } from './sshFuzzer.js';

const CASES = 20_000;
/** Generous for a shared CI machine; a typical case takes well under a millisecond. */
const MAX_CASE_MS = 250;

t.test(`${CASES} SSH fuzz cases: nothing but DecodeError escapes, chunked equals whole`, async (t) => {
  const stats = runSshFuzz({ cases: CASES, seed: 1 });
  t.comment(`${Math.round(stats.cases / (stats.elapsedMs / 1000))} cases/s, max ${stats.maxCaseMs.toFixed(2)} ms (case ${stats.slowestCase})`);
  for (const c of stats.crashes) t.comment(`case ${c.caseNumber} (${c.how}): ${c.error}; input ${c.inputHex.slice(0, 300)}...`);
  t.equal(stats.crashes.length, 0, 'no crashes');
  t.ok(stats.maxCaseMs < MAX_CASE_MS, `slowest case ${stats.maxCaseMs.toFixed(2)} ms < ${MAX_CASE_MS} ms`);
});
