import t from 'tap';
import { renderJson, renderJsonLine, renderTable, sanitize, type JsonDocument } from '../../src/report/index.js';
import { HOSTILE, POLICY, hostileEndpoint, hostileErrorEndpoint, run } from './factories.js';

/** Anything a terminal would act on: C0 but newline, DEL, C1, bidi controls, line separators. */
const TERMINAL_CONTROLS = /[\x00-\x09\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069\u2028\u2029]/u;

t.test('sanitize escapes C0 and C1 controls, DEL, bidi controls and lone surrogates', async (t) => {
  t.equal(sanitize('a\x1b[31mb'), 'a\\x1b[31mb');
  t.equal(sanitize('bell\x07 cr\r lf\n tab\t nul\x00'), 'bell\\x07 cr\\x0d lf\\x0a tab\\x09 nul\\x00');
  t.equal(sanitize('del\x7f csi\x9b nel\x85'), 'del\\x7f csi\\x9b nel\\x85');
  t.equal(sanitize('evil\u202egnp.exe \u2066x\u2069'), 'evil\\u202egnp.exe \\u2066x\\u2069');
  t.equal(sanitize('line\u2028sep'), 'line\\u2028sep');
  t.equal(sanitize('lone\ud800x'), 'lone\\ud800x');
});

t.test('sanitize keeps printable text as it is', async (t) => {
  for (const s of ['CN=example.com, O=Example', 'CN=münchen.example', 'CN=日本語', 'DNS:*.example.com', 'a\\x1b literal', '🔒', '']) {
    t.equal(sanitize(s), s);
  }
});

t.test('a hostile certificate subject, SAN and ALPN reach the table only escaped', async (t) => {
  for (const color of [false, true]) {
    const text = renderTable(run([hostileEndpoint()]), { color });
    const uncolored = text.replace(/\x1b\[3[123]m|\x1b\[39m/g, '');
    t.notMatch(uncolored, TERMINAL_CONTROLS, `color ${color}: no control character besides newline`);
    t.notOk(uncolored.includes('\x1b'), `color ${color}: no ESC besides the report's own colours`);
    t.match(text, /subject +evil\.example\\x1b\[2J\\x1b\[H/, 'the subject CN, escaped');
    t.match(text, /SANs +1 \(DNS:evil\.example\\x1b\[8m\)/);
    t.match(text, /ALPN +h2\\x1b\[31m\\x9b31m/);
    t.notMatch(text, /^\s*PASS/m, 'the fake PASS line in the subject does not start a line');
    t.match(uncolored, /\n  FAIL  1 violation\n/);
  }
});

t.test('a hostile error message reaches the ERROR line only escaped', async (t) => {
  const text = renderTable(run([hostileErrorEndpoint()]), { color: false });
  t.notMatch(text, TERMINAL_CONTROLS);
  t.match(text, /ERROR \(ENOTTLS: expected a TLS record from 198\.51\.100\.66:443, got "HTTP\/1\.1\n? *400\\x0d\\x0a\\x1b\[0mFAKE\\x1b\[1A"\)/);
});

t.test('JSON keeps hostile strings exact, escaped so that the raw text is terminal-safe', async (t) => {
  const r = run([hostileEndpoint(), hostileErrorEndpoint()]);
  for (const text of [renderJson(r), ...r.endpoints.map((e) => renderJsonLine(e, POLICY))]) {
    t.notMatch(text, TERMINAL_CONTROLS, 'no raw control, C1 or bidi character');
  }
  const document = JSON.parse(renderJson(r)) as JsonDocument;
  const [hostile, hostileError] = document.endpoints;
  const leaf = hostile!.certificates[0]!.chain[0]!;
  t.equal(leaf.subject, HOSTILE.subject, 'subject round-trips exactly');
  t.same(leaf.subjectAltNames, [HOSTILE.san]);
  t.equal(hostile!.features.alpn, HOSTILE.alpn);
  t.equal(hostileError!.error!.message, HOSTILE.errorMessage);
  t.match(renderJson(r), /\\u001b\[2J/);
  t.match(renderJson(r), /\\u009b31m/);
  t.match(renderJson(r), /\\u202egnp\.exe/);
});
