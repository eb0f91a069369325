/**
 * The STARTTLS and CONNECT dialogues as pure logic, over a BufferedConversation fed by hand: a
 * server that drips its reply one byte at a time is read the same as one that sends it whole;
 * a line or a preamble over its byte bound is ETOOLARGE; the binary messages (LDAP BER, MySQL,
 * PostgreSQL) decode and reject what they must; CertificateRequest CA names read as DNs.
 */
import t from 'tap';
import { BufferedConversation } from '../../src/probe/conversation.js';
import { ProbeError } from '../../src/probe/errors.js';
import { httpConnect, parseProxy } from '../../src/probe/proxy.js';
import { imapStarttls, smtpStarttls, xmppStarttls } from '../../src/probe/starttls.js';
import { decodeDistinguishedName } from '../../src/wire/asn1.js';
import { DecodeError } from '../../src/wire/bytes.js';
import { decodeLdapExtendedResponse, decodeMysqlGreeting, encodeLdapStartTls, encodeMysqlSslRequest, ldapMessageLength, mysqlPacketLength } from '../../src/wire/starttls.js';

const text = (b: Uint8Array) => new TextDecoder().decode(b);

function conversation(maxBytes = 64 * 1024): { c: BufferedConversation; sent: string[]; feed(s: string, chunk?: number): void } {
  const sent: string[] = [];
  const c = new BufferedConversation((d) => sent.push(text(d)), '127.0.0.1:25', maxBytes);
  return {
    c,
    sent,
    feed(s, chunk = s.length) {
      const bytes = new TextEncoder().encode(s);
      for (let i = 0; i < bytes.length; i += chunk) c.push(bytes.subarray(i, i + chunk));
    },
  };
}

const tick = () => new Promise((resolve) => setImmediate(resolve));

t.test('SMTP: a reply dripped one byte at a time reads like a whole one', async (t) => {
  const { c, sent, feed } = conversation();
  const done = smtpStarttls(c);
  feed('220-mail.test hello\r\n220 ready\r\n', 1);
  await tick();
  t.same(sent, ['EHLO fipscan.invalid\r\n']);
  feed('250-mail.test\r\n250-STARTTLS\r\n250 SIZE 1000\r\n', 1);
  await tick();
  t.same(sent.at(-1), 'STARTTLS\r\n');
  feed('220 go ahead\n', 1);
  await done;
  t.same(c.leftover(), new Uint8Array(0));
});

t.test('IMAP: untagged lines before the tagged OK; a NO is a refusal naming it', async (t) => {
  const ok = conversation();
  const a = imapStarttls(ok.c);
  ok.feed('* OK ready\r\n* CAPABILITY IMAP4rev1 STARTTLS\r\na1 OK Begin TLS\r\n');
  await a;
  t.same(ok.sent, ['a1 STARTTLS\r\n']);
  const no = conversation();
  const b = imapStarttls(no.c);
  no.feed('* OK ready\r\na1 NO not now\r\n');
  await t.rejects(b, /STARTTLS refused: 'a1 NO not now'/);
});

t.test('XMPP: features split across chunks, the domain escaped in the stream header', async (t) => {
  const { c, sent, feed } = conversation();
  const done = xmppStarttls(c, "chat.example'x");
  feed("<?xml version='1.0'?><stream:stream id='1'><stream:features><starttls xmlns='urn:ietf:params:xml:ns:xmpp-tls'/>", 7);
  feed('</stream:features>', 3);
  await tick();
  t.match(sent[0], /to='chat\.example&apos;x'/);
  t.same(sent[1], "<starttls xmlns='urn:ietf:params:xml:ns:xmpp-tls'/>");
  feed("<proceed xmlns='urn:ietf:params:xml:ns:xmpp-tls'/>");
  await done;
});

t.test('bounds: a line over 8 KiB and a preamble over its byte limit are ETOOLARGE, a failure ends the pending read', async (t) => {
  const long = conversation();
  const a = long.c.readLine();
  long.feed('x'.repeat(9000));
  await t.rejects(a, { code: 'ETOOLARGE' });
  const flood = conversation(1024);
  const b = flood.c.readLine();
  flood.feed(`${'y'.repeat(1000)}`);
  flood.feed('z'.repeat(100));
  await t.rejects(b, { code: 'ETOOLARGE' });
  const closed = conversation();
  const c = closed.c.read(10);
  closed.c.fail(new ProbeError('ESTARTTLS', 'closed'));
  await t.rejects(c, { code: 'ESTARTTLS' });
  await t.rejects(closed.c.readLine(), { code: 'ESTARTTLS' }, 'later reads fail too');
});

