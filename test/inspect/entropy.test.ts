import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import t, { type Test } from 'tap';
import { type Check, type Subject, subjectVerdict } from '../../src/model/inspect.js';
import { inspectHost } from '../../src/inspect/host.js';
import { fakeRoot, HOSTS, type FakeRoot } from './fakeRoot.js';

function statuses(s: Subject): Record<string, string> {
  return Object.fromEntries(s.checks.map((c) => [c.id, c.status]));
}
function byId(s: Subject, id: string): Check {
  return s.checks.find((c) => c.id === id)!;
}
const details = (c: Check) => c.evidence.map((e) => `${e.source}: ${e.detail}`).join('\n');
const host = (root: string, liveProc?: string) => inspectHost({ root, env: {}, nodeFips: null, ...(liveProc ? { liveProc } : {}) });

const JITTER_CNF = readFileSync(join(HOSTS, 'jitter/etc/ssl/openssl.cnf'), 'utf8');
const LIBCRYPTO = '/usr/lib/libcrypto.so.3';
const standIn = (what: string) => `not an ELF file: a stand-in for ${what}\0`;

/** A /proc of a "running kernel" for trees that have none, with fips_enabled = `value`. */
function liveProc(t: Test, value: '0' | '1'): string {
  const dir = mkdtempSync(join(tmpdir(), 'fipscan-proc-'));
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  mkdirSync(join(dir, 'sys/crypto'), { recursive: true });
  writeFileSync(join(dir, 'sys/crypto/fips_enabled'), `${value}\n`);
  writeFileSync(join(dir, 'cmdline'), value === '1' ? 'ro fips=1\n' : 'ro quiet\n');
  return dir;
}

function withConf(r: FakeRoot, edit: (cnf: string) => string): void {
  r.write('/etc/ssl/openssl.cnf', edit(JITTER_CNF));
}

