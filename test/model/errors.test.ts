/**
 * The error catalogue (src/model/errors.ts) is the one place a code is named: every code the
 * source can put in a report, a reason or an exception is listed there with a one-line message
 * and a hint, and README.md lists every entry. A code added without its entry, or an entry left
 * undocumented, fails here.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import t from 'tap';
import ts from 'typescript';
import { ERRORS, errorInfo } from '../../src/model/errors.js';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(path);
    return entry.name.endsWith('.ts') ? [path] : [];
  });
}

/** Error classes whose first constructor argument is a code. */
const CODED_ERRORS = new Set(['ProbeError', 'InspectError', 'PreambleError', 'CliError']);
/** Words in capitals that are labels, not codes (a coloured 'ERROR' verdict). */
const NOT_CODES = new Set(['ERROR']);
/** Properties whose string value is a code. */
const CODE_PROPERTIES = new Set(['code', 'reasonCode']);

interface CodeUse {
  file: string;
  code: string;
}

/**
 * The codes a source text names: string literals given as the code of a coded error, or as a
 * `code` / `reasonCode` property or class field, or an E-code as the first argument of a call
 * (a helper that makes a coded error); template codes (`E${kind}`) are expanded by
 * the caller's list of preamble kinds.
 */
export function codesIn(file: string, text: string): CodeUse[] {
  const found: CodeUse[] = [];
  const src = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true);
  const literal = (n: ts.Node | undefined): void => {
    if (n && (ts.isStringLiteral(n) || ts.isNoSubstitutionTemplateLiteral(n)) && /^[A-Z][A-Z0-9_]+$/.test(n.text)) found.push({ file, code: n.text });
    if (n && ts.isConditionalExpression(n)) {
      literal(n.whenTrue);
      literal(n.whenFalse);
    }
  };
  const visit = (n: ts.Node): void => {
    if (ts.isNewExpression(n) && ts.isIdentifier(n.expression) && CODED_ERRORS.has(n.expression.text)) literal(n.arguments?.[0]);
    // Helpers that make a coded error (`failure('ENOTSSH', ...)`): an E-code as a call's first argument.
    const first = ts.isCallExpression(n) ? n.arguments[0] : undefined;
    if (first && ts.isStringLiteral(first) && /^E[A-Z][A-Z0-9_]{2,}$/.test(first.text) && !NOT_CODES.has(first.text)) literal(first);
    if ((ts.isPropertyAssignment(n) || ts.isPropertyDeclaration(n)) && CODE_PROPERTIES.has(n.name.getText(src))) literal(n.initializer);
    ts.forEachChild(n, visit);
  };
  visit(src);
  return found;
}

const uses = sourceFiles(join(root, 'src')).flatMap((path) => codesIn(path.slice(root.length + 1), readFileSync(path, 'utf8')));

t.test('every entry has a code, a one-line message and a one-line hint; codes are unique', async (t) => {
  const codes = ERRORS.map((e) => e.code);
  t.same(codes.filter((c, i) => codes.indexOf(c) !== i), [], 'no code twice');
  for (const e of ERRORS) {
    t.match(e.code, /^(E[A-Z0-9_]+|ERR_SSL_\*|[A-Z][A-Z0-9_]+)$/, `${e.code}: a stable code`);
    t.ok(e.message.length > 10 && !e.message.includes('\n'), `${e.code}: one-line message`);
    t.ok(e.hint.length > 5 && !e.hint.includes('\n'), `${e.code}: one-line hint`);
  }
});

t.test('every code the source names is in the catalogue', async (t) => {
  t.ok(uses.length > 60, `read ${uses.length} code uses`);
  const missing = uses.filter((u) => errorInfo(u.code) === null).map((u) => `${u.file}: ${u.code}`);
  t.same(missing, [], 'codes without a catalogue entry');
  // Preamble steps name their failures after their kind (transport.ts: E<kind>, ETIMEDOUT_<kind>).
  for (const kind of ['STARTTLS', 'PROXY']) {
    t.ok(errorInfo(`E${kind}`), `E${kind} is catalogued`);
    t.ok(errorInfo(`ETIMEDOUT_${kind}`), `ETIMEDOUT_${kind} is catalogued`);
  }
  t.ok(errorInfo('ERR_SSL_SSLV3_ALERT_HANDSHAKE_FAILURE'), "node:tls's ERR_SSL_ codes fall under their family");
  t.equal(errorInfo('ENOSUCHCODE'), null, 'an unknown code is not invented');
});

t.test('the check finds codes where the source gives them', async (t) => {
  const sample = "throw new ProbeError('EONE', 'x'); const e = { code: a ? 'ETWO' : 'ETHREE', message: 'm' }; class X { readonly code = 'EFOUR'; }; r.reasonCode = 'no'; const y = { reasonCode: 'EFIVE' }; throw failure('ESIX', 'm');";
  t.same(codesIn('x.ts', sample).map((u) => u.code), ['EONE', 'ETWO', 'ETHREE', 'EFOUR', 'EFIVE', 'ESIX']);
});

t.test('README.md lists every code with its message', async (t) => {
  const readme = readFileSync(join(root, 'README.md'), 'utf8');
  for (const e of ERRORS) t.ok(readme.includes(`| \`${e.code}\` | ${e.message} |`), `${e.code} is in the README's table`);
});
