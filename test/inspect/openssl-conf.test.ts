import { readFileSync } from 'node:fs';
import t from 'tap';
import { activates, evaluateFipsConfig, requiresFips } from '../../src/inspect/fipsConfig.js';
import { confGet, loadOpensslConf, normalizePath, type ConfLoader } from '../../src/inspect/opensslConf.js';

function loader(files: Record<string, string>, dirs: Record<string, string[]> = {}): ConfLoader {
  return { readFile: (p) => files[p] ?? null, listDir: (p) => dirs[p] ?? null };
}

t.test('values: quotes, escapes, comments, continuations, variables', async (t) => {
  const conf = loadOpensslConf('/c.cnf', loader({
    '/c.cnf': [
      'HOME = /root',
      'dir = $HOME/ssl # comment',
      '[s]',
      'quoted = "a # not a comment" \'b\'',
      'escaped = x\\#y\\ttab',
      'long = one \\',
      '  two',
      'braced = ${HOME}/x and $(HOME)/y',
      'env = $ENV::APP_DIR/conf',
      'other = ${s::quoted}',
      'missing = $nope',
      'noequals',
      '[ spaced ]',
      'k=v',
    ].join('\n'),
  }), { APP_DIR: '/opt/app' })!;
  const v = (section: string, name: string) => confGet(conf, section, name)?.value;
  t.equal(v('default', 'dir'), '/root/ssl');
  t.equal(v('s', 'quoted'), 'a # not a comment b');
  t.equal(v('s', 'escaped'), 'x#y\ttab');
  t.equal(v('s', 'long'), 'one   two');
  t.equal(v('s', 'braced'), '/root/x and /root/y');
  t.equal(v('s', 'env'), '/opt/app/conf');
  t.equal(v('s', 'other'), 'a # not a comment b');
  t.equal(v('spaced', 'k'), 'v');
  t.equal(confGet(conf, 's', 'long')?.at, '/c.cnf:6');
  t.same(conf.problems.map((p) => [p.at, p.message]), [
    ['/c.cnf:11', 'variable $nope has no value'],
    ['/c.cnf:12', 'missing equal sign: noequals'],
  ]);
});

t.test('.include: files, directories (*.cnf and *.conf, sorted), relative paths, includedir, depth', async (t) => {
  const conf = loadOpensslConf('/etc/ssl/openssl.cnf', loader(
    {
      '/etc/ssl/openssl.cnf': '.include fips.cnf\n.include = /etc/ssl/d\n.pragma includedir:/opt\n.include rel.cnf\n.include /missing.cnf\n',
      '/etc/ssl/fips.cnf': '[fips_sect]\nactivate = 1\n',
      '/etc/ssl/d/b.conf': 'b = 2\n',
      '/etc/ssl/d/a.cnf': 'a = 1\n',
      '/etc/ssl/d/ignored.txt': 'x = 1\n',
      '/opt/rel.cnf': 'r = 3\n',
    },
    { '/etc/ssl/d': ['b.conf', 'ignored.txt', 'a.cnf'] },
  ))!;
  t.same(conf.files, ['/etc/ssl/openssl.cnf', '/etc/ssl/fips.cnf', '/etc/ssl/d/a.cnf', '/etc/ssl/d/b.conf', '/opt/rel.cnf']);
  t.equal(confGet(conf, 'fips_sect', 'b')?.value, '2', 'the section of an included file carries on, as in conf_def.c');
  t.match(conf.problems, [{ at: '/etc/ssl/openssl.cnf:5', message: /cannot read \/missing\.cnf/ }]);
  const files: Record<string, string> = {};
  for (let i = 0; i < 40; i++) files[`/n${i}.cnf`] = `.include /n${i + 1}.cnf\n`;
  const deep = loadOpensslConf('/n0.cnf', loader(files))!;
  t.match(deep.problems, [{ message: /nested deeper than 16/ }]);
  t.equal(normalizePath('/a/./b/../c//d'), '/a/c/d');
});

t.test('the FIPS chain: provider by name or identity or module, activate values, property queries', async (t) => {
  const evaluate = (text: string, app?: string) => evaluateFipsConfig(loadOpensslConf('/c', loader({ '/c': text }))!, app);
  const base = 'openssl_conf = init\nnodejs_conf = node_init\n[init]\nproviders = p\nalg_section = a\n[node_init]\nproviders = p\n[a]\ndefault_properties = fips=yes\n[p]\n';
  t.equal(evaluate(`${base}fips = f\ndefault = d\n[f]\nactivate = yes\n[d]\nactivate = 1\n`).fips?.activated, true);
  t.same(evaluate(`${base}fips = f\ndefault = d\n[f]\nactivate = yes\n[d]\nactivate = 1\n`).otherActivated, ['default']);
  t.equal(evaluate(`${base}myfips = f\n[f]\nidentity = fips\nactivate = 1\n`).fips?.name, 'myfips');
  t.equal(evaluate(`${base}x = f\n[f]\nmodule = /usr/lib64/ossl-modules/fips.so\nactivate = on\n`).fips?.activated, true);
  t.equal(evaluate(`${base}fips = f\n[f]\nactivate = 0\n`).fips?.activated, false);
  t.equal(evaluate(`${base}fips = f\n`).fips?.sectionFound, false);
  t.equal(evaluate(base).fipsRequired, true);
  t.equal(evaluate(base, 'nodejs_conf').fipsRequired, false, 'nodejs_conf has its own init section, without alg_section');
  t.equal(evaluate('[x]\n', 'nodejs_conf').init, null);
  t.equal(evaluate('openssl_conf = i\n[i]\nalg_section = a\n[a]\nfips_mode = yes\n').fipsRequired, true, 'the deprecated fips_mode = yes');
  for (const [q, want] of [['fips=yes', true], ['fips', true], [' fips = yes ,provider=x', true], ['?fips=yes', false], ['-fips', false], ['fips=no', false], ['', false]] as const) {
    t.equal(requiresFips(q), want, `default_properties = ${q}`);
  }
  t.same(['1', 'yes', 'TRUE', 'on', '0', 'no', 'false', ''].map(activates), [true, true, true, true, false, false, false, false]);
});

t.test("this machine's /etc/ssl/openssl.cnf parses without problems", async (t) => {
  let text: string;
  try {
    text = readFileSync('/etc/ssl/openssl.cnf', 'utf8');
  } catch {
    t.pass('no /etc/ssl/openssl.cnf on this machine');
    return;
  }
  const conf = loadOpensslConf('/etc/ssl/openssl.cnf', loader({ '/etc/ssl/openssl.cnf': text }))!;
  t.same(conf.problems, []);
  t.ok(conf.sections.size > 1);
});
