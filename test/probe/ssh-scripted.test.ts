/**
 * The shapes no real sshd sends, from a scripted loopback responder that speaks on accept: an
 * SSH-1 server (ESSH_BANNER), a broken packet (EMALFORMED_SSH), silence or a hang-up after the
 * identification (ETIMEDOUT_HANDSHAKE, EEOF), a DISCONNECT instead of the KEXINIT
 * (ESSH_DISCONNECT), a TLS alert or a flood of text where the banner should be (ENOTSSH, at
 * once), and the legal ones: lines before the identification, a greeting dripped byte by byte.
 */
import t, { type Test } from 'tap';
import { concat } from '../../src/wire/bytes.js';
import { probeSsh, type SshProbeOutcome } from '../../src/probe/ssh.js';
import { drip, send, startHostile, type Behaviour } from '../helpers/hostile.js';
import { ascii, disconnectPacket, kexinitPacket, SMALL_LISTS } from '../wire/sshFixtures.js';

/**
 * Far beyond any answer's time even on a loaded machine: every responder here answers at once
 * but the silent one, which sets its own; a probe that waited for the timeout shows it in its
 * error's cause (endedBy).
 */
const TIMEOUT_MS = 30_000;

async function probeBehaviour(t: Test, behaviour: Behaviour, timeoutMs = TIMEOUT_MS): Promise<SshProbeOutcome> {
  const server = await startHostile(behaviour, { atAccept: true });
  t.teardown(() => server.close());
  const o = await probeSsh({ address: '127.0.0.1', port: server.port, timeoutMs, clientVersion: '0.1.0' });
  t.comment(o.kind === 'failed' ? `${o.error.code}: ${o.error.message} (${o.elapsedMs} ms)` : `KEXINIT from ${o.identification.line} (${o.elapsedMs} ms)`);
  return o;
}

function code(o: SshProbeOutcome): string {
  return o.kind === 'failed' ? o.error.code : 'kexinit';
}

/** What ended the connection under a failure: the exchange's own error (a timeout has ETIMEDOUT_HANDSHAKE). */
function endedBy(o: SshProbeOutcome): string | null {
  const cause = o.kind === 'failed' ? (o.error.cause as { code?: unknown } | undefined) : undefined;
  return typeof cause?.code === 'string' ? cause.code : null;
}

const BANNER = 'SSH-2.0-Scripted_1.0\r\n';

t.test('an SSH-1 server: ESSH_BANNER naming its version', async (t) => {
  const o = await probeBehaviour(t, send('SSH-1.5-OldServer_1.2.3\r\n'));
  t.equal(code(o), 'ESSH_BANNER');
  t.match(o.kind === 'failed' ? o.error.message : '', 'speaks SSH protocol 1.5, not 2.0 or 1.99');
});

t.test('SSH-1.99 is SSH-2: its KEXINIT is read', async (t) => {
  const o = await probeBehaviour(t, send(concat([ascii('SSH-1.99-Dual_1.0\r\n'), kexinitPacket()])));
  t.equal(code(o), 'kexinit');
});

t.test('an oversize packet after the identification: EMALFORMED_SSH naming the server', async (t) => {
  const o = await probeBehaviour(t, send(concat([ascii(BANNER), Uint8Array.from([0, 0, 0x88, 0xb9])])));
  t.equal(code(o), 'EMALFORMED_SSH');
  t.match(o.kind === 'failed' ? o.error.message : '', /SSH-2\.0-Scripted_1\.0.*packet_length 35001/);
});

t.test('silence after the identification: ETIMEDOUT_HANDSHAKE', async (t) => {
  const o = await probeBehaviour(t, send(BANNER), 400);
  t.equal(code(o), 'ETIMEDOUT_HANDSHAKE');
  t.match(o.kind === 'failed' ? o.error.message : '', 'no SSH_MSG_KEXINIT within 400 ms after its identification');
});

t.test('a hang-up after the identification: EEOF, said to come after it', async (t) => {
  const o = await probeBehaviour(t, send(BANNER, 'end'));
  t.equal(code(o), 'EEOF');
  t.match(o.kind === 'failed' ? o.error.message : '', 'closed the connection after its identification');
});

t.test('a DISCONNECT instead of the KEXINIT: ESSH_DISCONNECT with the reason', async (t) => {
  const o = await probeBehaviour(t, send(concat([ascii(BANNER), disconnectPacket(12, 'Too many connections')])));
  t.equal(code(o), 'ESSH_DISCONNECT');
  t.match(o.kind === 'failed' ? o.error.message : '', 'reason 12, "Too many connections"');
});

t.test('a TLS alert where the banner should be: ENOTSSH naming TLS, at once', async (t) => {
  const o = await probeBehaviour(t, send(Uint8Array.from([0x15, 0x03, 0x03, 0x00, 0x02, 0x02, 0x46])));
  t.equal(code(o), 'ENOTSSH');
  if (o.kind !== 'failed') return;
  t.equal(o.otherProtocol, 'TLS');
  t.match(o.error.message, 'a TLS alert (15 03 03 00 02 02 46)');
  t.equal(endedBy(o), 'ENOTSSH', 'decided from the alert bytes, not by the timeout');
});

t.test('a flood of text without a line end: ENOTSSH once 1024 bytes show it', async (t) => {
  const o = await probeBehaviour(t, send('x'.repeat(64 * 1024)));
  t.equal(code(o), 'ENOTSSH');
  t.equal(endedBy(o), 'ENOTSSH', 'decided from the bytes read, not by the timeout or the 64 KiB cap');
});

t.test('lines before the identification are read and kept', async (t) => {
  const o = await probeBehaviour(t, send(concat([ascii('Authorized use only.\r\nSecond line\r\n'), ascii(BANNER), kexinitPacket()])));
  if (o.kind !== 'kexinit') return t.fail('no KEXINIT');
  t.same(o.preamble, ['Authorized use only.', 'Second line']);
  t.same(o.kexinit.lists, SMALL_LISTS);
  t.equal(o.identification.softwareVersion, 'Scripted_1.0');
});

t.test('a greeting dripped one byte every millisecond is read whole', async (t) => {
  const o = await probeBehaviour(t, drip(concat([ascii(BANNER), kexinitPacket()]), 1), 5000);
  if (o.kind !== 'kexinit') return t.fail('no KEXINIT');
  t.same(o.kexinit.lists, SMALL_LISTS);
});
