/**
 * Exit 1: at least one endpoint failed the policy. A permissive sidecar (TLS 1.0/1.1, CBC,
 * ChaCha20, X25519) fails fips-strict, and the table names every kind of violation it has.
 */
import t from 'tap';
import { runCli, sidecarServer, target } from '../helpers/cli.js';

t.test('a permissive sidecar fails fips-strict: FAIL with the violations named, exit 1', async (t) => {
  const server = await sidecarServer(t);
  const run = await runCli(['scan', target(server)]);
  t.equal(run.code, 1, 'exit 1', { stdout: run.stdout, stderr: run.stderr });
  t.match(run.stdout, /^ {2}FAIL {2}\d+ violations/m, 'the endpoint is FAIL with a count');
  const named = [
    'The server offers TLSv1.0: fips-strict does not allow it.',
    'The server offers TLSv1.1: fips-strict does not allow it.',
    'TLSv1.2 accepts TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA (0xc013)',
    'TLSv1.3 accepts TLS_CHACHA20_POLY1305_SHA256 (0x1303)',
    'TLSv1.3 accepts x25519 (0x001d): fips-strict does not allow this group.',
  ];
  for (const violation of named) t.ok(run.stdout.includes(violation), `the table names: ${violation}`);
  t.match(run.stdout, /1 endpoint: 0 pass, 1 fail, 0 error/);
});
