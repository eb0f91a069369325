import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import t from 'tap';
import type { JsonInspectDocument } from '../../src/report/inspect.js';
import { hasAnsi, runCli } from '../helpers/cli.js';
import { validate, type Schema } from '../report/jsonSchema.js';
import { fakeRoot, HOSTS } from './fakeRoot.js';
import { testPrograms } from './programs.js';

const programs = await testPrograms();
const json = (stdout: string) => JSON.parse(stdout) as JsonInspectDocument;
const SCHEMA = JSON.parse(readFileSync(join(HOSTS, '..', '..', 'schema', 'fipscan-inspect-v1.schema.json'), 'utf8')) as Schema;

t.test('inspect --host on a FIPS root: exit 0, every host check OK (node.fips n/a under --root)', async (t) => {
  const r = await runCli(['inspect', '--host', '--root', join(HOSTS, 'fips'), '--format', 'json']);
  t.equal(r.code, 0, r.stderr);
  const doc = json(r.stdout);
  t.equal(doc.schema, 'fipscan-inspect/v1');
  t.same(doc.subjects[0]!.checks.map((c) => [c.id, c.status]), [
    ['kernel.fips', 'ok'], ['entropy.source', 'ok'], ['system.fips', 'ok'], ['openssl.fips-provider', 'ok'], ['openssl.default-properties', 'ok'], ['node.fips', 'n/a'],
  ]);
});

t.test('--root of a JITTER-seeded image on a non-FIPS kernel: exit 0, kernel.fips is INFO with the caveat', async (t) => {
  const r = await runCli(['inspect', '--root', join(HOSTS, 'jitter')]);
  t.equal(r.code, 0, r.stdout);
  t.match(r.stdout, /INFO  kernel\.fips +the kernel is not in FIPS mode, and none is/);
  t.match(r.stdout, /OK    entropy\.source +OpenSSL is seeded from the JITTER source/);
  t.match(r.stdout, /Java, Kubernetes CNI plugins,\s+LUKS2 full-disk encryption and StrongSwan/);
  t.match(r.stdout, /1 subject: 1 pass, 0 fail, 0 error/);
  const doc = json((await runCli(['inspect', '--root', join(HOSTS, 'jitter'), '--format', 'json'])).stdout);
  t.same(validate(SCHEMA, doc), [], 'the info status validates');
});

t.test('--root of the same image with a libcrypto built without jitter: exit 1, entropy.source names it', async (t) => {
  const r = fakeRoot(t, 'jitter');
  r.write('/usr/lib/libcrypto.so.3', 'not an ELF file: a stand-in for libcrypto.so.3 without jitter\0OpenSSL 3.5.7 1 Jul 2026\0');
  const out = await runCli(['inspect', '--root', r.root, '--format', 'json']);
  t.equal(out.code, 1);
  const checks = json(out.stdout).subjects[0]!.checks;
  t.same(checks.filter((c) => c.status === 'fail').map((c) => c.id), ['kernel.fips', 'entropy.source']);
  t.match(checks.find((c) => c.id === 'entropy.source')?.message, /\/usr\/lib\/libcrypto\.so\.3 \(OpenSSL 3\.5\.7\) was built without jitter support/);
});

