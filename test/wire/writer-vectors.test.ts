/**
 * Writer: length prefixes are back-patched when a vector closes, nested vectors of 1-, 2- and
 * 3-byte widths get their own lengths, growth past the initial buffer keeps what was written, and
 * a vector too long for its prefix throws at end() instead of writing a truncated length.
 */
import t from 'tap';
import { Writer, hex } from '../../src/wire/bytes.js';

t.test('nested vectors of every width get their lengths back-patched', async (t) => {
  const w = new Writer();
  w.u8(0xaa).vector(3, (a) => a.u16(0x0102).vector(2, (b) => b.vector(1, (c) => c.u8(7).u8(8)).u24(0x030405)));
  t.equal(hex(w.finish()), 'aa' + '00000a' + '0102' + '0006' + '02' + '0708' + '030405');
});

t.test('an empty vector writes a zero length', async (t) => {
  t.equal(hex(new Writer().vector(2, () => {}).finish()), '0000');
});

t.test('writing far past the initial buffer keeps every byte and patches the outer length', async (t) => {
  const w = new Writer().begin(3);
  for (let i = 0; i < 5000; i++) w.u16(i);
  const out = w.end().finish();
  t.equal(out.length, 3 + 10000);
  t.equal((out[0]! << 16) | (out[1]! << 8) | out[2]!, 10000);
  for (let i = 0; i < 5000; i += 997) t.equal((out[3 + 2 * i]! << 8) | out[4 + 2 * i]!, i, `value ${i}`);
});

t.test('a vector one byte over its prefix\'s range throws at end(); at the maximum it is fine', async (t) => {
  for (const width of [1, 2, 3] as const) {
    const max = 2 ** (8 * width) - 1;
    const fits = new Writer().begin(width).bytes(new Uint8Array(max));
    t.doesNotThrow(() => fits.end(), `${max} bytes fit a ${width}-byte length`);
    const over = new Writer().begin(width).bytes(new Uint8Array(max + 1));
    t.throws(() => over.end(), /overflows/, `${max + 1} bytes overflow a ${width}-byte length`);
  }
});

t.test('end() without begin() and finish() with an open vector throw', async (t) => {
  t.throws(() => new Writer().end(), /without begin/);
  t.throws(() => new Writer().begin(2).u8(1).finish(), /open vectors/);
});
