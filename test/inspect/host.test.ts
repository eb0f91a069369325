import { readFileSync } from 'node:fs';
import t from 'tap';
import { type Check, type Subject, subjectVerdict } from '../../src/model/inspect.js';
import { inspectHost } from '../../src/inspect/host.js';
import { fakeRoot, HOSTS } from './fakeRoot.js';

const NODE_OFF = { enabled: false, version: '20.0.0', openssl: '3.0.13' };
const NODE_ON = { enabled: true, version: '20.0.0', openssl: '3.0.13+fips' };

function statuses(s: Subject): Record<string, string> {
  return Object.fromEntries(s.checks.map((c) => [c.id, c.status]));
}
function byId(s: Subject, id: string): Check {
  return s.checks.find((c) => c.id === id)!;
}
const details = (c: Check) => c.evidence.map((e) => `${e.source}: ${e.detail}`).join('\n');

t.test('a FIPS host passes every host check, with the file and line of each link', async (t) => {
  const s = inspectHost({ root: `${HOSTS}/fips`, env: {}, nodeFips: NODE_ON });
  t.same(statuses(s), { 'kernel.fips': 'ok', 'entropy.source': 'ok', 'system.fips': 'ok', 'openssl.fips-provider': 'ok', 'openssl.default-properties': 'ok', 'node.fips': 'ok' });
  t.equal(subjectVerdict(s), 'pass');
  t.match(details(byId(s, 'kernel.fips')), /\/proc\/sys\/crypto\/fips_enabled: 1\n\/proc\/cmdline: fips=1/);
  const provider = byId(s, 'openssl.fips-provider');
  t.match(provider.message, /openssl_conf -> openssl_init -> provider_sect -> fips_sect/);
  t.match(details(provider), /\/etc\/ssl\/openssl\.cnf:3: openssl_conf = openssl_init/);
  t.match(details(provider), /\/etc\/ssl\/openssl\.cnf:13: fips = fips_sect/);
  t.match(details(provider), /\/usr\/lib\/ssl\/fipsmodule\.cnf:3: activate = 1/, 'the activate line from the included fipsmodule.cnf');
  t.match(details(provider), /provider module: \/usr\/lib\/x86_64-linux-gnu\/ossl-modules\/fips\.so: OpenSSL 3\.0\.9/);
  t.match(details(byId(s, 'openssl.default-properties')), /\/etc\/ssl\/openssl\.cnf:20: default_properties = fips=yes/);
  t.match(s.facts.find((f) => f.name === 'OpenSSL configuration')?.value, '/etc/ssl/openssl.cnf, /usr/lib/ssl/fipsmodule.cnf, /etc/ssl/openssl.cnf.d/20-tls.cnf');
});

t.test('a non-FIPS host fails kernel, entropy and OpenSSL checks, and system.fips does not apply', async (t) => {
  const s = inspectHost({ root: `${HOSTS}/nonfips`, env: {}, nodeFips: NODE_OFF });
  t.same(statuses(s), { 'kernel.fips': 'fail', 'entropy.source': 'fail', 'system.fips': 'n/a', 'openssl.fips-provider': 'fail', 'openssl.default-properties': 'fail', 'node.fips': 'fail' });
  t.match(byId(s, 'kernel.fips').message, /not in FIPS mode/);
  t.match(byId(s, 'openssl.fips-provider').message, /no fips provider in section provider_sect/);
  t.match(byId(s, 'openssl.default-properties').message, /has no alg_section/);
  t.equal(subjectVerdict(s), 'fail');
});

t.test('node.fips is n/a under a fake root unless a Node state is given', async (t) => {
  t.equal(byId(inspectHost({ root: `${HOSTS}/fips`, env: {} }), 'node.fips').status, 'n/a');
});

t.test('a kernel without FIPS support, a RHEL crypto policy that is not FIPS', async (t) => {
  const r = fakeRoot(t, 'fips');
  r.remove('/proc/sys/crypto/fips_enabled');
  r.remove('/etc/system-fips');
  r.write('/etc/crypto-policies/config', '# set by update-crypto-policies\nDEFAULT\n');
  const s = inspectHost({ root: r.root, env: {}, nodeFips: null });
  t.equal(byId(s, 'kernel.fips').status, 'fail');
  t.match(byId(s, 'kernel.fips').message, /no FIPS mode/);
  t.equal(byId(s, 'system.fips').status, 'fail');
  t.match(byId(s, 'system.fips').message, /crypto policy is DEFAULT/);
});

