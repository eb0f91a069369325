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

/** Error classes and the constructor argument that is their code. */
const CODED_ERRORS: ReadonlyMap<string, number> = new Map([
  ['ProbeError', 0],
  ['InspectError', 0],
  ['PreambleError', 0],
  ['CliError', 1],
]);
/** Words in capitals that are not codes: a coloured 'ERROR' verdict, the SMTP command EHLO. */
const NOT_CODES = new Set(['ERROR', 'EHLO']);
/** Properties whose string value is a code (`note`: a workload endpoint's code, inspect/workload.ts). */
const CODE_PROPERTIES = new Set(['code', 'reasonCode', 'note']);

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
    if (ts.isNewExpression(n) && ts.isIdentifier(n.expression) && CODED_ERRORS.has(n.expression.text)) literal(n.arguments?.[CODED_ERRORS.get(n.expression.text)!]);
    // A default code: `code: string = 'EUSAGE'`.
    if (ts.isParameter(n) && CODE_PROPERTIES.has(n.name.getText(src))) literal(n.initializer);
    // Helpers that make a coded error or finding (`failure('ENOTSSH', ...)`, `f.unproven(..., 'EUNPROVEN_ITEM')`): an E-code as a call's argument.
    for (const arg of ts.isCallExpression(n) ? n.arguments : []) {
      if (ts.isStringLiteral(arg) && /^E[A-Z][A-Z0-9_]{2,}$/.test(arg.text) && !NOT_CODES.has(arg.text)) literal(arg);
    }
    // `this.code = kind === 'truncated' ? 'ETRUNCATED' : 'EMALFORMED'`.
    if (ts.isBinaryExpression(n) && n.operatorToken.kind === ts.SyntaxKind.EqualsToken && ts.isPropertyAccessExpression(n.left) && CODE_PROPERTIES.has(n.left.name.text)) literal(n.right);
    if ((ts.isPropertyAssignment(n) || ts.isPropertyDeclaration(n)) && CODE_PROPERTIES.has(n.name.getText(src))) literal(n.initializer);
    ts.forEachChild(n, visit);
  };
  visit(src);
  return found;
}

// The catalogue itself names every code: it is what the uses are checked against.
const uses = sourceFiles(join(root, 'src'))
  .filter((path) => !path.endsWith(join('model', 'errors.ts')))
  .flatMap((path) => codesIn(path.slice(root.length + 1), readFileSync(path, 'utf8')));

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

/** Codes the operating system or node:tls give, passed through; and the preamble kinds' templated codes. */
const PASSED_THROUGH = new Set(['ECONNREFUSED', 'EHOSTUNREACH', 'ENETUNREACH', 'EADDRNOTAVAIL', 'ENOTFOUND', 'EAI_AGAIN', 'ECONNRESET', 'ERR_SSL_*', 'ESTARTTLS', 'ETIMEDOUT_STARTTLS', 'EPROXY', 'ETIMEDOUT_PROXY']);

t.test('every entry is a code the source gives: no dead entries', async (t) => {
  const used = new Set(uses.map((u) => u.code));
  t.same(ERRORS.filter((e) => !used.has(e.code) && !PASSED_THROUGH.has(e.code)).map((e) => e.code), [], 'entries no source names');
});

t.test('the check finds codes where the source gives them', async (t) => {
  const sample =
    "throw new ProbeError('EONE', 'x'); const e = { code: a ? 'ETWO' : 'ETHREE', message: 'm' }; class X { readonly code = 'EFOUR'; }; r.reasonCode = 'no'; " +
    "const y = { reasonCode: 'EFIVE' }; throw failure('ESIX', 'm'); throw new CliError('m', 'ESEVEN'); function f(code = 'EEIGHT') {} " +
    "this.code = k ? 'ENINE' : 'ETEN'; f.unproven(p, i, m, 'EELEVEN');";
  t.same(codesIn('x.ts', sample).map((u) => u.code), ['EONE', 'ETWO', 'ETHREE', 'EFOUR', 'EFIVE', 'ESIX', 'ESEVEN', 'EEIGHT', 'ENINE', 'ETEN', 'EELEVEN']);
});

t.test('README.md lists every code with its message', async (t) => {
  const readme = readFileSync(join(root, 'README.md'), 'utf8');
  for (const e of ERRORS) t.ok(readme.includes(`| \`${e.code}\` | ${e.message} |`), `${e.code} is in the README's table`);
});
