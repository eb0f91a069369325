/**
 * How a decode call ended, as one comparable value: 'ok', 'truncated', 'malformed', or the name of
 * any other exception. Tests compare it with t.equal so a failure says exactly what was thrown
 * (a TypeError from an over-read is the bug these tests exist to catch).
 */
import { DecodeError } from '../../src/wire/bytes.js';

export type DecodeOutcome = 'ok' | 'truncated' | 'malformed' | `threw ${string}`;

export function decodeOutcome(decode: () => unknown): DecodeOutcome {
  try {
    decode();
    return 'ok';
  } catch (err) {
    if (err instanceof DecodeError) return err.kind;
    return `threw ${err instanceof Error ? `${err.name}: ${err.message}` : String(err)}`;
  }
}
