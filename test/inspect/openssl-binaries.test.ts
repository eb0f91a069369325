import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import t from 'tap';
import { inspectBinary } from '../../src/inspect/binary.js';
import { type Check, type Subject, subjectVerdict } from '../../src/model/inspect.js';
import { inspectProcess } from '../../src/inspect/process.js';
import { fakeRoot } from './fakeRoot.js';
import { startProgram } from './procHelpers.js';
import { testPrograms } from './programs.js';

const programs = await testPrograms();
const byId = (s: Subject, id: string): Check => s.checks.find((c) => c.id === id)!;
const details = (c: Check) => c.evidence.map((e) => `${e.source}: ${e.detail}`).join('\n');
/** The system libcrypto's version, as the C program itself prints it ("OpenSSL 3.0.13 30 Jan 2024"). */
const systemOpenssl = /^OpenSSL (\S+)/.exec(execFileSync(programs.cOpenssl, { encoding: 'utf8' }))![1]!;
const hasFipsModule = ['/usr/lib/x86_64-linux-gnu/ossl-modules/fips.so', '/usr/lib/aarch64-linux-gnu/ossl-modules/fips.so', '/usr/lib64/ossl-modules/fips.so'].some((p) => existsSync(p));

t.test('a C program linked against the system libssl: libssl and libcrypto found, version read', async (t) => {
  const s = inspectBinary(programs.cOpenssl);
  t.equal(s.error, null);
  t.match(s.facts.find((f) => f.name === 'needs')?.value, /libssl\.so\.3.*libcrypto\.so\.3/);
  const lib = byId(s, 'openssl.library');
  t.equal(lib.status, 'ok');
  t.match(details(lib), new RegExp(`DT_NEEDED: /\\S+/libcrypto\\.so\\.3: OpenSSL ${systemOpenssl.replace(/\./g, '\\.')}`));
  t.match(lib.message, /FIPS-capable through the OpenSSL FIPS provider/);
  t.same([byId(s, 'go.crypto').status, byId(s, 'go.fipsonly').status, byId(s, 'boringssl.fips').status], ['n/a', 'n/a', 'n/a']);
});

t.test('the C program running: maps show the libcrypto in use; without fips.so the provider is not loaded', { skip: hasFipsModule && 'this machine has a FIPS provider installed' }, async (t) => {
  const program = await startProgram(t, programs.cOpenssl, ['wait'], { ...process.env, OPENSSL_CONF: '/nonexistent/openssl.cnf' });
  t.match(program.firstLine, /^OpenSSL 3/);
  const s = inspectProcess(program.pid);
  t.equal(s.error, null);
  t.match(details(byId(s, 'openssl.library')), /\/proc\/\d+\/maps: \/\S+\/libcrypto\.so\.3: OpenSSL/);
  const loaded = byId(s, 'openssl.fips-provider-loaded');
  t.equal(loaded.status, 'fail');
  t.match(details(loaded), /libcrypto\.so\.3 \(no ossl-modules\/fips\.so mapped\)/);
  const provider = byId(s, 'openssl.fips-provider');
  t.equal(provider.status, 'n/a', 'the process OPENSSL_CONF (from /proc/<pid>/environ) names a missing file');
  t.match(details(provider), /searched: \/nonexistent\/openssl\.cnf/);
  t.equal(subjectVerdict(s), 'fail');
});

t.test('Node itself: the OpenSSL inside is found with its version, and recognised as Node', async (t) => {
  // How long this takes and what it costs in memory: npm run bench:inspect.
  const s = inspectBinary(process.execPath);
  t.equal(s.error, null);
  const lib = byId(s, 'openssl.library');
  t.equal(lib.status, 'ok');
  t.match(details(lib), process.versions.openssl!.replace(/\+.*$/, ''), 'the version Node reports');
  t.match(s.facts.find((f) => f.name === 'Node.js')?.value, /OpenSSL configuration section nodejs_conf/);
});

t.test('Node running: its OpenSSL configuration is read from nodejs_conf, which the default openssl.cnf lacks', async (t) => {
  const program = await startProgram(t, process.execPath, ['-e', 'console.log("ready"); process.stdin.resume()']);
  const s = inspectProcess(program.pid);
  t.equal(s.error, null);
  const provider = byId(s, 'openssl.fips-provider');
  if (provider.status !== 'n/a') t.match(provider.message, /^nodejs_conf is not set/);
  t.equal(byId(s, 'openssl.fips-provider-loaded').status, 'fail');
  const shared = await startProgram(t, process.execPath, ['--openssl-shared-config', '-e', 'console.log("ready"); process.stdin.resume()']);
  const sharedProvider = byId(inspectProcess(shared.pid), 'openssl.fips-provider');
  t.notMatch(sharedProvider.message, /nodejs_conf/, '--openssl-shared-config reads openssl_conf');
});

t.test('a process in a FIPS root with fips.so mapped: the provider is loaded and configured', async (t) => {
  const r = fakeRoot(t, 'fips');
  const libcrypto = '/usr/lib/x86_64-linux-gnu/libcrypto.so.3';
  const fipsSo = '/usr/lib/x86_64-linux-gnu/ossl-modules/fips.so';
  r.symlink('/proc/4242/exe', programs.cOpenssl);
  r.write(libcrypto, readFileSync(byId(inspectBinary(programs.cOpenssl), 'openssl.library').evidence[0]!.detail.split(':')[0]!));
  r.write('/proc/4242/maps', [
    `55d0c0a00000-55d0c0a01000 r--p 00000000 08:01 1311 /usr/local/bin/client`,
    `7f1c2a000000-7f1c2a0a0000 r--p 00000000 08:01 2222 ${libcrypto}`,
    `7f1c2b000000-7f1c2b050000 r-xp 00000000 08:01 3333 ${fipsSo}`,
    `7ffd1b5e0000-7ffd1b601000 rw-p 00000000 00:00 0 [stack]`,
  ].join('\n'));
  r.write('/proc/4242/environ', 'PATH=/usr/bin\0OPENSSL_CONF=/etc/ssl/openssl.cnf\0');
  r.write('/proc/4242/cmdline', '/usr/local/bin/client\0--serve\0');
  const s = inspectProcess(4242, { root: r.root });
  t.equal(s.error, null, JSON.stringify(s.error));
  t.equal(byId(s, 'openssl.fips-provider-loaded').status, 'ok');
  t.match(details(byId(s, 'openssl.fips-provider-loaded')), `maps: ${fipsSo}`);
  t.equal(byId(s, 'openssl.fips-provider').status, 'ok');
  t.equal(byId(s, 'openssl.default-properties').status, 'ok');
  t.equal(subjectVerdict(s), 'pass');
  t.equal(s.facts.find((f) => f.name === 'command')?.value, '/usr/local/bin/client --serve');
});

t.test('a process that does not exist, or without an executable', async (t) => {
  const r = fakeRoot(t, 'empty');
  r.write('/proc/77/cmdline', '');
  t.match(inspectProcess(99999, { root: r.root }).error, { code: 'ENOPROC', message: /no such process/ });
  t.match(inspectProcess(77, { root: r.root }).error, { code: 'ENOPROC', message: /no executable/ });
});
