/**
 * A fast slice of the SSH greeting fuzzer (sshFuzzer.ts): 20,000 deterministic mutation cases
 * over the captured sshd greetings. Nothing but DecodeError escapes, the reader fed in chunks
 * ends exactly as when fed whole, and a decoded KEXINIT re-encodes. How fast the cases run is
 * measured by `npm run bench:fuzz`, not here.
 */
import t from 'tap';
import { SSH_FUZZ_SLICE, runSshFuzz } from './sshFuzzer.js';

t.test(`${SSH_FUZZ_SLICE.cases} SSH fuzz cases: nothing but DecodeError escapes, chunked equals whole`, async (t) => {
  const stats = runSshFuzz(SSH_FUZZ_SLICE);
  for (const c of stats.crashes) t.comment(`case ${c.caseNumber} (${c.how}): ${c.error}; input ${c.inputHex.slice(0, 300)}...`);
  t.equal(stats.crashes.length, 0, 'no crashes');
});