t.test('--root of an unpacked JITTER-seeded image (no /proc): the running kernel is read and named; exit 0 on any kernel', async (t) => {
  const r = fakeRoot(t, 'jitter');
  r.remove('/proc');
  const out = await runCli(['inspect', '--root', r.root]);
  t.equal(out.code, 0, out.stdout);
  t.match(out.stdout, /kernel: the running kernel's \(the tree has no \/proc\/sys\)/);
  t.match(out.stdout.replace(/\s+/g, ' '), /(OK|INFO) kernel\.fips .*\/proc\/sys\/crypto\/fips_enabled \(running kernel: the tree has no \/proc\/sys\)/);
});

t.test('--root /proc/self/root, like /proc/<pid>/root: its own mounted /proc is read for the kernel', async (t) => {
  const r = await runCli(['inspect', '--root', '/proc/self/root', '--format', 'json']);
  const host = json(r.stdout).subjects[0]!;
  t.equal(host.name, 'host /proc/self/root');
  t.match(host.checks.find((c) => c.id === 'kernel.fips')?.evidence[0], { source: '/proc/sys/crypto/fips_enabled' });
  t.notOk(host.facts.some((f) => f.name === 'kernel'), 'not the running-kernel fallback');
});

t.test('--root is in the help; a --root that is not a directory is a usage error (64)', async (t) => {
  const help = await runCli(['inspect', '--help']);
  t.equal(help.code, 0);
  t.match(help.stdout.replace(/\s+/g, ' '), /--root <dir> inspect the tree under <dir> instead of \/: an unpacked image or \/proc\/<pid>\/root/);
  t.match(help.stdout, /fipscan inspect --root \.\/rootfs/);
  const missing = await runCli(['inspect', '--root', '/nonexistent/rootfs']);
  t.equal(missing.code, 64);
  t.equal(missing.stderr, "fipscan: --root: '/nonexistent/rootfs' is not a directory [EUSAGE]\n");
  t.equal(missing.stdout, '');
  const file = await runCli(['inspect', '--root', join(HOSTS, 'jitter', 'etc', 'ssl', 'openssl.cnf')]);
  t.equal(file.code, 64);
});

t.test('inspect on a non-FIPS root (host is the default subject): exit 1, table on stdout, no colour off a terminal', async (t) => {
  const r = await runCli(['inspect', '--root', join(HOSTS, 'nonfips')]);
  t.equal(r.code, 1);
  t.match(r.stdout, /FAIL  kernel\.fips +the kernel is not in FIPS mode/);
  t.match(r.stdout, /1 subject: 0 pass, 1 fail, 0 error/);
  t.notOk(hasAnsi(r.stdout));
  t.equal(r.stderr, '');
});

t.test('inspect --binary, repeated: the Go BoringCrypto binary passes, the standard one fails, exit 1', async (t) => {
  const r = await runCli(['inspect', '--binary', programs.goBoring, '--binary', programs.goPlain, '--format', 'json']);
  t.equal(r.code, 1);
  t.same(json(r.stdout).subjects.map((s) => [s.path, s.verdict]), [[programs.goBoring, 'pass'], [programs.goPlain, 'fail']]);
  const ok = await runCli(['inspect', '--binary', programs.goBoring, '--binary', programs.cOpenssl]);
  t.equal(ok.code, 0, ok.stdout);
});

t.test('a hostile or missing binary is an error subject: exit 2, one line of evidence, no crash', async (t) => {
  const r = fakeRoot(t, 'empty');
  const hostile = join(r.root, 'hostile');
  const bytes = readFileSync(programs.cOpenssl);
  bytes.writeUInt16LE(0xffff, 60); // e_shnum
  writeFileSync(hostile, bytes);
  const out = await runCli(['inspect', '--binary', hostile, '--binary', join(r.root, 'missing'), '--format', 'json']);
  t.equal(out.code, 2, out.stderr);
  t.same(json(out.stdout).subjects.map((s) => s.error?.code), ['EBADELF', 'EREAD']);
  t.match(json(out.stdout).subjects[0]!.error?.message, /section header table \(65535 × 64 bytes\) .* runs past the end of the file/);
  t.equal(out.stderr, '');
});

t.test('usage errors exit 64 with one line; --output writes the report', async (t) => {
  const bad = await runCli(['inspect', '--pid', 'abc']);
  t.equal(bad.code, 64);
  t.equal(bad.stderr, "fipscan: --pid: expected a process id, got 'abc' [EUSAGE]\n");
  const badFormat = await runCli(['inspect', '--format', 'xml']);
  t.equal(badFormat.code, 64);
  const r = fakeRoot(t, 'empty');
  const file = join(r.root, 'inspect.json');
  const out = await runCli(['inspect', '--root', join(HOSTS, 'fips'), '--format', 'json', '-o', file]);
  t.equal(out.code, 0);
  t.equal(out.stdout, '');
  t.equal(json(readFileSync(file, 'utf8')).summary.pass, 1);
});

t.test('inspect --pid of a process that does not exist: exit 2', async (t) => {
  const r = fakeRoot(t, 'empty');
  const out = await runCli(['inspect', '--root', r.root, '--pid', '4194000']);
  t.equal(out.code, 2);
  t.match(out.stdout, /ERROR ENOPROC: pid 4194000: cannot read \/proc\/4194000\/exe: no such process/);
});
