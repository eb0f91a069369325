/**
 * An ssh:// target is scanned as SSH through the same scanEndpoint as a TLS one: one connection,
 * the server's identification and every KEXINIT list in its order, no TLS versions; a TLS port
 * given as ssh:// is an ENOTSSH error that says so, and a user name in the URL is ignored.
 */
import t from 'tap';
import { scan, parseTarget } from '../../src/index.js';
import { startNodeServer } from '../helpers/servers.js';
import { SSHD_CONFIGS, sshdUnavailableReason, startSshd } from '../helpers/sshd.js';
import { checkCatalogued } from './hostileExpect.js';

// In CI a missing sshd fails these tests (startSshd throws the reason) instead of skipping them.
const skip = process.env.CI ? false : ((await sshdUnavailableReason()) ?? false);

t.test('ssh:// targets: port 22 by default, the user name ignored', async (t) => {
  t.match(parseTarget('ssh://bastion.example'), { host: 'bastion.example', port: 22, service: 'ssh' });
  t.match(parseTarget('ssh://root@10.0.0.1:2222'), { host: '10.0.0.1', port: 2222, service: 'ssh' });
  t.match(parseTarget('ssh://[::1]:22'), { host: '::1', port: 22, service: 'ssh' });
  t.notOk(parseTarget('example.com:22').service, 'host:port stays TLS');
  t.match(parseTarget('ldaps://dir.example'), { port: 636 }, 'an implicit-TLS scheme has its port');
  t.throws(() => parseTarget('ftp://files.example'), { code: 'EBADTARGET', message: /unknown scheme 'ftp'/ }, 'an unknown scheme is an error, not a TLS scan of port 443');
});

t.test('a plain host:port whose server speaks first with SSH- is scanned as SSH', { skip }, async (t) => {
  const server = await startSshd(SSHD_CONFIGS.debianDefaults);
  t.teardown(() => server.close());
  const r = await scan(`127.0.0.1:${server.port}`, { timeoutMs: 5000 });
  t.equal(r.error, null, 'scanned');
  t.equal(r.service, 'ssh');
  t.same(r.protocols, []);
  t.equal(r.probes, 3, 'the two first TLS probes named the banner, one SSH probe read the offer');
  t.ok(r.ssh?.cipher.serverToClient.includes('chacha20-poly1305@openssh.com'));
});

t.test('a real sshd: one probe reads every list in the server order', { skip }, async (t) => {
  const server = await startSshd(SSHD_CONFIGS.rhelFips);
  t.teardown(() => server.close());
  const r = await scan(`ssh://127.0.0.1:${server.port}`, { timeoutMs: 5000 });
  t.equal(r.error, null, 'scanned');
  t.equal(r.service, 'ssh');
  t.equal(r.probes, 1, 'one connection');
  t.same(r.protocols, [], 'no TLS versions');
  t.equal(r.sni, null);
  t.match(r.ssh?.identification, /^SSH-2\.0-OpenSSH_/);
  t.same(r.ssh?.cipher.serverToClient, ['aes256-gcm@openssh.com', 'aes256-ctr', 'aes128-gcm@openssh.com', 'aes128-ctr'], 'ciphers as sshd_config orders them');
  t.ok(r.ssh?.kex.includes('ecdh-sha2-nistp256'), 'key exchanges');
  t.ok(r.ssh?.hostKey.length, 'host keys');
  t.match(r.ssh?.kexinitHex, /^14[0-9a-f]+$/, 'the KEXINIT payload as evidence (message 20 first)');
  checkCatalogued(t, r);
});

t.test('a TLS port given as ssh:// is ENOTSSH, never a finding', async (t) => {
  const server = await startNodeServer({ cert: 'rsa2048' });
  t.teardown(() => server.close());
  const r = await scan(`ssh://127.0.0.1:${server.port}`, { timeoutMs: 2000 });
  t.equal(r.error?.code, 'ENOTSSH');
  t.match(r.error?.message, /without ssh:\/\//, 'says to scan it as TLS');
  t.equal(r.ssh, null);
  checkCatalogued(t, r);
});
