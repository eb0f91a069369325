/**
 * Encoders and decoders agree: a KEXINIT payload captured from sshd re-encodes to exactly its own
 * bytes, a framed packet decodes to the payload it framed (padded to 8 bytes with at least 4 of
 * padding, RFC 4253 §6), and our identification line is `SSH-2.0-fipscan_<version>` CR LF.
 */
import t from 'tap';
import { decodeKexinit, decodePacket, encodeIdentification, encodeKexinit, encodePacket, parseIdentification } from '../../src/wire/ssh.js';
import { decodeServerGreeting } from '../../src/wire/sshGreeting.js';
import { capturedGreetings, COOKIE, kexinitPacket, SMALL_LISTS } from './sshFixtures.js';

for (const c of capturedGreetings()) {
  t.test(`${c.file}: decode -> encode gives the captured KEXINIT payload byte for byte`, async (t) => {
    const g = decodeServerGreeting(c.bytes);
    if (g.kind !== 'kexinit') return t.fail('no KEXINIT');
    t.same(encodeKexinit(g.kexinit), g.payload);
    t.same(decodeKexinit(encodeKexinit(g.kexinit)), g.kexinit, 'and decodes back to the same KEXINIT');
  });
}

t.test('encodePacket frames any payload length so that decodePacket returns it', async (t) => {
  for (let n = 1; n <= 40; n++) {
    const payload = Uint8Array.from({ length: n }, (_, i) => (i === 0 ? 20 : i));
    const packet = encodePacket(payload);
    t.equal(packet.length % 8, 0, `${n}: a multiple of 8`);
    const padding = packet[4]!;
    t.ok(padding >= 4 && padding < 12, `${n}: 4 to 11 bytes of padding (${padding})`);
    const decoded = decodePacket(packet);
    t.same(decoded.payload, payload, `${n}: same payload`);
    t.equal(decoded.consumed, packet.length);
  }
});

t.test('a KEXINIT packet round-trips through packet and message codecs', async (t) => {
  const packet = kexinitPacket();
  const k = decodeKexinit(decodePacket(packet).payload);
  t.same(k.lists, SMALL_LISTS);
  t.same(k.cookie, COOKIE);
  t.same(encodePacket(encodeKexinit(k)), packet, 'encode(decode(encode(x))) is stable');
});

t.test('our identification line', async (t) => {
  t.equal(Buffer.from(encodeIdentification('fipscan_0.1.0')).toString('latin1'), 'SSH-2.0-fipscan_0.1.0\r\n');
  t.equal(Buffer.from(encodeIdentification('fipscan_0.1.0', 'scanner')).toString('latin1'), 'SSH-2.0-fipscan_0.1.0 scanner\r\n');
  t.same(parseIdentification('SSH-2.0-fipscan_0.1.0'), { line: 'SSH-2.0-fipscan_0.1.0', protoVersion: '2.0', softwareVersion: 'fipscan_0.1.0', comments: null });
  t.throws(() => encodeIdentification('fip-scan'), /softwareversion/, "no '-' in softwareversion (RFC 4253 §4.2)");
  t.throws(() => encodeIdentification('fip scan'), /softwareversion/, 'no space in softwareversion');
  t.throws(() => encodeIdentification('x', 'y'.repeat(250)), /over 255/, 'at most 255 bytes');
  t.throws(() => encodeKexinit({ cookie: COOKIE, lists: { ...SMALL_LISTS, kexAlgorithms: ['a,b'] } }), /invalid name/, 'no comma inside a name');
});
