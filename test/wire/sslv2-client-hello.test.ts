/**
 * buildSslv2ClientHello writes the SSLv2 CLIENT-HELLO exactly as draft-hickman-netscape-ssl-00
 * lays it out: a 2-byte record header with the high bit set and the 15-bit length, then
 * MSG-CLIENT-HELLO (1), version 0x0002, the three lengths, the 3-byte cipher kinds, no session id,
 * and the challenge. A hello too long for the 15-bit length is refused rather than corrupted.
 */
import t from 'tap';
import { hex } from '../../src/wire/bytes.js';
import { buildSslv2ClientHello } from '../../src/wire/clientHello.js';

const challenge = Uint8Array.from({ length: 16 }, (_, i) => 0xa0 + i);
const kinds = [0x010080, 0x020080, 0x030080, 0x040080, 0x050080, 0x060040, 0x0700c0];

t.test('the CLIENT-HELLO bytes follow the SSLv2 layout field by field', async (t) => {
  const bytes = buildSslv2ClientHello(kinds, challenge);
  const bodyLength = 9 + kinds.length * 3 + 16;
  t.equal(bytes.length, 2 + bodyLength);
  t.equal(bytes[0]! & 0x80, 0x80, 'high bit: 2-byte header, no padding');
  t.equal(((bytes[0]! & 0x7f) << 8) | bytes[1]!, bodyLength, 'record length');
  t.equal(bytes[2], 1, 'MSG-CLIENT-HELLO');
  t.equal(hex(bytes.subarray(3, 5)), '0002', 'version');
  t.equal((bytes[5]! << 8) | bytes[6]!, kinds.length * 3, 'cipher-specs length');
  t.equal((bytes[7]! << 8) | bytes[8]!, 0, 'session-id length');
  t.equal((bytes[9]! << 8) | bytes[10]!, 16, 'challenge length');
  const specs = [];
  for (let at = 11; at < 11 + kinds.length * 3; at += 3) specs.push((bytes[at]! << 16) | (bytes[at + 1]! << 8) | bytes[at + 2]!);
  t.strictSame(specs, kinds, '3-byte cipher kinds in order');
  t.equal(hex(bytes.subarray(11 + kinds.length * 3)), hex(challenge), 'the challenge ends the message');
});

t.test('the high bit stays a flag: a hello above 127 bytes keeps its length in the low 15 bits', async (t) => {
  const many = Array.from({ length: 100 }, (_, i) => 0x010080 + i);
  const bytes = buildSslv2ClientHello(many, challenge);
  t.equal(((bytes[0]! & 0x7f) << 8) | bytes[1]!, 9 + 300 + 16);
  t.equal(bytes.length, 2 + 9 + 300 + 16);
});

t.test('a hello longer than 0x7fff bytes throws instead of writing a corrupt header', async (t) => {
  const tooMany = Array.from({ length: 11000 }, () => 0x010080);
  t.throws(() => buildSslv2ClientHello(tooMany, challenge), /2-byte record header/);
});
