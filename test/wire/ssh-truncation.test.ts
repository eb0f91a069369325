/**
 * Truncation at every offset: every strict prefix of a captured or synthesized SSH greeting is
 * DecodeError('truncated'), never 'malformed' (a prefix of a valid greeting is only short) and
 * never any other exception; the whole greeting decodes.
 */
import t from 'tap';
import { decodeServerGreeting } from '../../src/wire/sshGreeting.js';
import { decodeOutcome } from './decodeOutcome.js';
import { capturedGreetings, synthesizedGreetings } from './sshFixtures.js';

const all = [...capturedGreetings().map((c) => ({ name: c.file, bytes: c.bytes })), ...synthesizedGreetings()];

for (const { name, bytes } of all) {
  t.test(`${name}: each of the ${bytes.length} strict prefixes is 'truncated'`, async (t) => {
    const problems: string[] = [];
    for (let n = 0; n < bytes.length; n++) {
      const outcome = decodeOutcome(() => decodeServerGreeting(bytes.subarray(0, n)));
      if (outcome !== 'truncated') problems.push(`${n}: ${outcome}`);
    }
    t.strictSame(problems, [], 'no prefix decodes or fails otherwise');
    t.equal(decodeOutcome(() => decodeServerGreeting(bytes)), 'ok', 'the whole greeting decodes');
  });
}
