/**
 * The plaintext check of a TLS port: a TLS-only server (node:tls, OpenSSL) refuses plaintext; a
 * port that takes both (an Istio PERMISSIVE-like port) answers the HTTP/1.1 GET, or the HTTP/2
 * preface when the port declares gRPC; nginx's "plain HTTP request was sent to HTTPS port" page is
 * the TLS server refusing, not an application serving. One connection each.
 */
import t from 'tap';
import { scanEndpoint } from '../../src/probe/scan.js';
import { plaintextAnswer } from '../../src/wire/foreign.js';
import { startPermissive } from '../helpers/permissive.js';
import { startNodeServer, startOpenSSLServer, unavailableReason } from '../helpers/servers.js';

const FAST = { timeoutMs: 3000, skipTlsCertificate: true, protocols: ['TLSv1.2', 'TLSv1.3'] } as const;

t.test('a TLS-only node:tls server refuses plaintext', async (t) => {
  const server = await startNodeServer({ cert: 'rsa2048' });
  t.teardown(() => server.close());
  const r = await scanEndpoint({ target: `127.0.0.1:${server.port}`, host: '127.0.0.1', port: server.port }, FAST);
  t.match(r.plaintext, { accepted: false, sent: 'HTTP/1.1' }, JSON.stringify(r.plaintext));
});

t.test('a TLS-only OpenSSL server refuses plaintext', { skip: (await unavailableReason('openssl')) ?? false }, async (t) => {
  const server = await startOpenSSLServer({ cert: 'rsa2048', protocols: ['TLSv1.2', 'TLSv1.3'] });
  t.teardown(() => server.close());
  const r = await scanEndpoint({ target: `127.0.0.1:${server.port}`, host: '127.0.0.1', port: server.port }, FAST);
  t.equal(r.plaintext?.accepted, false, JSON.stringify(r.plaintext));
});

t.test('a PERMISSIVE-like port answers the HTTP/1.1 GET: plaintext accepted, with the status line', async (t) => {
  const server = await startPermissive('http');
  t.teardown(() => server.close());
  const r = await scanEndpoint({ target: `127.0.0.1:${server.port}`, host: '127.0.0.1', port: server.port }, FAST);
  t.equal(r.error, null);
  t.ok(r.protocols.find((p) => p.protocol === 'TLSv1.3')?.offered, 'its TLS side is scanned as usual');
  t.same(r.plaintext, { accepted: true, sent: 'HTTP/1.1', protocol: 'HTTP/1.1', evidence: 'HTTP/1.1 200 OK' });
  t.equal(server.counts.plaintext, 1, 'one plaintext connection');
});

t.test("a PERMISSIVE-like port hands the SSLv2 CLIENT-HELLO to its plaintext side: HTTP's answer proves SSL 2.0 is not offered", async (t) => {
  // Envoy's TLS inspector only recognises TLS records: an SSLv2 hello goes to the plaintext
  // filter chain, whose application answers 400 in HTTP. Left unsettled, a compliant port would be ERROR.
  const server = await startPermissive('http');
  t.teardown(() => server.close());
  const r = await scanEndpoint({ target: `127.0.0.1:${server.port}`, host: '127.0.0.1', port: server.port }, { ...FAST, protocols: ['SSLv2', 'TLSv1.2'] });
  t.match(r.protocols.find((p) => p.protocol === 'SSLv2'), { offered: false, reasonCode: 'PLAINTEXT_ANSWER_TO_SSLV2', reason: /^answered the SSLv2 CLIENT-HELLO in HTTP, in plaintext \("HTTP\/1\.1 400 Bad Request/ });
  t.equal(r.protocols.find((p) => p.protocol === 'TLSv1.2')?.offered, true);
});

t.test('a gRPC port is asked with the HTTP/2 preface; an h2c application answers it', async (t) => {
  const server = await startPermissive('h2c');
  t.teardown(() => server.close());
  const r = await scanEndpoint({ target: `127.0.0.1:${server.port}`, host: '127.0.0.1', port: server.port, appProtocol: 'grpc' }, FAST);
  t.match(r.plaintext, { accepted: true, sent: 'HTTP/2', protocol: 'HTTP/2 without TLS (h2c)' });
  const asHttp1 = await scanEndpoint({ target: `127.0.0.1:${server.port}`, host: '127.0.0.1', port: server.port }, FAST);
  t.equal(asHttp1.plaintext?.sent, 'HTTP/1.1', 'without the hint, an HTTP/1.1 GET');
});

t.test("nginx's HTTPS-only page is a refusal, named as one", async (t) => {
  const server = await startPermissive('https-only-page');
  t.teardown(() => server.close());
  const r = await scanEndpoint({ target: `127.0.0.1:${server.port}`, host: '127.0.0.1', port: server.port }, FAST);
  t.match(r.plaintext, { accepted: false, protocol: 'HTTP/1.1', evidence: /^HTTP\/1\.1 400 Bad Request \(the TLS server's own refusal of plaintext\)$/ });
});

t.test('--starttls ports get no plaintext check: their plaintext start is the point', async (t) => {
  const server = await startNodeServer({ cert: 'rsa2048' });
  t.teardown(() => server.close());
  const r = await scanEndpoint({ target: `127.0.0.1:${server.port}`, host: '127.0.0.1', port: server.port }, { ...FAST, skipPlaintextCheck: true });
  t.equal(r.plaintext, null);
});

t.test('the answer reader: undecided on a few bytes, decided at the end, a TLS alert is a refusal', async (t) => {
  const bytes = (s: string): Uint8Array => new TextEncoder().encode(s);
  t.equal(plaintextAnswer(bytes('HTT'), false), null, 'three bytes name nothing yet');
  t.match(plaintextAnswer(bytes('HTTP/1.0 404 Not Found\r\n\r\n'), true), { accepted: true, evidence: 'HTTP/1.0 404 Not Found' });
  t.match(plaintextAnswer(Uint8Array.of(0x15, 0x03, 0x03, 0x00, 0x02, 0x02, 0x46), false), { accepted: false, protocol: 'TLS' });
  t.match(plaintextAnswer(bytes('HTTP/1.0 400 Bad Request\r\n\r\nClient sent an HTTP request to an HTTPS server.\n'), true), { accepted: false }, "Go's net/http refusal");
  t.match(plaintextAnswer(bytes('220 mail.example ESMTP ready\r\n'), true), { accepted: true, protocol: 'SMTP' }, 'a banner protocol answering is plaintext too');
});
