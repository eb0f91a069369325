/**
 * Exit 64 for a policy file that cannot be used: the one line on stderr names the file and,
 * where there is one, the JSON path of the offending value, so a typo in a compliance policy is
 * found at once instead of quietly weakening it. No scan happens.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import t from 'tap';
import { closedPort, runCli } from '../helpers/cli.js';

const dir = mkdtempSync(join(tmpdir(), 'fipscan-policy-'));
t.teardown(() => rmSync(dir, { recursive: true, force: true }));
const target = `127.0.0.1:${await closedPort()}`;

const cases: { name: string; file: string; text: string; message: (path: string) => string }[] = [
  {
    name: 'invalid JSON',
    file: 'broken.json',
    text: '{ "extends": "fips-strict", "id": "mine", ',
    message: (path) => `fipscan: ${path}: invalid JSON: `,
  },
  {
    name: 'an unknown top-level key',
    file: 'typo-top.json',
    text: JSON.stringify({ extends: 'fips-strict', id: 'mine', version: '1', grups: { allow: ['secp256r1'] } }),
    message: (path) => `fipscan: ${path}: grups: unknown key (expected one of `,
  },
  {
    name: 'an unknown nested key',
    file: 'typo-nested.json',
    text: JSON.stringify({ extends: 'fips-strict', id: 'mine', version: '1', require: { extendedMasterSecrets: 'required' } }),
    message: (path) => `fipscan: ${path}: require.extendedMasterSecrets: unknown key (expected one of `,
  },
  {
    name: 'an unknown suite name',
    file: 'suite.json',
    text: JSON.stringify({
      extends: 'fips-strict',
      id: 'mine',
      version: '1',
      tls12Suites: { allow: ['TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256', 'TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA512'] },
    }),
    message: (path) => `fipscan: ${path}: tls12Suites.allow[1]: unknown cipher suite "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA512"`,
  },
  {
    name: 'a TLS 1.3 suite in the TLS 1.2 list',
    file: 'misplaced.json',
    text: JSON.stringify({ extends: 'fips-strict', id: 'mine', version: '1', tls12Suites: { allow: ['TLS_AES_128_GCM_SHA256'] } }),
    message: (path) => `fipscan: ${path}: tls12Suites.allow[0]: expected a TLS 1.2 (or older) cipher suite`,
  },
];

// Started together: each is a separate process, and none of them gets as far as scanning.
const runs = cases.map((c) => {
  writeFileSync(join(dir, c.file), c.text);
  return runCli(['scan', '--policy', join(dir, c.file), target]);
});

for (const [i, c] of cases.entries()) {
  t.test(`a policy file with ${c.name}: one line naming the file and the path, exit 64`, async (t) => {
    const path = join(dir, c.file);
    const run = await runs[i]!;
    t.equal(run.code, 64, 'exit 64', { stdout: run.stdout, stderr: run.stderr });
    t.equal(run.stdout, '', 'nothing on stdout');
    const lines = run.stderr.split('\n').filter((l) => l.length > 0);
    t.equal(lines.length, 1, 'one line on stderr', { stderr: run.stderr });
    t.ok(lines[0]?.startsWith(c.message(path)), `starts with: ${c.message(path)}`, { found: lines[0] });
    t.notMatch(run.stderr, /^\s+at /m, 'no stack trace');
  });
}

t.test('a policy path that does not exist: exit 64, the message names it', async (t) => {
  const path = join(dir, 'missing.json');
  const run = await runCli(['scan', '--policy', path, target]);
  t.equal(run.code, 64, 'exit 64', { stderr: run.stderr });
  t.ok(run.stderr.includes(path), 'names the path', { stderr: run.stderr });
});
