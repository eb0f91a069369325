/**
 * The layers of src/ (README.md, Architecture), kept by reading every import: each folder may import
 * only the layers under it, and only the I/O modules its job needs. An import that crosses a layer
 * the other way fails here with the file, the import and the rule it breaks.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative, resolve, dirname, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import t from 'tap';
import ts from 'typescript';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..', 'src');

/** Who may import whom. `index.ts` at the top of src/ is the library API and may import any layer. */
const LAYERS: Readonly<Record<string, readonly string[]>> = {
  registry: [],
  model: ['registry'],
  wire: ['registry'],
  probe: ['model', 'wire', 'registry'],
  inspect: ['model', 'registry'],
  policy: ['model', 'registry'],
  report: ['policy', 'model', 'registry'],
  cli: ['report', 'policy', 'probe', 'inspect', 'model', 'wire', 'registry', '.'],
  '.': ['report', 'policy', 'probe', 'inspect', 'model', 'wire', 'registry'],
};

/** Node modules a layer may use: the pure layers none but hashing; sockets only in probe/transport.ts. */
function nodeModuleAllowed(layer: string, file: string, module: string): boolean {
  switch (layer) {
    case 'registry':
    case 'model':
    case 'wire':
      return false;
    case 'policy':
    case 'report':
      return module === 'node:crypto';
    case 'probe':
      if (module === 'node:tls') return file === 'probe/transport.ts';
      return ['node:crypto', 'node:net', 'node:dns/promises', 'node:events'].includes(module);
    default:
      return true;
  }
}

interface ImportEdge {
  file: string;
  specifier: string;
}

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(path);
    return entry.name.endsWith('.ts') ? [path] : [];
  });
}

/** Every static import, re-export and dynamic import() of one source text. */
export function importsOf(text: string): string[] {
  return ts.preProcessFile(text, true, true).importedFiles.map((f) => f.fileName);
}

function layerOf(file: string): string {
  const parts = file.split('/');
  return parts.length === 1 ? '.' : parts[0]!;
}

/** What is wrong with one import of one file (a path relative to src/, with '/'), or null. */
export function crossing(file: string, specifier: string): string | null {
  const layer = layerOf(file);
  if (specifier.startsWith('node:')) {
    return nodeModuleAllowed(layer, file, specifier) ? null : `${layer} may not use ${specifier}`;
  }
  if (!specifier.startsWith('.')) return null;
  const target = relative(root, resolve(root, dirname(file), specifier)).split(sep).join('/');
  if (target.startsWith('..')) return `${file} reaches outside src/`;
  const targetLayer = layerOf(target);
  if (targetLayer === layer) return null;
  const allowed = LAYERS[layer];
  if (!allowed) return `${layer} is not a known layer`;
  return allowed.includes(targetLayer) ? null : `${layer} may not import ${targetLayer}`;
}

const edges: ImportEdge[] = sourceFiles(root).flatMap((path) => {
  const file = relative(root, path).split(sep).join('/');
  return importsOf(readFileSync(path, 'utf8')).map((specifier) => ({ file, specifier }));
});

t.test('every folder of src/ is a known layer', async (t) => {
  const folders = new Set(edges.map((e) => layerOf(e.file)));
  for (const folder of folders) t.ok(LAYERS[folder], `${folder} is in the layer table`);
  t.ok(folders.has('model') && folders.has('probe') && folders.has('policy'), 'the layers were read');
});

t.test('no import crosses a layer the wrong way', async (t) => {
  const broken = edges.flatMap((e) => {
    const why = crossing(e.file, e.specifier);
    return why ? [`${e.file}: import '${e.specifier}': ${why}`] : [];
  });
  t.same(broken, [], 'imports that break the layering');
  t.ok(edges.length > 300, `read ${edges.length} imports`);
});

t.test('the check itself catches each kind of crossing', async (t) => {
  t.match(crossing('policy/evaluate.ts', '../probe/types.js'), /policy may not import probe/);
  t.match(crossing('report/json.ts', '../cli/exit.js'), /report may not import cli/);
  t.match(crossing('wire/records.ts', '../probe/transport.js'), /wire may not import probe/);
  t.match(crossing('model/scan.ts', '../policy/types.js'), /model may not import policy/);
  t.match(crossing('wire/records.ts', 'node:net'), /wire may not use node:net/);
  t.match(crossing('probe/scan.ts', 'node:tls'), /probe may not use node:tls/);
  t.equal(crossing('probe/transport.ts', 'node:tls'), null);
  t.equal(crossing('report/json.ts', '../policy/evaluate.js'), null);
  t.same(importsOf("import type { A } from './a.js';\nexport { B } from '../b.js';\nconst c = await import('../c.js');"), ['./a.js', '../b.js', '../c.js']);
});