t.test('each broken link of the provider chain fails with its own message', async (t) => {
  const cases: [string, (r: ReturnType<typeof fakeRoot>) => void, RegExp][] = [
    ['fipsmodule.cnf not included', (r) => r.remove('/usr/lib/ssl/fipsmodule.cnf'), /section fips_sect is not defined|cannot read/],
    ['activate = 0', (r) => r.write('/usr/lib/ssl/fipsmodule.cnf', '[fips_sect]\nactivate = 0\nmodule-mac = 00\n'), /not activated \(activate = 0\)/],
    ['no activate line', (r) => r.write('/usr/lib/ssl/fipsmodule.cnf', '[fips_sect]\nmodule-mac = 00\n'), /declared but not activated/],
    ['no module-mac', (r) => r.write('/usr/lib/ssl/fipsmodule.cnf', '[fips_sect]\nactivate = 1\n'), /no module-mac/],
    ['fips.so missing', (r) => r.remove('/usr/lib/x86_64-linux-gnu/ossl-modules/fips.so'), /module .*fips\.so does not exist/],
    ['openssl_conf unset', (r) => r.write('/etc/ssl/openssl.cnf', '[openssl_init]\nproviders = p\n'), /openssl_conf is not set/],
    ['a syntax error', (r) => r.write('/etc/ssl/openssl.cnf.d/30-broken.cnf', 'this line has no equal sign\n'), /errors that make OpenSSL refuse/],
  ];
  for (const [what, change, message] of cases) {
    const r = fakeRoot(t, 'fips');
    change(r);
    const c = byId(inspectHost({ root: r.root, env: {}, nodeFips: null }), 'openssl.fips-provider');
    t.equal(c.status, 'fail', `${what}: fails`);
    t.match(c.message, message, `${what}: ${c.message}`);
  }
});

t.test('default_properties must require fips=yes: a preference or nothing fails', async (t) => {
  for (const [value, status] of [['fips=yes', 'ok'], ['fips = yes, provider=fips', 'ok'], ['?fips=yes', 'fail'], ['-fips', 'fail'], ['provider=default', 'fail']] as const) {
    const r = fakeRoot(t, 'fips');
    r.write('/etc/ssl/openssl.cnf', readFileSync(`${HOSTS}/fips/etc/ssl/openssl.cnf`, 'utf8').replace('default_properties = fips=yes', `default_properties = ${value}`));
    t.equal(byId(inspectHost({ root: r.root, env: {}, nodeFips: null }), 'openssl.default-properties').status, status, value);
  }
});

t.test('OPENSSL_CONF points at another file; an include cycle is reported and not followed', async (t) => {
  const r = fakeRoot(t, 'nonfips');
  r.write('/opt/app/openssl.cnf', 'openssl_conf = init\n.include /opt/app/loop.cnf\n[init]\nproviders = p\n[p]\nfips = f\n[f]\nactivate = 1\nmodule-mac = 00\n');
  r.write('/opt/app/loop.cnf', '.include /opt/app/openssl.cnf\n');
  // A cycle that were followed would never return (inspectHost is synchronous): tap's timeout is the guard.
  const s = inspectHost({ root: r.root, env: { OPENSSL_CONF: '/opt/app/openssl.cnf' }, nodeFips: null });
  const c = byId(s, 'openssl.fips-provider');
  t.equal(c.status, 'fail');
  t.match(details(c), /include cycle: \/opt\/app\/openssl\.cnf -> \/opt\/app\/loop\.cnf -> \/opt\/app\/openssl\.cnf/);
  t.match(s.facts.find((f) => f.name === 'OPENSSL_CONF')?.value, '/opt/app/openssl.cnf');
});

t.test('no OpenSSL configuration at all: the OpenSSL checks do not apply', async (t) => {
  const r = fakeRoot(t, 'empty');
  const s = inspectHost({ root: r.root, env: {}, nodeFips: null });
  t.equal(byId(s, 'openssl.fips-provider').status, 'n/a');
  t.match(details(byId(s, 'openssl.fips-provider')), /\/etc\/ssl\/openssl\.cnf, \/usr\/lib\/ssl\/openssl\.cnf/);
});

t.test('a FIFO planted as openssl.cnf is not read (no hang)', async (t) => {
  const r = fakeRoot(t, 'nonfips');
  r.remove('/etc/ssl/openssl.cnf');
  const { execFileSync } = await import('node:child_process');
  execFileSync('mkfifo', [`${r.root}/etc/ssl/openssl.cnf`]);
  t.equal(byId(inspectHost({ root: r.root, env: {}, nodeFips: null }), 'openssl.fips-provider').status, 'n/a');
});
