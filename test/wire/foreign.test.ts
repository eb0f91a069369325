/**
 * foreignAnswer names the protocol behind a non-TLS answer from its first bytes, and never
 * calls foreign what could begin a TLS record or an SSLv2 message.
 */
import t from 'tap';
import { foreignAnswer } from '../../src/wire/foreign.js';

const ascii = (s: string): Uint8Array => new Uint8Array(Buffer.from(s, 'latin1'));

t.test('what may be TLS or SSLv2 is not foreign', async (t) => {
  t.equal(foreignAnswer(new Uint8Array(0)), null, 'no bytes');
  t.equal(foreignAnswer(Uint8Array.of(0x15, 0x03, 0x03, 0x00, 0x02, 0x02, 0x28)), null, 'a TLS alert record');
  t.equal(foreignAnswer(Uint8Array.of(0x16)), null, 'a lone handshake content type');
  for (let type = 20; type <= 24; type++) t.equal(foreignAnswer(Uint8Array.of(type, 0x03, 0x01)), null, `content type ${type}, major version 3`);
  t.equal(foreignAnswer(Uint8Array.of(0x80, 0x2e, 0x04)), null, 'an SSLv2 SERVER-HELLO header');
});

t.test('text protocols are named and quoted', async (t) => {
  const cases: [string, string][] = [
    ['HTTP/1.1 400 Bad Request\r\n', 'HTTP'],
    ['SSH-2.0-OpenSSH_9.6\r\n', 'SSH'],
    ['220 mail.example ESMTP Postfix\r\n', 'SMTP'],
    ['220 (vsFTPd 3.0.5)\r\n', 'FTP'],
    ['* OK [CAPABILITY IMAP4rev1] ready\r\n', 'IMAP'],
    ['+OK POP3 ready\r\n', 'POP3'],
    ['-ERR unknown command\r\n', 'a text protocol (Redis, POP3)'],
    ['RFB 003.008\n', 'VNC'],
    ['hello?', 'an unknown protocol'],
  ];
  for (const [text, protocol] of cases) {
    const a = foreignAnswer(ascii(text));
    t.equal(a?.protocol, protocol, JSON.stringify(text));
  }
  t.equal(foreignAnswer(ascii('HTTP/1.1 400 Bad Request\r\n'))?.sample, 'HTTP/1.1 400 Bad Request\\r\\n', 'CR and LF escaped');
  const long = foreignAnswer(ascii('HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\n'));
  t.equal(long?.sample, 'HTTP/1.1 400 Bad Request\\r\\nConten...', 'cut at 32 bytes');
  t.equal(foreignAnswer(Uint8Array.of(0x42, 0x00, 0x7f, 0x5c))?.sample, 'B\\x00\\x7f\\x5c', 'unprintable bytes and backslash escaped');
});

t.test('binary protocols', async (t) => {
  // HTTP/2: SETTINGS frame (type 4) of 3 settings on stream 0, then a GOAWAY.
  const settings = Uint8Array.of(0x00, 0x00, 0x12, 0x04, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x03, 0x00, 0x00, 0x00, 0x64);
  t.equal(foreignAnswer(settings)?.protocol, 'HTTP/2 without TLS (h2c)', 'an h2c SETTINGS frame');
  const goaway = Uint8Array.of(0x00, 0x00, 0x08, 0x07, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x01);
  t.equal(foreignAnswer(goaway)?.protocol, 'HTTP/2 without TLS (h2c)', 'an h2c GOAWAY frame');
  t.equal(foreignAnswer(Uint8Array.of(0x00, 0x00, 0x12, 0x04, 0x00, 0x00, 0x00, 0x00, 0x01))?.protocol, 'an unknown protocol', 'a SETTINGS frame on a stream is no h2c answer');
  const mysql = Uint8Array.of(0x4a, 0x00, 0x00, 0x00, 0x0a, ...ascii('8.0.36\0'));
  t.equal(foreignAnswer(mysql)?.protocol, 'MySQL', 'a MySQL greeting');
});