t.test('a kernel-independent image: seed = JITTER and a jitter-enabled libcrypto pass on a non-FIPS kernel', async (t) => {
  const s = host(join(HOSTS, 'jitter'));
  t.same(statuses(s), { 'kernel.fips': 'info', 'entropy.source': 'ok', 'system.fips': 'n/a', 'openssl.fips-provider': 'ok', 'openssl.default-properties': 'ok', 'node.fips': 'n/a' });
  t.equal(subjectVerdict(s), 'pass');
  const kernel = byId(s, 'kernel.fips');
  t.match(kernel.message, /not in FIPS mode, and none is required for OpenSSL: it is seeded from the JITTER seed source/);
  t.match(details(kernel), /\/proc\/sys\/crypto\/fips_enabled: 0/);
  t.match(details(kernel), /caveat: Java, Kubernetes CNI plugins, LUKS2 full-disk encryption and StrongSwan still need a kernel in FIPS mode/);
  const entropy = byId(s, 'entropy.source');
  t.match(entropy.message, /seeded from the JITTER source/);
  t.match(details(entropy), /\/etc\/ssl\/openssl\.cnf:10: random = random_sect/);
  t.match(details(entropy), /\/etc\/ssl\/openssl\.cnf:23: seed = JITTER/);
  t.equal(entropy.evidence.find((e) => e.source === '/usr/lib/libcrypto.so.3')?.detail, 'OpenSSL 3.5.7; jitter entropy built in (jent_read_entropy (%d))');
  t.match(details(entropy), /basis: FIPS 140-3 requires an SP 800-90B entropy source/);
  t.match(details(entropy), /note: the FIPS provider is 3\.0\.9: providers before 3\.2 take their seed through libcrypto's get_entropy call/, 'the old-provider caveat');
});

t.test('kernel FIPS mode alone passes: OpenSSL is seeded by a FIPS kernel', async (t) => {
  const s = host(join(HOSTS, 'fips'));
  t.equal(byId(s, 'kernel.fips').status, 'ok');
  t.equal(byId(s, 'entropy.source').status, 'ok');
  t.match(byId(s, 'entropy.source').message, /seeded by the kernel \(its default seed source, SEED-SRC: getrandom\), which runs in FIPS mode/);
  t.equal(subjectVerdict(s), 'pass');
});

t.test('neither a FIPS kernel nor a userspace source: kernel.fips and entropy.source fail', async (t) => {
  const s = host(join(HOSTS, 'nonfips'));
  t.equal(byId(s, 'kernel.fips').status, 'fail');
  t.match(byId(s, 'kernel.fips').message, /not in FIPS mode \(boot with fips=1\), and no approved userspace entropy source replaces it/);
  t.equal(byId(s, 'entropy.source').status, 'fail');
  t.match(byId(s, 'entropy.source').message, /seeded by the kernel .* which is not in FIPS mode: boot with fips=1, or seed from JITTER/);
  t.equal(subjectVerdict(s), 'fail');

  const r = fakeRoot(t, 'jitter');
  withConf(r, (cnf) => cnf.replace('seed = JITTER\n', ''));
  const noSeed = host(r.root);
  t.same([byId(noSeed, 'kernel.fips').status, byId(noSeed, 'entropy.source').status], ['fail', 'fail'], 'the image without its seed line');
});

t.test('seed = JITTER with a libcrypto built without jitter fails, naming the library', async (t) => {
  const r = fakeRoot(t, 'jitter');
  r.write(LIBCRYPTO, `${standIn('libcrypto.so.3')}OpenSSL 3.5.7 1 Jul 2026`);
  const s = host(r.root);
  const entropy = byId(s, 'entropy.source');
  t.equal(entropy.status, 'fail');
  t.match(entropy.message, /seed = JITTER is configured but cannot work: \/usr\/lib\/libcrypto\.so\.3 \(OpenSSL 3\.5\.7\) was built without jitter support \(enable-jitter\)/);
  t.match(details(entropy), /\/usr\/lib\/libcrypto\.so\.3: OpenSSL 3\.5\.7; no jitter entropy/);
  t.equal(byId(s, 'kernel.fips').status, 'fail', 'the kernel is required again');
  t.equal(subjectVerdict(s), 'fail');
});

t.test("this machine's libcrypto (no jitter) under seed = JITTER: fails, naming its version", async (t) => {
  const real = ['/usr/lib/x86_64-linux-gnu/libcrypto.so.3', '/usr/lib/aarch64-linux-gnu/libcrypto.so.3', '/usr/lib64/libcrypto.so.3', '/usr/lib/libcrypto.so.3'].find((p) => existsSync(p));
  if (!real) {
    t.pass('no libcrypto.so.3 on this machine');
    return;
  }
  const r = fakeRoot(t, 'jitter');
  r.write(LIBCRYPTO, readFileSync(real));
  const entropy = byId(host(r.root), 'entropy.source');
  t.equal(entropy.status, 'fail');
  t.match(entropy.message, /\/usr\/lib\/libcrypto\.so\.3 (is OpenSSL 3\.[0-3]\.\d+, older than 3\.4|\(OpenSSL 3\.\d+\.\d+\) was built without jitter support)/);
});

t.test('OpenSSL before 3.4 has no JITTER seed source, whatever it links', async (t) => {
  const r = fakeRoot(t, 'jitter');
  r.write(LIBCRYPTO, `${standIn('a patched libcrypto.so.3')}OpenSSL 3.1.4 24 Oct 2023\0jent_entropy_collector_alloc\0`);
  t.match(byId(host(r.root), 'entropy.source').message, /is OpenSSL 3\.1\.4, older than 3\.4 where the JITTER seed source was added/);
});

t.test('every libcrypto the loader can find must carry JITTER; one file behind two paths counts once', async (t) => {
  const r = fakeRoot(t, 'jitter');
  r.symlink('/lib', 'usr/lib');
  t.equal(byId(host(r.root), 'entropy.source').status, 'ok', '/lib -> usr/lib (merged /usr) is the same library');
  r.write('/usr/local/lib/libcrypto.so.3', `${standIn('a second libcrypto.so.3')}OpenSSL 3.5.7 1 Jul 2026`);
  const entropy = byId(host(r.root), 'entropy.source');
  t.equal(entropy.status, 'fail');
  t.match(entropy.message, /\/usr\/local\/lib\/libcrypto\.so\.3 \(OpenSSL 3\.5\.7\) was built without jitter support/);
  t.equal(entropy.evidence.filter((e) => /libcrypto\.so\.3$/.test(e.source)).length, 2);
});

t.test('default_properties = fips=yes stops the JITTER fetch unless seed_properties lifts it', async (t) => {
  const provider35 = (r: FakeRoot) => r.write('/usr/lib/ossl-modules/fips.so', `${standIn('fips.so')}OpenSSL FIPS Provider\0OpenSSL 3.5.7 1 Jul 2026\0`);
  for (const [line, status] of [
    ['', 'fail'], ['seed_properties = fips=yes', 'fail'], ['seed_properties = provider=base', 'fail'],
    ['seed_properties = -fips', 'ok'], ['seed_properties = ?fips=yes', 'ok'], ['seed_properties = fips=no', 'ok'], ['seed_properties = "provider=base, -fips"', 'ok'],
  ] as const) {
    const r = fakeRoot(t, 'jitter');
    provider35(r);
    withConf(r, (cnf) => cnf.replace('seed_properties = -fips', line));
    const entropy = byId(host(r.root), 'entropy.source');
    t.equal(entropy.status, status, line || 'no seed_properties');
    if (status === 'fail') t.match(entropy.message, /default_properties require fips=yes, and the seed is fetched with them/);
  }
  const old = fakeRoot(t, 'jitter');
  withConf(old, (cnf) => cnf.replace('seed_properties = -fips', ''));
  const entropy = byId(host(old.root), 'entropy.source');
  t.equal(entropy.status, 'ok', 'a 3.0.9 provider never takes the seed libcrypto fetches: the fetch does not decide');
  t.match(details(entropy), /note: the FIPS provider is 3\.0\.9/);
  const r = fakeRoot(t, 'jitter');
  withConf(r, (cnf) => cnf.replace('default_properties = fips=yes', 'default_properties = ?fips=yes').replace('seed_properties = -fips', ''));
  t.equal(byId(host(r.root), 'entropy.source').status, 'ok', 'no fips=yes requirement, nothing to lift');
});

t.test('a missing random section, an unknown name or seed source, a lower-case jitter', async (t) => {
  const cases: [string, (cnf: string) => string, string, RegExp][] = [
    ['section missing', (c) => c.replace('random = random_sect', 'random = nowhere'), 'fail', /the random section nowhere is not defined/],
    ['unknown name', (c) => c.replace('seed = JITTER', 'seed = JITTER\nentropy = JITTER'), 'ok', /seeded from the JITTER source/],
    ['unknown seed source', (c) => c.replace('seed = JITTER', 'seed = HW-RNG'), 'fail', /seed = HW-RNG is not a source fipscan can vouch for/],
    ['names compared without case', (c) => c.replace('seed = JITTER', 'Seed = jitter'), 'ok', /seeded from the JITTER source/],
    ['seed_strict is known', (c) => c.replace('seed = JITTER', 'seed = JITTER\nseed_strict = yes'), 'ok', /seeded from the JITTER source/],
  ];
  for (const [what, edit, status, message] of cases) {
    const r = fakeRoot(t, 'jitter');
    withConf(r, edit);
    const entropy = byId(host(r.root), 'entropy.source');
    t.equal(entropy.status, status, what);
    t.match(entropy.message, message, what);
    if (what === 'unknown name') t.match(details(entropy), /entropy = JITTER \(not a random setting: OpenSSL reports an error, fatal with config_diagnostics = 1\)/);
  }
});

t.test('a FIPS provider 3.2 or later: a note on the seed-order fallback, unless seed_strict is on', async (t) => {
  const r = fakeRoot(t, 'jitter');
  r.write('/usr/lib/ossl-modules/fips.so', `${standIn('fips.so')}OpenSSL FIPS Provider\0OpenSSL 3.5.7 1 Jul 2026\0`);
  const entropy = byId(host(r.root), 'entropy.source');
  t.equal(entropy.status, 'ok');
  t.match(details(entropy), /note: a FIPS provider that asks for entropy before libcrypto has created its seed source is seeded from the operating system \(openssl\/openssl#25941\)/);
  t.notMatch(details(entropy), /providers before 3\.2/);
  withConf(r, (cnf) => cnf.replace('seed = JITTER', 'seed = JITTER\nseed_strict = yes'));
  const strict = byId(host(r.root), 'entropy.source');
  t.notMatch(details(strict), /note:/);
  t.match(details(strict), /\/etc\/ssl\/openssl\.cnf:24: seed_strict = yes/);
});

t.test('a FIPS provider built with enable-fips-jitter seeds itself: no seed line, no FIPS kernel needed', async (t) => {
  const r = fakeRoot(t, 'jitter');
  withConf(r, (cnf) => cnf.replace('seed = JITTER\n', '').replace('seed_properties = -fips\n', ''));
  r.write('/usr/lib/libcrypto.so.3', `${standIn('libcrypto.so.3')}OpenSSL 3.5.7 1 Jul 2026`);
  r.write('/usr/lib/ossl-modules/fips.so', `${standIn('fips.so')}OpenSSL FIPS Provider\0OpenSSL 3.5.7 1 Jul 2026\0jent_read_entropy (%d)\0`);
  const s = host(r.root);
  t.equal(byId(s, 'entropy.source').status, 'ok');
  t.match(byId(s, 'entropy.source').message, /FIPS provider seeds itself from its built-in jitter entropy source \(enable-fips-jitter\)/);
  t.match(details(byId(s, 'entropy.source')), /\/usr\/lib\/ossl-modules\/fips\.so: jitter entropy built in/);
  t.equal(byId(s, 'kernel.fips').status, 'info');
  t.equal(subjectVerdict(s), 'pass');
});

t.test('an unpacked image has no /proc/sys: the running kernel is read, and the report says so', async (t) => {
  const r = fakeRoot(t, 'jitter');
  r.remove('/proc');
  r.write('/proc/.keep', '');
  const onFips = host(r.root, liveProc(t, '1'));
  t.equal(byId(onFips, 'kernel.fips').status, 'ok');
  t.match(details(byId(onFips, 'kernel.fips')), /\/sys\/crypto\/fips_enabled \(running kernel: the tree has no \/proc\/sys\): 1/);
  t.match(onFips.facts.find((f) => f.name === 'kernel')?.value, /running kernel/);
  t.equal(byId(host(r.root, liveProc(t, '0')), 'kernel.fips').status, 'info', 'JITTER-seeded: a non-FIPS kernel is only information');

  const plain = fakeRoot(t, 'nonfips');
  plain.remove('/proc');
  t.equal(byId(host(plain.root, liveProc(t, '0')), 'kernel.fips').status, 'fail', 'a kernel-dependent image fails on a non-FIPS kernel');
  t.equal(byId(host(plain.root, liveProc(t, '1')), 'kernel.fips').status, 'ok', 'and passes on a FIPS one');
});

t.test('no OpenSSL at all: entropy.source does not apply, the kernel is still required', async (t) => {
  const r = fakeRoot(t, 'empty');
  const s = host(r.root, liveProc(t, '0'));
  t.equal(byId(s, 'entropy.source').status, 'n/a');
  t.equal(byId(s, 'kernel.fips').status, 'fail');
});
