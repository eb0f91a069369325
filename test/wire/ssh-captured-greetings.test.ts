/**
 * Greetings captured from real sshd instances (Debian OpenSSH 9.2, four configurations) decode to
 * the identification line and the ten KEXINIT name-lists that `sshd -T` says each configuration
 * offers, whether the bytes arrive whole or one at a time.
 */
import t from 'tap';
import { decodeServerGreeting, SshGreetingReader, type SshGreeting } from '../../src/wire/sshGreeting.js';
import { KEXINIT_LISTS } from '../../src/wire/ssh.js';
import { capturedGreetings } from './sshFixtures.js';

const captured = capturedGreetings();

t.test('there are captures of the four issue 17 configurations', async (t) => {
  t.same(captured.map((c) => c.file).sort(), ['openssh-debian-defaults.hex', 'openssh-fips-chacha20.hex', 'openssh-legacy.hex', 'openssh-rhel-fips.hex']);
});

for (const c of captured) {
  t.test(`${c.file}: the identification and every KEXINIT list as sshd -T configured them`, async (t) => {
    const g = decodeServerGreeting(c.bytes);
    t.equal(g.kind, 'kexinit');
    t.equal(g.consumed, c.bytes.length, 'the capture ends with the KEXINIT packet');
    t.match(g.identification, { protoVersion: '2.0', softwareVersion: /^OpenSSH_9\.\d/, comments: /^Debian-/ });
    t.same(g.preamble, [], 'sshd sends no lines before its identification');
    if (g.kind !== 'kexinit') return;
    for (const name of KEXINIT_LISTS) t.same(g.kexinit.lists[name], c.expect[name], name);
    t.equal(g.kexinit.firstKexPacketFollows, false);
    t.equal(g.kexinit.reserved, 0);
    t.equal(g.kexinit.cookie.length, 16);
  });

  t.test(`${c.file}: fed one byte at a time, the same greeting, and only once it is complete`, async (t) => {
    const reader = new SshGreetingReader();
    let greeting: SshGreeting | null = null;
    let completedAt = -1;
    for (let i = 0; i < c.bytes.length; i++) {
      greeting = reader.feed(c.bytes.subarray(i, i + 1));
      if (greeting && completedAt < 0) completedAt = i + 1;
    }
    t.equal(completedAt, c.bytes.length, 'complete exactly at the last byte');
    t.same(greeting, decodeServerGreeting(c.bytes));
  });
}
