/**
 * Two house rules of src/ kept by reading the source: no function longer than 60 lines (a long
 * procedure reads best as a short list of named steps), and no dead export (a value exported but
 * imported by no other module of src/, test/ or bench/ is a module's own and stays unexported).
 * Tables are data, not functions, and are not measured.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import t from 'tap';
import ts from 'typescript';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
const MAX_FUNCTION_LINES = 60;

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(path);
    return entry.name.endsWith('.ts') ? [path] : [];
  });
}

function parse(path: string): ts.SourceFile {
  return ts.createSourceFile(path, readFileSync(path, 'utf8'), ts.ScriptTarget.Latest, true);
}

const name = (path: string): string => relative(root, path).split(sep).join('/');

/** Every function, method, constructor and arrow function longer than `max` lines, as `file:line name (n lines)`. */
export function longFunctions(src: ts.SourceFile, file: string, max: number): string[] {
  const found: string[] = [];
  const visit = (n: ts.Node, context: string): void => {
    if (ts.isFunctionDeclaration(n) || ts.isMethodDeclaration(n) || ts.isArrowFunction(n) || ts.isFunctionExpression(n) || ts.isConstructorDeclaration(n)) {
      const first = src.getLineAndCharacterOfPosition(n.getStart(src)).line;
      const lines = src.getLineAndCharacterOfPosition(n.getEnd()).line - first + 1;
      const label = 'name' in n && n.name ? n.name.getText(src) : context;
      if (lines > max) found.push(`${file}:${first + 1} ${label} (${lines} lines)`);
    }
    const next = ts.isVariableDeclaration(n) || ts.isPropertyAssignment(n) ? n.name.getText(src) : context;
    ts.forEachChild(n, (c) => visit(c, next));
  };
  visit(src, '<anonymous>');
  return found;
}

/** The values a module exports by declaration (functions, classes, constants): types are not counted. */
function exportedValues(src: ts.SourceFile): string[] {
  return src.statements.flatMap((st) => {
    const exported = ts.canHaveModifiers(st) && ts.getModifiers(st)?.some((m) => m.kind === ts.SyntaxKind.ExportKeyword);
    if (!exported || ts.isInterfaceDeclaration(st) || ts.isTypeAliasDeclaration(st)) return [];
    if (ts.isVariableStatement(st)) return st.declarationList.declarations.map((d) => d.name.getText(src));
    return (st as ts.DeclarationStatement).name ? [(st as ts.DeclarationStatement).name!.getText(src)] : [];
  });
}

/** What each module imports from the others: names by target file, and the targets imported whole (`*`, dynamic import). */
function importsOf(files: readonly string[]): { named: Map<string, Set<string>>; whole: Set<string> } {
  const named = new Map<string, Set<string>>();
  const whole = new Set<string>();
  const target = (from: string, spec: string): string => resolve(dirname(from), spec).replace(/\.js$/, '.ts');
  for (const file of files) {
    const src = parse(file);
    const visit = (n: ts.Node): void => {
      if ((ts.isImportDeclaration(n) || ts.isExportDeclaration(n)) && n.moduleSpecifier && ts.isStringLiteral(n.moduleSpecifier) && n.moduleSpecifier.text.startsWith('.')) {
        const to = target(file, n.moduleSpecifier.text);
        const names = named.get(to) ?? new Set<string>();
        named.set(to, names);
        const clause = ts.isImportDeclaration(n) ? n.importClause?.namedBindings : n.exportClause;
        if (clause === undefined || (clause && ts.isNamespaceImport(clause))) whole.add(to);
        else if (clause && (ts.isNamedImports(clause) || ts.isNamedExports(clause))) for (const e of clause.elements) names.add((e.propertyName ?? e.name).text);
      }
      if (ts.isCallExpression(n) && n.expression.kind === ts.SyntaxKind.ImportKeyword && n.arguments[0] && ts.isStringLiteral(n.arguments[0])) whole.add(target(file, n.arguments[0].text));
      ts.forEachChild(n, visit);
    };
    visit(src);
  }
  return { named, whole };
}

const srcFiles = sourceFiles(join(root, 'src'));

t.test(`no function in src/ is longer than ${MAX_FUNCTION_LINES} lines`, async (t) => {
  const long = srcFiles.flatMap((path) => longFunctions(parse(path), name(path), MAX_FUNCTION_LINES));
  t.same(long, [], 'functions to split into named steps');
  t.ok(srcFiles.length > 150, `read ${srcFiles.length} modules`);
});

t.test('no value is exported that no other module imports', async (t) => {
  const everything = [...srcFiles, ...sourceFiles(join(root, 'test')), ...sourceFiles(join(root, 'bench'))];
  const { named, whole } = importsOf(everything);
  const dead = srcFiles.flatMap((path) => {
    if (whole.has(path)) return [];
    const used = named.get(path) ?? new Set<string>();
    return exportedValues(parse(path))
      .filter((v) => !used.has(v))
      .map((v) => `${name(path)}: ${v}`);
  });
  t.same(dead, [], 'exports to drop');
});

t.test('the checks see what they are meant to', async (t) => {
  const body = Array.from({ length: 70 }, (_, i) => `  const a${i} = ${i};`).join('\n');
  const src = ts.createSourceFile('x.ts', `function long(): void {\n${body}\n}\nconst short = (): number => 1;\n`, ts.ScriptTarget.Latest, true);
  t.same(longFunctions(src, 'x.ts', MAX_FUNCTION_LINES), ['x.ts:1 long (72 lines)']);
  const exports = ts.createSourceFile('y.ts', 'export const A = 1;\nexport function f() {}\nexport interface T {}\nconst hidden = 2;\n', ts.ScriptTarget.Latest, true);
  t.same(exportedValues(exports), ['A', 'f']);
});