t.test('HTTP CONNECT: 200 with headers opens the tunnel, bytes after the headers are left over', async (t) => {
  const { c, sent, feed } = conversation();
  const done = httpConnect(c, '::1', 443);
  feed('HTTP/1.1 200 Connection established\r\nVia: test\r\n\r\n\x16\x03');
  await done;
  t.match(sent[0], /^CONNECT \[::1\]:443 HTTP\/1\.1\r\nHost: \[::1\]:443\r\n/);
  t.same([...c.leftover()], [0x16, 0x03]);
  t.same(parseProxy('http://[::1]:3128'), { host: '::1', port: 3128 });
  t.same(parseProxy('proxy.internal:8080'), { host: 'proxy.internal', port: 8080 });
  t.throws(() => parseProxy('https://proxy:443'), /only http:\/\//);
  t.throws(() => parseProxy('http://user:pw@proxy:1'), /credentials/);
});

t.test('LDAP: the StartTLS request bytes, responses with short and long BER lengths, truncation', async (t) => {
  const request = encodeLdapStartTls(1);
  t.same(Buffer.from(request).toString('hex'), `301d02010177188016${Buffer.from('1.3.6.1.4.1.1466.20037').toString('hex')}`);
  const success = Uint8Array.from([0x30, 0x0c, 0x02, 0x01, 0x01, 0x78, 0x07, 0x0a, 0x01, 0x00, 0x04, 0x00, 0x04, 0x00]);
  t.same(decodeLdapExtendedResponse(success), { messageId: 1, resultCode: 0, diagnosticMessage: '' });
  const message = Buffer.from('unsupported extended operation');
  const op = Buffer.concat([Buffer.from([0x0a, 0x01, 0x02, 0x04, 0x00, 0x04, message.length]), message]);
  const long = Buffer.concat([Buffer.from([0x30, 0x81, 3 + 2 + op.length, 0x02, 0x01, 0x01, 0x78, op.length]), op]);
  t.equal(ldapMessageLength(long), long.length);
  t.same(decodeLdapExtendedResponse(long), { messageId: 1, resultCode: 2, diagnosticMessage: 'unsupported extended operation' });
  for (let i = 0; i < long.length; i++) t.equal(ldapMessageLength(long.subarray(0, i)), null, `truncated at ${i}: keep reading`);
  t.throws(() => ldapMessageLength(Uint8Array.from([0x02, 0x01, 0x00])), DecodeError);
  t.throws(() => decodeLdapExtendedResponse(Uint8Array.from([0x30, 0x05, 0x02, 0x01, 0x01, 0x65, 0x00])), /ExtendedResponse/);
});

t.test('MySQL: greeting capabilities, error packets, the SSL request packet', async (t) => {
  const payload = Buffer.concat([Buffer.from([10]), Buffer.from('5.7.44\0'), Buffer.alloc(4), Buffer.alloc(8), Buffer.from([0, 0xff, 0xff, 33, 2, 0, 0xff, 0x81])]);
  const packet = Buffer.concat([Buffer.from([payload.length, 0, 0, 0]), payload]);
  t.equal(mysqlPacketLength(packet.subarray(0, 10)), null);
  t.equal(mysqlPacketLength(packet), packet.length);
  t.match(decodeMysqlGreeting(packet), { kind: 'handshake', serverVersion: '5.7.44', sequenceId: 0, capabilities: 0x81ffffff });
  const error = Buffer.concat([Buffer.from([0xff, 0x6a, 0x04]), Buffer.from("Host '10.0.0.1' is blocked")]);
  t.same(decodeMysqlGreeting(Buffer.concat([Buffer.from([error.length, 0, 0, 0]), error])), { kind: 'error', errorCode: 1130, message: "Host '10.0.0.1' is blocked" });
  const ssl = encodeMysqlSslRequest(1);
  t.equal(ssl.length, 36);
  t.equal(ssl[3], 1, 'sequence id');
  t.ok((Buffer.from(ssl).readUInt32LE(4) & 0x0800) !== 0, 'CLIENT_SSL');
});

t.test('CertificateRequest CA names: DER Names as one line, multi-valued RDNs, string types, hostile bytes', async (t) => {
  const atv = (oid: number[], tag: number, value: Buffer) => Buffer.concat([Buffer.from([0x30, 2 + oid.length + 2 + value.length, 0x06, oid.length, ...oid, tag, value.length]), value]);
  const set = (...atvs: Buffer[]) => Buffer.concat([Buffer.from([0x31, Buffer.concat(atvs).length]), ...atvs]);
  const seq = (...sets: Buffer[]) => Buffer.concat([Buffer.from([0x30, Buffer.concat(sets).length]), ...sets]);
  const C = [0x55, 0x04, 0x06];
  const O = [0x55, 0x04, 0x0a];
  const CN = [0x55, 0x04, 0x03];
  const OU = [0x55, 0x04, 0x0b];
  const bmp = Buffer.from([0x00, 0x52, 0x00, 0xe9]); // "Ré"
  const name = seq(set(atv(C, 0x13, Buffer.from('DE'))), set(atv(O, 0x0c, Buffer.from('Bücher AG', 'utf8')), atv(OU, 0x1e, bmp)), set(atv(CN, 0x0c, Buffer.from('Root CA'))));
  t.equal(decodeDistinguishedName(name), 'C=DE, O=Bücher AG + OU=Ré, CN=Root CA');
  t.equal(decodeDistinguishedName(seq(set(atv([0x2a, 0x03], 0x04, Buffer.from([1, 2]))))), '1.2.3=#0102', 'unknown type and value kind');
  for (let i = 0; i < name.length; i++) t.throws(() => decodeDistinguishedName(name.subarray(0, i)), DecodeError, `cut at ${i}`);
});
