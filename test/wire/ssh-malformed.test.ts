/**
 * What cannot be an SSH server's greeting is DecodeError('malformed'), as soon as the bytes show
 * it: oversize and misaligned packets (RFC 4253 §6), bad padding, invalid names in a name-list
 * (RFC 4251 §5, §6), an identification line over 255 bytes or not of the form
 * SSH-protoversion-softwareversion (RFC 4253 §4.2), binary bytes or too much text before it, and
 * messages other than IGNORE/DEBUG before the KEXINIT.
 */
import t from 'tap';
import { concat, Writer } from '../../src/wire/bytes.js';
import { decodeDisconnect, decodePacket, encodePacket, MAX_PACKET_LENGTH } from '../../src/wire/ssh.js';
import { decodeServerGreeting, MAX_PACKETS_BEFORE_KEXINIT, MAX_PREAMBLE_LINES, SshGreetingReader } from '../../src/wire/sshGreeting.js';
import { decodeOutcome } from './decodeOutcome.js';
import { ascii, COOKIE, ignorePacket, kexinitPacket } from './sshFixtures.js';

const BANNER = ascii('SSH-2.0-Test_1.0\r\n');

function u32(n: number): Uint8Array {
  return Uint8Array.from([(n >>> 24) & 0xff, (n >>> 16) & 0xff, (n >>> 8) & 0xff, n & 0xff]);
}

/** A KEXINIT payload with raw list texts (the encoder would refuse the invalid ones). */
function rawKexinit(texts: readonly string[], lengthOverride?: number): Uint8Array {
  const w = new Writer().u8(20).bytes(COOKIE);
  texts.forEach((text, i) => {
    const bytes = Uint8Array.from(text, (c) => c.charCodeAt(0));
    w.bytes(u32(i === 0 && lengthOverride !== undefined ? lengthOverride : bytes.length)).bytes(bytes);
  });
  for (let i = texts.length; i < 10; i++) w.bytes(u32(0));
  return w.u8(0).bytes(u32(0)).finish();
}

/** A packet with chosen packet_length / padding_length bytes, the rest zeros. */
function rawPacket(packetLength: number, paddingLength: number, body = 64): Uint8Array {
  return concat([u32(packetLength), Uint8Array.from([paddingLength]), new Uint8Array(body)]);
}

const CASES: [string, Uint8Array][] = [
  [`packet_length ${MAX_PACKET_LENGTH + 1}`, concat([BANNER, u32(MAX_PACKET_LENGTH + 1)])],
  ['packet_length 0xffffffff', concat([BANNER, u32(0xffffffff)])],
  ['packet_length 4 (under the 16-byte minimum)', concat([BANNER, rawPacket(4, 4)])],
  ['packet_length 13 (not a multiple of 8 with its length field)', concat([BANNER, rawPacket(13, 4)])],
  ['padding_length 3', concat([BANNER, rawPacket(12, 3)])],
  ['padding that leaves no payload', concat([BANNER, rawPacket(12, 11)])],
  ['an empty name between commas', concat([BANNER, encodePacket(rawKexinit(['ecdh-sha2-nistp256,,rsa-sha2-256']))])],
  ['a trailing comma', concat([BANNER, encodePacket(rawKexinit(['ecdh-sha2-nistp256,']))])],
  ['a space in a name', concat([BANNER, encodePacket(rawKexinit(['ecdh sha2']))])],
  ['a name of 65 characters', concat([BANNER, encodePacket(rawKexinit(['a'.repeat(65)]))])],
  ['a non-ASCII name', concat([BANNER, encodePacket(rawKexinit(['\xc3\xa9cdh']))])],
  ['a name-list longer than the message', concat([BANNER, encodePacket(rawKexinit(['ecdh-sha2-nistp256'], 5000))])],
  ['a KEXINIT cut short inside its packet', concat([BANNER, encodePacket(rawKexinit(['ecdh-sha2-nistp256']).subarray(0, 30))])],
  ['message 21 (NEWKEYS) before the KEXINIT', concat([BANNER, encodePacket(Uint8Array.from([21])), kexinitPacket()])],
  [`${MAX_PACKETS_BEFORE_KEXINIT + 1} IGNORE packets`, concat([BANNER, ...Array.from({ length: MAX_PACKETS_BEFORE_KEXINIT + 1 }, ignorePacket), kexinitPacket()])],
  ['an identification line of 256 bytes', concat([ascii(`SSH-2.0-${'x'.repeat(246)}\r\n`), kexinitPacket()])],
  ['an identification line still growing past 255 bytes', ascii(`SSH-2.0-${'x'.repeat(300)}`)],
  ['an empty softwareversion', concat([ascii('SSH-2.0-\r\n'), kexinitPacket()])],
  ['no softwareversion', concat([ascii('SSH-2.0\r\n'), kexinitPacket()])],
  ['an empty protoversion', concat([ascii('SSH--x\r\n'), kexinitPacket()])],
  ['a byte over 0x7e in the identification', concat([ascii('SSH-2.0-caf\xe9\r\n'), kexinitPacket()])],
  ['a NUL in the identification', concat([ascii('SSH-2.0-x\x00\r\n'), kexinitPacket()])],
  ['a TLS alert where the banner should be', Uint8Array.from([0x15, 0x03, 0x03, 0x00, 0x02, 0x02, 0x46])],
  ['a carriage return inside a line', concat([ascii('hello\rworld\r\n'), BANNER, kexinitPacket()])],
  ['a line of 1025 bytes before the identification', concat([ascii(`${'x'.repeat(1023)}\r\n`), BANNER, kexinitPacket()])],
  ['a text flood with no line end', ascii('x'.repeat(2000))],
  [`${MAX_PREAMBLE_LINES + 1} lines before the identification`, concat([ascii('line\r\n'.repeat(MAX_PREAMBLE_LINES + 1)), BANNER, kexinitPacket()])],
];

