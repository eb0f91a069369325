import t from 'tap';
import { renderJunit, toJsonDocument, type JsonDocument } from '../../src/report/index.js';
import { goldenRun, hostileEndpoint, hostileErrorEndpoint, legacyEndpoint, meshSidecarEndpoint, run, strictEndpoint, unreachableEndpoint } from './factories.js';
import { matchGolden } from './golden.js';
import { sshGoldenRun } from './sshFactories.js';
import { xmlProblems } from './xmlWellFormed.js';

const everything = () => toJsonDocument(run([...goldenRun().endpoints, legacyEndpoint(), hostileEndpoint(), hostileErrorEndpoint()]));

/** Attribute values and text of the elements named `tag`, entities decoded. */
function elements(xml: string, tag: string): { attrs: Record<string, string>; text: string }[] {
  const decode = (s: string) => s.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&apos;/g, "'").replace(/&amp;/g, '&');
  const out: { attrs: Record<string, string>; text: string }[] = [];
  const re = new RegExp(`<${tag}((?:\\s+[\\w.:-]+="[^"]*")*)\\s*(/>|>([\\s\\S]*?)</${tag}>)`, 'g');
  for (const m of xml.matchAll(re)) {
    const attrs: Record<string, string> = {};
    for (const a of m[1]!.matchAll(/([\w.:-]+)="([^"]*)"/g)) attrs[a[1]!] = decode(a[2]!);
    out.push({ attrs, text: decode(m[3] ?? '') });
  }
  return out;
}

t.test('the JUnit report of the four golden endpoints matches its golden', async (t) => {
  matchGolden(t, 'report-junit.xml', renderJunit(toJsonDocument(goldenRun())));
});

t.test('the JUnit report is well-formed XML for every endpoint shape, hostile ones included', async (t) => {
  for (const [name, doc] of [['golden', toJsonDocument(goldenRun())], ['every shape', everything()], ['no endpoints', toJsonDocument(run([]))]] as const) {
    t.same(xmlProblems(renderJunit(doc)), [], name);
  }
});

t.test('the XML checker itself rejects what is not well-formed', async (t) => {
  t.ok(xmlProblems('<a><b></a></b>').length > 0, 'crossed tags');
  t.ok(xmlProblems('<a x="1" x="2"/>').length > 0, 'duplicate attribute');
  t.ok(xmlProblems('<a>&nbsp;</a>').length > 0, 'undeclared entity');
  t.ok(xmlProblems('<a>\u001b[31m</a>').length > 0, 'a control character');
  t.ok(xmlProblems('<a x="<"/>').length > 0, 'raw < in an attribute');
  t.ok(xmlProblems('<a/><b/>').length > 0, 'two roots');
  t.ok(xmlProblems('<a>').length > 0, 'unclosed');
  t.same(xmlProblems('<?xml version="1.0"?>\n<a x="&amp;&#10;"><b/>text &gt; more</a>\n'), [], 'a well-formed document passes');
});

t.test('one testsuite, one testcase per endpoint: classname the policy id, name the target', async (t) => {
  const doc = everything();
  const xml = renderJunit(doc);
  t.equal(elements(xml, 'testsuite').length, 1);
  const suite = elements(xml, 'testsuite')[0]!.attrs;
  t.same([suite.tests, suite.failures, suite.errors], ['7', '3', '3']);
  const cases = elements(xml, 'testcase');
  t.same(
    cases.map((c) => [c.attrs.classname, c.attrs.name]),
    doc.endpoints.map((e) => ['test-fips', e.target]),
  );
  t.same(
    elements(xml, 'property').map((p) => [p.attrs.name, p.attrs.value]).slice(0, 2),
    [
      ['policy.id', 'test-fips'],
      ['policy.version', '1.0'],
    ],
  );
});

t.test('a failing endpoint has a failure: message the first violation, body every violation', async (t) => {
  const doc = toJsonDocument(run([meshSidecarEndpoint()]));
  const endpoint = doc.endpoints[0]!;
  const [failure] = elements(renderJunit(doc), 'failure');
  t.equal(failure!.attrs.message, endpoint.violations[0]!.message);
  t.equal(failure!.attrs.type, endpoint.violations[0]!.rule);
  t.same(failure!.text.split('\n'), endpoint.violations.map((v) => `${v.rule}: ${v.message}`));
  t.equal(elements(renderJunit(doc), 'error').length, 0);
});

t.test('an endpoint that could not be judged has an error with its code; a passing one is a plain testcase', async (t) => {
  const xml = renderJunit(toJsonDocument(run([strictEndpoint(), unreachableEndpoint()])));
  const [error] = elements(xml, 'error');
  t.equal(error!.attrs.type, 'ECONNREFUSED');
  t.match(error!.text, /^ECONNREFUSED: connect to 10\.0\.0\.9:8443/);
  t.match(xml, /<testcase classname="test-fips" name="api\.internal\.example:443" time="0\.812"\/>/);
  t.equal(elements(xml, 'failure').length, 0);
});

t.test('server-provided escapes and quotes reach the XML as visible text, never as control characters', async (t) => {
  const xml = renderJunit(toJsonDocument(run([hostileEndpoint(), hostileErrorEndpoint()])));
  t.notOk(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f\u202e]/.test(xml), 'no C0/C1 controls or bidi overrides');
  t.match(xml, /CN=evil\.example\\x1b\[2J/, 'ESC shown as \\x1b');
  t.match(xml, /got &quot;HTTP\/1\.1 400\\x0d\\x0a/, 'quotes escaped, CR LF shown');
});

t.test('characters XML cannot carry at all are replaced, and markup characters escaped', async (t) => {
  const doc: JsonDocument = toJsonDocument(run([unreachableEndpoint()]));
  doc.endpoints[0]!.target = 'a<b>&"c\'\uffff\u0000';
  doc.endpoints[0]!.error = { code: 'ECONNREFUSED', message: ']]> <![CDATA[ \ud800' };
  const xml = renderJunit(doc);
  t.same(xmlProblems(xml), []);
  t.equal(elements(xml, 'testcase')[0]!.attrs.name, 'a<b>&"c\'\\uffff\\x00');
});

t.test('SSH endpoints: a failure naming the first violation, warnings in system-out, an error with its code; well-formed', async (t) => {
  const xml = renderJunit(toJsonDocument(sshGoldenRun()));
  matchGolden(t, 'report-ssh-junit.xml', xml);
  t.same(xmlProblems(xml), []);
  const cases = elements(xml, 'testcase');
  t.same(cases.map((c) => c.attrs.name), ['api.internal.example:443', 'ssh://bastion.example', 'build-01.example:22', 'ssh://[2001:db8::7]:2222', 'ssh://web.example:443']);
  t.match(cases[1]!.text, /<system-out>warning ssh-mac: SSH offers mac hmac-sha1-etm@openssh\.com: /);
  t.notMatch(cases[1]!.text, /<failure|<error/, 'the RHEL FIPS bastion passes');
  const [failure] = elements(cases[2]!.text, 'failure');
  t.match(failure!.attrs, { type: 'ssh-kex', message: /^SSH offers kex sntrup761x25519-sha512: test-fips-ssh does not allow/ });
  t.match(failure!.text, /ssh-cipher: SSH offers cipher chacha20-poly1305@openssh\.com/);
  t.equal(failure!.text.split('\n').length, 10, 'every violation, one per line');
  const [error] = elements(cases[4]!.text, 'error');
  t.match(error!.attrs, { type: 'ENOTSSH', message: /answers in TLS, not SSH/ });
});
