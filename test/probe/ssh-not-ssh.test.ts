/**
 * A port that is not SSH is an ENOTSSH failure that says what the port is: a TLS server (Node's
 * and OpenSSL's hang up without a word on our identification line), a silent port (what a TLS
 * server is until the client speaks, here one that ignores our line too), an HTTP server (its
 * 400 answer, named at its first line). A closed port is ECONNREFUSED. Each is decided by what
 * the server does, never by the probe's timeout, which only the silent port reaches.
 */
import http from 'node:http';
import net from 'node:net';
import t, { type Test } from 'tap';
import { probeSsh, type SshProbeOutcome } from '../../src/probe/ssh.js';
import { startNodeServer, startOpenSSLServer, unavailableReason } from '../helpers/servers.js';

/**
 * Far beyond any answer's time even on a loaded machine: the servers here answer or hang up at
 * once, and a probe that waited for the timeout shows it in its error's cause.
 */
const TIMEOUT_MS = 30_000;

function probe(port: number, timeoutMs = TIMEOUT_MS): Promise<SshProbeOutcome> {
  return probeSsh({ address: '127.0.0.1', port, timeoutMs, clientVersion: '0.1.0-test' });
}

/** What ended the connection: EEOF or ECONNRESET when the server hung up, ETIMEDOUT_HANDSHAKE when the probe gave up. */
function endedBy(o: Extract<SshProbeOutcome, { kind: 'failed' }>): string | null {
  const cause = o.error.cause as { code?: unknown } | undefined;
  return typeof cause?.code === 'string' ? cause.code : null;
}

function failed(t: Test, o: SshProbeOutcome): Extract<SshProbeOutcome, { kind: 'failed' }> {
  if (o.kind !== 'failed') throw new Error(`expected a failure, got a KEXINIT from ${o.identification.line}`);
  t.comment(`${o.error.code}: ${o.error.message} (${o.elapsedMs} ms)`);
  return o;
}

async function listen(server: net.Server): Promise<number> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return (server.address() as net.AddressInfo).port;
}

t.test('a Node TLS server scanned as SSH: ENOTSSH at once, pointing at TLS', async (t) => {
  const server = await startNodeServer({ cert: 'ecdsa-p256' });
  t.teardown(() => server.close());
  const o = failed(t, await probe(server.port));
  t.equal(o.error.code, 'ENOTSSH');
  t.match(o.error.message, /^127\.0\.0\.1:\d+: not SSH: /);
  t.match(o.error.message, 'for a TLS port, scan HOST:PORT without ssh://');
  t.match(endedBy(o), /^(EEOF|ECONNRESET)$/, 'decided by the server hanging up, not by the timeout');
});

t.test('openssl s_server scanned as SSH: ENOTSSH at once, pointing at TLS', { skip: process.env.CI ? false : ((await unavailableReason('openssl')) ?? false) }, async (t) => {
  const server = await startOpenSSLServer({ cert: 'rsa2048', protocols: ['TLSv1.2', 'TLSv1.3'] });
  t.teardown(() => server.close());
  const o = failed(t, await probe(server.port));
  t.equal(o.error.code, 'ENOTSSH');
  t.match(o.error.message, 'for a TLS port, scan HOST:PORT without ssh://');
  t.match(endedBy(o), /^(EEOF|ECONNRESET)$/, 'decided by the server hanging up, not by the timeout');
});

t.test('a silent port: ENOTSSH after the timeout, saying an SSH server speaks first', async (t) => {
  const sockets = new Set<net.Socket>();
  const server = net.createServer((s) => {
    sockets.add(s);
    s.on('data', () => {});
    s.on('error', () => {});
  });
  const port = await listen(server);
  t.teardown(() => {
    for (const s of sockets) s.destroy();
    server.close();
  });
  const o = failed(t, await probe(port, 500));
  t.equal(o.error.code, 'ENOTSSH');
  t.match(o.error.message, 'stayed silent for 500 ms');
  t.match(o.error.message, 'an SSH server speaks first');
  t.equal(o.otherProtocol, null);
});

t.test('an HTTP server: ENOTSSH naming HTTP and quoting its answer', async (t) => {
  const server = http.createServer((_req, res) => res.end('hello'));
  const port = await listen(server);
  t.teardown(() => server.close());
  const o = failed(t, await probe(port));
  t.equal(o.error.code, 'ENOTSSH');
  t.equal(o.otherProtocol, 'HTTP');
  t.match(o.error.message, 'answers in HTTP ("HTTP/1.1 400 Bad Request');
});

t.test('a closed port: ECONNREFUSED', async (t) => {
  const server = net.createServer();
  const port = await listen(server);
  await new Promise<void>((resolve) => server.close(() => resolve()));
  const o = failed(t, await probe(port));
  t.equal(o.error.code, 'ECONNREFUSED');
});
