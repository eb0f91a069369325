import t from 'tap';
import { renderTable } from '../../src/report/index.js';
import { goldenRun, hostileEndpoint, hostileErrorEndpoint, legacyEndpoint, run } from './factories.js';
import { matchGolden } from './golden.js';

const SGR = /\x1b\[[0-9;]*m/g;

/** Terminal columns of a line: every character here (ASCII, box drawing, ✓ ✗ …) takes one. */
function columns(line: string): number {
  return Array.from(line.replace(SGR, '')).length;
}

function widest(text: string): { width: number; line: string } {
  return text.split('\n').reduce((max, line) => (columns(line) > max.width ? { width: columns(line), line } : max), { width: 0, line: '' });
}

const everything = () => run([...goldenRun().endpoints, legacyEndpoint(), hostileEndpoint(), hostileErrorEndpoint()]);

t.test('the report of the four golden endpoints matches its golden, without colour', async (t) => {
  matchGolden(t, 'report-table.txt', renderTable(goldenRun(), { color: false }));
});

t.test('the report of the four golden endpoints matches its golden, with colour', async (t) => {
  matchGolden(t, 'report-table-color.txt', renderTable(goldenRun(), { color: true }));
});

t.test('at 120 columns the cipher tables add the IANA names', async (t) => {
  const text = renderTable(goldenRun(), { color: false, width: 120 });
  matchGolden(t, 'report-table-120.txt', text);
  t.match(text, /0xcca8 +ECDHE-RSA-CHACHA20-POLY1305 .* TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256/);
  t.notMatch(text, /IANA suite names need more/);
});

t.test('at 80 columns the IANA names are left out, and the report says so', async (t) => {
  const text = renderTable(goldenRun(), { color: false });
  t.match(text, /\n    ✗  0xcca8  ECDHE-RSA-CHACHA20-POLY1305  ECDHE  CHACHA20-POLY1305   256\n/, 'the row ends after bits');
  t.notMatch(text, /IANA name/);
  t.match(text, /IANA suite names need more than 80 columns; the JSON report has them\./);
});

t.test('no line is wider than the terminal, with or without colour', async (t) => {
  for (const width of [80, 60, 100, 120]) {
    for (const color of [false, true]) {
      const { width: widestLine, line } = widest(renderTable(everything(), { color, width }));
      t.ok(widestLine <= width, `width ${width}, color ${color}: widest line ${widestLine}`, { line });
    }
  }
  const { width: defaultWidest } = widest(renderTable(everything(), { color: false }));
  t.ok(defaultWidest <= 80, 'the default width is 80');
});

t.test('without colour the output holds no escape sequence and no control character but newline', async (t) => {
  const text = renderTable(everything(), { color: false });
  t.notOk(text.includes('\x1b'), 'no ESC');
  t.notMatch(text, /[\x00-\x09\x0b-\x1f\x7f-\x9f]/, 'only printable characters and newlines');
});

t.test('with colour, only green, red and yellow are used, and removing them gives the plain report', async (t) => {
  const colored = renderTable(everything(), { color: true });
  const codes = new Set(colored.match(/\x1b\[[0-9;]*[A-Za-z]/g));
  t.same([...codes].sort(), ['\x1b[31m', '\x1b[32m', '\x1b[33m', '\x1b[39m']);
  t.equal(colored.replace(SGR, ''), renderTable(everything(), { color: false }));
});

t.test('every protocol gets a line, and marks follow the policy', async (t) => {
  const text = renderTable(goldenRun(), { color: false });
  t.match(text, /TLSv1\.0 +offered +✗ denied/);
  t.match(text, /TLSv1\.0 +inconclusive +\? denied +ENO_ANSWER: every ClientHello/, "an inconclusive version's note starts with its reason code");
  t.match(text, /SSLv3 +not offered +✓ denied/);
  t.match(text, /! +0x009c +AES128-GCM-SHA256 +RSA +AES-128-GCM +128/, 'warned suite');
  t.match(text, /\? +0xc014 +ECDHE-RSA-AES256-SHA/, 'undetermined suite');
  t.match(text, /TLSv1\.2 +✗ x25519 +✓ secp256r1/);
  t.match(text, /TLSv1\.2 cipher suites \(server order: no\)/);
  t.match(text, /TLSv1\.2 cipher suites \(server order: yes\)/);
});

t.test('verdicts: PASS, FAIL with bullets, ERROR (code: message)', async (t) => {
  const text = renderTable(goldenRun(), { color: false });
  t.match(text, /\n  PASS\n/);
  t.match(text, /\n  FAIL  13 violations, 2 warnings\n    ✗ The server offers TLSv1\.0: test-fips does not allow it\.\n/);
  t.match(text, /\n  ERROR \(ECONNREFUSED: connect to 10\.0\.0\.9:8443/);
  t.match(text, /\n  ERROR \(EINCONCLUSIVE: /);
  t.match(text, /\n    \? Could not tell whether the server offers TLSv1\.0/);
  t.match(text, /│ payments\.example:8443 +│ ERROR +│ +0 │ +1 │ +3 │/);
  t.match(text, /4 endpoints: 1 pass, 1 fail, 2 error\n$/);
});

t.test('SSLv2 cipher kinds are shown with their 24-bit codes', async (t) => {
  const text = renderTable(run([legacyEndpoint()]), { color: false });
  t.match(text, /✗ +0x0700c0 +DES-CBC3-MD5 +RSA +3DES-CBC +168/);
  t.match(text, /✗ +0x020080 +EXP-RC4-MD5 +RSA_EXPORT +RC4-40 +40/);
});