for (const [name, bytes] of CASES) {
  t.test(`${name}: malformed`, async (t) => {
    t.equal(decodeOutcome(() => decodeServerGreeting(bytes)), 'malformed');
  });
}

t.test('hostile starts are refused before their bytes are buffered', async (t) => {
  const early: [string, Uint8Array][] = [
    ['a TLS alert, first byte', Uint8Array.from([0x15])],
    ['an oversize packet_length, its 4 bytes', concat([BANNER, u32(1 << 30)])],
    ['1024 bytes of text without a line end', ascii('x'.repeat(1024))],
  ];
  for (const [name, bytes] of early) t.equal(decodeOutcome(() => new SshGreetingReader().feed(bytes)), 'malformed', name);
});

t.test('the limits themselves are accepted', async (t) => {
  const limits: [string, Uint8Array][] = [
    ['an identification line of exactly 255 bytes', concat([ascii(`SSH-2.0-${'x'.repeat(245)}\r\n`), kexinitPacket()])],
    [`${MAX_PREAMBLE_LINES} lines before the identification`, concat([ascii('line\r\n'.repeat(MAX_PREAMBLE_LINES)), BANNER, kexinitPacket()])],
    ['a line of 1024 bytes before the identification', concat([ascii(`${'x'.repeat(1022)}\r\n`), BANNER, kexinitPacket()])],
    [`${MAX_PACKETS_BEFORE_KEXINIT} IGNORE packets`, concat([BANNER, ...Array.from({ length: MAX_PACKETS_BEFORE_KEXINIT }, ignorePacket), kexinitPacket()])],
    ['a name of 64 characters', concat([BANNER, encodePacket(rawKexinit(['a'.repeat(64)]))])],
    ['bytes after the reserved field', concat([BANNER, encodePacket(concat([rawKexinit([]), Uint8Array.from([1, 2, 3])]))])],
  ];
  for (const [name, bytes] of limits) t.equal(decodeOutcome(() => decodeServerGreeting(bytes)), 'ok', name);
});

t.test('a packet or DISCONNECT whose inner lengths lie', async (t) => {
  t.equal(decodeOutcome(() => decodePacket(rawPacket(12, 4, 8))), 'truncated', 'a packet not all there is truncated');
  const disconnect = concat([Uint8Array.from([1]), u32(2), u32(100), ascii('short')]);
  t.equal(decodeOutcome(() => decodeDisconnect(disconnect)), 'malformed', 'a description longer than the message');
});
