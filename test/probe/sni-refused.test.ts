/**
 * A server that refuses the server name we send (fatal unrecognized_name) has refused the name,
 * not the protocol versions: the scan must say so (EUNRECOGNIZED_NAME), never "not offered",
 * and with the right --sni the same server scans normally.
 */
import t from 'tap';
import { scan } from '../../src/index.js';
import { certPath, startOpenSSLServer, unavailableReason } from '../helpers/servers.js';

const skip = (await unavailableReason('openssl')) ?? false;

t.test('fatal unrecognized_name: an endpoint error naming --sni, no version "not offered"', { skip }, async (t) => {
  const server = await startOpenSSLServer({
    cert: 'rsa2048',
    protocols: ['TLSv1.2', 'TLSv1.3'],
    extraArgs: ['-servername', 'good.example', '-servername_fatal', '-cert2', certPath('ecdsa-p256'), '-key2', certPath('ecdsa-p256', 'key')],
  });
  t.teardown(() => server.close());
  const wrong = await scan(`127.0.0.1:${server.port}`, { sni: 'wrong.example', timeoutMs: 2000 });
  t.equal(wrong.error?.code, 'EUNRECOGNIZED_NAME', wrong.error?.message ?? 'no error');
  t.match(wrong.error?.message ?? '', /--sni/);
  // TLS 1.0/1.1 are refused with protocol_version before the name is looked at: those are real answers.
  for (const p of wrong.protocols.filter((x) => x.protocol === 'TLSv1.2' || x.protocol === 'TLSv1.3')) t.equal(p.offered, null, `${p.protocol} inconclusive, not "not offered"`);
  const right = await scan(`127.0.0.1:${server.port}`, { sni: 'good.example', timeoutMs: 2000 });
  t.equal(right.error, null);
  t.equal(right.protocols.find((p) => p.protocol === 'TLSv1.2')?.offered, true);
  t.equal(right.protocols.find((p) => p.protocol === 'TLSv1.3')?.offered, true);
});
