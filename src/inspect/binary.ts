/**
 * Inspecting one binary on disk: read it (analyze.ts), find the OpenSSL libraries it needs the
 * way the dynamic loader would (DT_RUNPATH / DT_RPATH with $ORIGIN, then the multiarch and
 * standard directories, all under the root), read their version text, and judge the lot
 * (binaryChecks.ts). A file that cannot be read or parsed becomes a subject with an error
 * (EREAD, EBADELF), never an exception out of here.
 */
import { analyzeBinary, type BinaryAnalysis } from './analyze.js';
import { binaryChecks, type CryptoLibrary } from './binaryChecks.js';
import type { Fact, Subject } from '../model/inspect.js';
import { InspectError } from './errors.js';
import { withFileSource } from './fileSource.js';
import { opensslVersions } from './markers.js';
import { dirnameOf } from './opensslConf.js';
import { exists, inRoot } from './rootFiles.js';

/** The libraries whose version decides FIPS capability. */
export const CRYPTO_LIBRARY = /^(libcrypto|libssl)([.-]|$)/;

const MULTIARCH: Record<number, string> = {
  3: 'i386-linux-gnu', 40: 'arm-linux-gnueabihf', 62: 'x86_64-linux-gnu', 183: 'aarch64-linux-gnu',
  21: 'powerpc64le-linux-gnu', 22: 's390x-linux-gnu', 243: 'riscv64-linux-gnu',
};

/** Where the loader looks for a needed library of `a` (located at `path`). */
function libraryDirs(a: BinaryAnalysis, path: string): string[] {
  const origin = dirnameOf(path);
  const multiarch = MULTIARCH[a.machine];
  return [
    ...a.dynamic.searchPath.map((d) => d.replace(/\$(ORIGIN|\{ORIGIN\})/g, origin)),
    ...(multiarch ? [`/lib/${multiarch}`, `/usr/lib/${multiarch}`] : []),
    '/lib64', '/usr/lib64', '/lib', '/usr/lib', '/usr/local/lib64', '/usr/local/lib',
  ];
}

/** Reads a crypto library at `path` (inside `root`) for its version and its own needs. */
export function readLibrary(root: string, name: string, path: string, via: string): { library: CryptoLibrary; analysis: BinaryAnalysis | null } {
  try {
    const analysis = withFileSource(inRoot(root, path), (source) => analyzeBinary(source), path);
    return { library: { name, path, via, versions: opensslVersions(analysis.markers.hits.get('openssl-version')), error: null }, analysis };
  } catch (err) {
    const message = err instanceof InspectError ? err.message : String(err);
    return { library: { name, path, via, versions: [], error: message }, analysis: null };
  }
}

/** The OpenSSL libraries `a` needs, and the libcrypto those need in turn, resolved under `root`. */
export function resolveCryptoLibraries(a: BinaryAnalysis, path: string, root: string): CryptoLibrary[] {
  const out: CryptoLibrary[] = [];
  const queue = a.dynamic.needed.filter((n) => CRYPTO_LIBRARY.test(n)).map((name) => ({ name, from: a, fromPath: path }));
  while (queue.length > 0 && out.length < 8) {
    const { name, from, fromPath } = queue.shift()!;
    if (out.some((l) => l.name === name)) continue;
    const found = libraryDirs(from, fromPath).map((d) => `${d}/${name}`).find((p) => exists(inRoot(root, p)));
    if (!found) {
      out.push({ name, path: null, via: 'DT_NEEDED', versions: [], error: 'not found in the library path' });
      continue;
    }
    const { library, analysis } = readLibrary(root, name, found, 'DT_NEEDED');
    out.push(library);
    for (const next of analysis?.dynamic.needed ?? []) if (CRYPTO_LIBRARY.test(next)) queue.push({ name: next, from: analysis!, fromPath: found });
  }
  return out;
}

/** What the report lists about a binary besides its checks. */
export function binaryFacts(a: BinaryAnalysis, libraries: readonly CryptoLibrary[]): Fact[] {
  const facts: Fact[] = [{ name: 'format', value: `${a.format}, ${a.size} bytes` }];
  facts.push({ name: 'linking', value: a.interpreter ? `dynamic (${a.interpreter})` : a.dynamic.needed.length > 0 ? 'shared object' : 'static' });
  if (a.dynamic.needed.length > 0) facts.push({ name: 'needs', value: a.dynamic.needed.join(', ') });
  for (const lib of libraries) {
    facts.push({ name: lib.name, value: `${lib.path ?? 'not found'}${lib.versions.length ? ` (OpenSSL ${lib.versions.join(', ')})` : ''}${lib.error && lib.path ? `: ${lib.error}` : ''} [${lib.via}]` });
  }
  if (a.go) {
    facts.push({ name: 'Go', value: `${a.go.goVersion}${a.go.path ? `, ${a.go.path}` : ''}` });
    const settings = a.go.settings.filter((s) => ['CGO_ENABLED', 'GOEXPERIMENT', 'GOFIPS140', 'DefaultGODEBUG'].includes(s.key));
    if (settings.length > 0) facts.push({ name: 'Go build', value: settings.map((s) => `${s.key}=${s.value}`).join(' ') });
    if (a.go.deps.length > 0) facts.push({ name: 'Go modules', value: `${a.go.deps.length} dependencies` });
  }
  if (a.goBuildId) facts.push({ name: 'Go build ID', value: a.goBuildId });
  const node = a.markers.hits.get('node-conf-name');
  if (node) {
    const section = /NODE_OPENSSL_CONF_NAME=(\w+)/.exec(node.texts.join(' '))?.[1] ?? 'nodejs_conf';
    const isFips = /"openssl_is_fips": ?"?(true|false)/.exec(a.markers.hits.get('node-openssl-is-fips')?.texts.join(' ') ?? '')?.[1];
    facts.push({ name: 'Node.js', value: `OpenSSL configuration section ${section}${isFips ? `, built with openssl_is_fips ${isFips}` : ''}` });
  }
  if (a.markers.truncated) facts.push({ name: 'scan', value: `only the first ${a.markers.bytesScanned} bytes were searched for markers` });
  for (const table of a.symbols.tables) if (table.note) facts.push({ name: table.name, value: table.note });
  return facts;
}

export interface BinaryOptions {
  /** Root that needed libraries are resolved under; default `/`. */
  root?: string;
}

/** Inspects the binary at `path`. Never throws. */
export function inspectBinary(path: string, options: BinaryOptions = {}): Subject {
  const root = options.root ?? '/';
  const subject: Subject = { kind: 'binary', name: path, path, pid: null, facts: [], checks: [], error: null };
  let analysis: BinaryAnalysis;
  try {
    analysis = withFileSource(path, (source) => analyzeBinary(source));
  } catch (err) {
    if (!(err instanceof InspectError)) throw err;
    subject.error = { code: err.code, message: err.message };
    return subject;
  }
  const libraries = resolveCryptoLibraries(analysis, path, root);
  subject.facts = binaryFacts(analysis, libraries);
  subject.checks = binaryChecks(path, analysis, { libraries });
  return subject;
}
