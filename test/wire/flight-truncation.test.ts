/**
 * Truncation at every offset: for every fixture stream, decodeServerFlight on each prefix either
 * returns exactly the events of the complete part (a prefix of the full decode) or throws
 * DecodeError('truncated'). Never 'malformed' (a prefix of a valid flight is not wrong, only
 * short) and never any other exception.
 */
import t from 'tap';
import { decodeServerFlight, type ServerEvent } from '../../src/wire/records.js';
import { decodeOutcome } from './decodeOutcome.js';
import { allServerStreams } from './fixtures.js';

for (const { name, bytes } of allServerStreams()) {
  t.test(`${name}: every prefix decodes to a prefix of the events or is 'truncated'`, async (t) => {
    const full = decodeServerFlight(bytes);
    const problems: string[] = [];
    let completePrefixes = 0;
    for (let n = 0; n < bytes.length; n++) {
      const prefix = bytes.subarray(0, n);
      let events: ServerEvent[] | undefined;
      const outcome = decodeOutcome(() => (events = decodeServerFlight(prefix)));
      if (outcome === 'truncated') continue;
      if (outcome !== 'ok') {
        problems.push(`${n}: ${outcome}`);
        continue;
      }
      completePrefixes++;
      const k = events!.length;
      if (JSON.stringify(events) !== JSON.stringify(full.slice(0, k))) problems.push(`${n}: events differ from the first ${k}`);
      if (k === full.length) problems.push(`${n}: all ${k} events from a strict prefix`);
    }
    t.strictSame(problems, [], 'no prefix misbehaves');
    // Each record boundary between whole messages decodes: at least the empty prefix and one more.
    t.ok(completePrefixes >= Math.min(2, full.length), `${completePrefixes} prefixes end on a complete event`);
  });
}
