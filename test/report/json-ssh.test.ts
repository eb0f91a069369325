/**
 * SSH endpoints in the fipscan/v1 JSON report: `service: "ssh"` and an `ssh` object with the
 * identification, every KEXINIT list in the server's order, each name with the policy's view of
 * it (allowed as a cipher suite's, warned, marker, or nothing for compression), per direction
 * with `symmetric`; the TLS fields empty; valid against the schema, and read back byte for byte.
 */
import { readFileSync } from 'node:fs';
import t from 'tap';
import { readJsonDocument, renderJson, renderJsonDocument, renderJsonLine, toJsonDocument, type JsonEndpoint } from '../../src/report/index.js';
import { POLICY, run } from './factories.js';
import { FIXTURES, matchGolden } from './golden.js';
import { validate, type Schema } from './jsonSchema.js';
import { SSH_POLICY, sshApplianceEndpoint, sshDebianEndpoint, sshFipsEndpoint, sshGoldenRun, sshNotSshEndpoint } from './sshFactories.js';

const SCHEMA = JSON.parse(readFileSync(new URL('schema/fipscan-v1.schema.json', FIXTURES), 'utf8')) as Schema & { $defs: Record<string, Schema> };

function endpointOf(e: ReturnType<typeof sshFipsEndpoint>, policy = SSH_POLICY): JsonEndpoint {
  return toJsonDocument(run([e], policy)).endpoints[0]!;
}

t.test('the JSON report of a run with TLS and SSH endpoints matches its golden and the schema', async (t) => {
  const text = renderJson(sshGoldenRun());
  matchGolden(t, 'report-ssh.json', text);
  t.same(validate(SCHEMA, JSON.parse(text)), []);
  for (const e of sshGoldenRun().endpoints) t.same(validate(SCHEMA.$defs.endpoint!, JSON.parse(renderJsonLine(e, SSH_POLICY)), { root: SCHEMA }), [], `${e.result.target} as a jsonl line`);
});

t.test('an SSH endpoint says so, keeps its TLS fields empty, and a TLS endpoint has no service field', async (t) => {
  const [tls, fips] = toJsonDocument(sshGoldenRun()).endpoints;
  t.notOk('service' in tls! || 'ssh' in tls!, 'TLS endpoints are written as before');
  t.equal(fips!.service, 'ssh');
  t.match(fips, { sni: null, protocols: [], groups: [], dhParameters: [], certificates: [], negotiated: null, verdict: 'pass' });
  t.match(fips!.ssh, { identification: 'SSH-2.0-OpenSSH_9.2p1 Debian-2+deb12u10', protoVersion: '2.0', software: 'OpenSSH_9.2p1', comments: 'Debian-2+deb12u10', preamble: [], firstKexPacketFollows: false });
  t.match(fips!.ssh!.kexinitHex, /^14(5a){16}000000/, 'the KEXINIT as sent: message 20, the cookie, the first list length');
  const keys = Object.keys(fips!);
  t.same(keys.slice(0, 3), ['target', 'service', 'host'], 'service follows target');
  t.equal(keys.indexOf('ssh'), keys.indexOf('negotiated') + 1, 'ssh follows negotiated');
});

t.test('every name keeps the server order and carries the policy view as a cipher suite does', async (t) => {
  const debian = endpointOf(sshDebianEndpoint()).ssh!;
  t.same(debian.kex.slice(0, 5), [
    { name: 'sntrup761x25519-sha512', allowed: false },
    { name: 'sntrup761x25519-sha512@openssh.com', allowed: false },
    { name: 'curve25519-sha256', allowed: false },
    { name: 'curve25519-sha256@libssh.org', allowed: false },
    { name: 'ecdh-sha2-nistp256', allowed: true },
  ]);
  t.same(debian.kex.at(-1), { name: 'kex-strict-s-v00@openssh.com', marker: true }, 'a marker carries no disposition');
  t.same(debian.hostKey.map((a) => [a.name, a.allowed]), [['rsa-sha2-512', true], ['rsa-sha2-256', true], ['ecdsa-sha2-nistp256', true], ['ssh-ed25519', false]]);
  t.same(debian.cipher.clientToServer[0], { name: 'chacha20-poly1305@openssh.com', allowed: false });
  t.same(debian.mac.clientToServer.find((a) => a.name === 'hmac-sha1'), { name: 'hmac-sha1', allowed: true, warned: true }, 'a warned name is allowed, and says it is warned');
  t.same(debian.compression, { symmetric: true, clientToServer: [{ name: 'none' }, { name: 'zlib@openssh.com' }], serverToClient: [{ name: 'none' }, { name: 'zlib@openssh.com' }] }, 'compression is not judged');
  t.equal(debian.cipher.symmetric, true);
});

t.test('directions that differ are each written, and symmetric says they differ', async (t) => {
  const appliance = endpointOf(sshApplianceEndpoint()).ssh!;
  t.same(appliance.cipher, {
    symmetric: false,
    clientToServer: [{ name: 'aes256-ctr', allowed: true }, { name: '3des-cbc', allowed: false }],
    serverToClient: [{ name: 'aes256-ctr', allowed: true }],
  });
  t.equal(appliance.mac.symmetric, false);
  t.equal(appliance.compression.symmetric, false);
  t.same(appliance.kex.at(-1), { name: 'ext-info-s', marker: true });
  t.same(appliance.preamble.length, 2);
});

t.test('server text in the identification and preamble is escaped for terminals', async (t) => {
  const text = renderJson(run([sshApplianceEndpoint()], SSH_POLICY));
  t.notMatch(text, /[\u007f-\u009f]/, 'no raw C1 control');
  t.match(text, /"identification": "SSH-2\.0-ApplianceSSH_4\.1 h2\\u001b\[31m\\u009b31m"/);
});

t.test('an SSH endpoint that could not be read has ssh null and its error', async (t) => {
  const e = endpointOf(sshNotSshEndpoint());
  t.match(e, { service: 'ssh', verdict: 'error', error: { code: 'ENOTSSH' }, ssh: null, protocols: [] });
});

t.test('under a policy without SSH rules: verdict error ENO_SSH_RULES, and no name carries a disposition', async (t) => {
  const e = endpointOf(sshFipsEndpoint(POLICY), POLICY);
  t.match(e, { verdict: 'error', error: { code: 'ENO_SSH_RULES' } });
  const all = [...e.ssh!.kex, ...e.ssh!.hostKey, ...e.ssh!.cipher.clientToServer, ...e.ssh!.mac.serverToClient];
  t.ok(all.length > 0 && all.every((a) => Object.keys(a).join() === 'name'), 'names only');
});

t.test('a report with SSH endpoints reads back as the same document, byte for byte', async (t) => {
  const text = renderJson(sshGoldenRun());
  const doc = readJsonDocument(text);
  t.same(doc, JSON.parse(text));
  t.equal(renderJsonDocument(doc), text);
});
