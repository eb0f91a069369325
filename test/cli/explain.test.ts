/**
 * `fipscan explain` looks a code up in the catalogue the reports name codes from, and every error
 * line of the CLI ends with its code in brackets, so a user can go from either to the entry.
 */
import t from 'tap';
import { ERRORS } from '../../src/model/errors.js';
import { runCli } from '../helpers/cli.js';

t.test('explain CODE prints the meaning, what to do and where the code shows up', async (t) => {
  const run = await runCli(['explain', 'ehello_refused']);
  t.equal(run.code, 0, { stderr: run.stderr });
  t.match(run.stdout, /^EHELLO_REFUSED {2}The server refused every hello of every version/);
  t.match(run.stdout, /what to do: It may want another server name \(--sni NAME\)/);
  t.match(run.stdout, /where: Why an endpoint has no verdict/);
});

t.test("node:tls's ERR_SSL_ codes are explained by their family", async (t) => {
  const run = await runCli(['explain', 'ERR_SSL_SSLV3_ALERT_CERTIFICATE_REQUIRED']);
  t.equal(run.code, 0);
  t.match(run.stdout, /client certificate \(--cert\/--key\)/);
});

t.test('explain alone lists every code of the catalogue', async (t) => {
  const run = await runCli(['explain']);
  t.equal(run.code, 0);
  for (const e of ERRORS) t.ok(run.stdout.includes(`${e.code}  ${e.message}`), e.code);
});

t.test('an unknown code is a usage error that says where the list is', async (t) => {
  const run = await runCli(['explain', 'EPIPE']);
  t.equal(run.code, 64);
  t.match(run.stderr, /^fipscan: explain: unknown code 'EPIPE'.*'fipscan explain' lists them all \[EUSAGE\]\n$/);
});

t.test('error lines end with their catalogue code', async (t) => {
  const scheme = await runCli(['scan', 'ftp://files.example']);
  t.equal(scheme.code, 64, 'an unknown scheme is a usage error');
  t.match(scheme.stderr, /unknown scheme 'ftp'.*\[EBADTARGET\]\n$/);
  const option = await runCli(['scan', '--bogus']);
  t.match(option.stderr, /unknown option '--bogus'.*\[EUSAGE\]\n$/);
  const policy = await runCli(['scan', '127.0.0.1:1', '--policy', '/nonexistent/policy.json']);
  t.match(policy.stderr, /\[EUSAGE\]\n$/);
  const ssh = await runCli(['scan', 'ssh://127.0.0.1:1', '--starttls', 'smtp']);
  t.equal(ssh.code, 64);
  t.match(ssh.stderr, /--starttls smtp: upgrades a plaintext protocol to TLS; ssh:\/\/127\.0\.0\.1:1 is an SSH target \[EUSAGE\]/);
});
