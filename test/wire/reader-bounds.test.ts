/**
 * Reader never trusts a length: running out of bytes at the top level is 'truncated' (more may
 * arrive), while over-reading a sub-reader made by vector() is 'malformed' (the declared vector is
 * complete and wrong), however deep the nesting; a vector longer than what is buffered is
 * 'truncated'; done() rejects leftovers. No read ever returns bytes beyond the buffer.
 */
import t from 'tap';
import { Reader, hex } from '../../src/wire/bytes.js';
import { decodeOutcome } from './decodeOutcome.js';

const bytes = (...b: number[]) => new Uint8Array(b);

t.test('reads big-endian integers and opaque vectors', async (t) => {
  const r = new Reader(bytes(1, 2, 3, 4, 5, 6, 2, 0xaa, 0xbb, 9));
  t.equal(r.u8(), 1);
  t.equal(r.u16(), 0x0203);
  t.equal(r.u24(), 0x040506);
  t.equal(hex(r.opaque(1)), 'aabb');
  t.equal(r.remaining, 1);
  t.equal(hex(r.rest()), '09');
  t.equal(r.remaining, 0);
});

t.test('over-reading the top-level reader is truncated', async (t) => {
  t.equal(decodeOutcome(() => new Reader(bytes(1)).u16()), 'truncated');
  t.equal(decodeOutcome(() => new Reader(bytes(0, 1, 2)).u24()), 'ok');
  t.equal(decodeOutcome(() => new Reader(bytes(1, 2)).u24()), 'truncated');
  t.equal(decodeOutcome(() => new Reader(bytes()).bytes(1)), 'truncated');
});

t.test('a vector longer than the bytes at hand is truncated', async (t) => {
  t.equal(decodeOutcome(() => new Reader(bytes(0, 5, 1, 2)).vector(2)), 'truncated');
  t.equal(decodeOutcome(() => new Reader(bytes(0, 0, 3, 1, 2)).vector(3)), 'truncated');
});

t.test('over-reading a vector sub-reader is malformed, at any depth', async (t) => {
  t.equal(decodeOutcome(() => new Reader(bytes(1, 7, 8)).vector(1).u16()), 'malformed', 'u16 from a 1-byte vector');
  t.equal(decodeOutcome(() => new Reader(bytes(2, 7, 8)).vector(1).bytes(3)), 'malformed');
  t.equal(decodeOutcome(() => new Reader(bytes(0, 3, 1, 1, 9)).vector(2).vector(1).u16()), 'malformed', 'nested');
  t.equal(decodeOutcome(() => new Reader(bytes(0, 3, 5, 1, 9)).vector(2).vector(1)), 'malformed', 'inner vector longer than the outer one');
  t.equal(decodeOutcome(() => new Reader(bytes(0, 2, 9, 9)).vector(2).opaque(2)), 'malformed', 'opaque longer than its vector');
});

t.test('a sub-reader sees only its vector, never the bytes after it', async (t) => {
  const r = new Reader(bytes(2, 0xaa, 0xbb, 0xcc));
  const v = r.vector(1);
  t.equal(hex(v.rest()), 'aabb');
  t.equal(r.u8(), 0xcc);
});

t.test('done() accepts a consumed reader and rejects leftovers as malformed', async (t) => {
  const r = new Reader(bytes(1, 2));
  r.u8();
  t.equal(decodeOutcome(() => r.done()), 'malformed');
  r.u8();
  t.equal(decodeOutcome(() => r.done()), 'ok');
});

t.test('the error names what was being read', async (t) => {
  t.throws(() => new Reader(bytes(1), 'ServerHello').u16(), { name: 'DecodeError', kind: 'truncated', code: 'ETRUNCATED', message: /^ServerHello: / });
  t.throws(() => new Reader(bytes(1, 1)).vector(1, 'key_share').u16(), { kind: 'malformed', code: 'EMALFORMED', message: /^key_share: / });
});
