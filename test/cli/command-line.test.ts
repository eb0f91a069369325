/**
 * The command line a report records: arguments as typed, paths kept, and no secret left, whether
 * it came as an option value, URL userinfo, a query value, a token-shaped value or the expanded
 * value of a secret environment variable.
 */
import t from 'tap';
import { recordedCommand } from '../../src/cli/commandLine.js';

const NODE = ['/usr/bin/node', '/opt/fipscan/dist/fipscan.mjs'];

/** recordedCommand over `args` typed after `fipscan`, with an environment of `env`. */
function recorded(args: string[], env: Record<string, string> = {}): string[] {
  return recordedCommand([...NODE, ...args], env);
}

t.test('an ordinary command line is recorded as typed, from fipscan on', async (t) => {
  const args = ['scan', '--policy', 'fips-140-3', '--format', 'html', '-o', 'report.html', 'api.example:443', '[2001:db8::1]:8443', 'reviews:9080@10.0.0.7'];
  t.same(recorded(args), ['fipscan', ...args]);
});

t.test('the paths of --key, --cert, --ca and --spiffe are kept: they name files, they are not secrets', async (t) => {
  const args = ['scan', '--cert', '/etc/tls/client.pem', '--key', '/etc/tls/client-key.pem', '--ca=/etc/tls/ca.pem', '--spiffe', '/etc/istio-output-certs', 'a.example'];
  t.same(recorded(args), ['fipscan', ...args]);
});

t.test('the value of a secret-named option is removed, in both spellings', async (t) => {
  t.same(recorded(['scan', '--password', 'hunter2', 'a.example']), ['fipscan', 'scan', '--password', '<redacted>', 'a.example']);
  t.same(recorded(['scan', '--token=abc.def', '--api-key', 'k1', '--client-secret=s', 'a.example']), ['fipscan', 'scan', '--token=<redacted>', '--api-key', '<redacted>', '--client-secret=<redacted>', 'a.example']);
  t.same(recorded(['scan', '--', '--password']), ['fipscan', 'scan', '--', '--password'], 'after -- it is a target, not an option');
});

t.test('URL userinfo and secret query values are removed, the rest of the URL kept', async (t) => {
  t.same(recorded(['scan', 'https://bob:pw@shop.example:8443/health']), ['fipscan', 'scan', 'https://<redacted>@shop.example:8443/health']);
  t.same(recorded(['scan', '--proxy', 'http://alice:hunter2@proxy.corp:3128']), ['fipscan', 'scan', '--proxy', 'http://<redacted>@proxy.corp:3128']);
  t.same(recorded(['scan', '--proxy=http://tok@proxy.corp:3128']), ['fipscan', 'scan', '--proxy=http://<redacted>@proxy.corp:3128']);
  t.same(recorded(['scan', 'https://a.example/?token=s3cr3t&page=2']), ['fipscan', 'scan', 'https://a.example/?token=<redacted>&page=2']);
  t.same(recorded(['scan', 'token.example:443', 'secret-store.vault.svc:8200']), ['fipscan', 'scan', 'token.example:443', 'secret-store.vault.svc:8200'], 'a host named token is not a secret');
});

t.test('token-shaped values are removed wherever they are', async (t) => {
  const jwt = 'eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJzeXN0ZW06c2EifQ.c2lnbmF0dXJlLWJ5dGVz';
  const line = recorded(['scan', `--header=Authorization: Bearer ${jwt}`, jwt, 'ghp_0123456789abcdefABCDEF012345', 'AKIAIOSFODNN7EXAMPLE']);
  t.same(line, ['fipscan', 'scan', '--header=Authorization: Bearer <redacted>', '<redacted>', '<redacted>', '<redacted>']);
});

t.test('the value of a secret environment variable is removed where the shell expanded it', async (t) => {
  const env = { API_TOKEN: 'Zq9-very-secret', DB_PASSWORD: 'hunter22', SIGNING_KEY: 'k3y-material', PWD: '/work/scans', HOME: '/root', SHORT_TOKEN: 'ab' };
  const line = recorded(['scan', '--sni', 'x-Zq9-very-secret.example', 'https://db.example/?p=hunter22', '-o', '/work/scans/report.html', 'k3y-material.example:443', 'ab.example'], env);
  t.same(line, ['fipscan', 'scan', '--sni', 'x-<redacted>.example', 'https://db.example/?p=<redacted>', '-o', '/work/scans/report.html', '<redacted>.example:443', 'ab.example']);
  t.notOk(line.join(' ').includes('hunter22'));
});

t.test('nothing else changes: no argument is dropped or added', async (t) => {
  const args = ['report', '--format', 'html', 'shard-0.json', 'shard-1.json'];
  t.same(recorded(args, { GITHUB_TOKEN: 'ghp_0123456789abcdefABCDEF012345' }), ['fipscan', ...args]);
});
