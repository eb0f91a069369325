/**
 * Reading files "as seen from" a root directory: the host root (`/`, or a fake root the tests
 * build) or a process's own root (`/proc/<pid>/root`, its mount namespace). Paths inside the
 * root stay absolute (`/etc/ssl/openssl.cnf`) in everything reported; only the reads add the
 * root. Also where OpenSSL's configuration and FIPS provider module are found, the way
 * libcrypto finds them (OPENSSL_CONF, OPENSSLDIR; OPENSSL_MODULES, MODULESDIR).
 */
import { closeSync, constants, openSync, readdirSync, readSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { ConfigFindings, ProviderModule } from './configChecks.js';
import { withFileSource } from './fileSource.js';
import { evaluateFipsConfig } from './fipsConfig.js';
import { opensslVersions, scanMarkers } from './markers.js';
import { loadOpensslConf, normalizePath, type ConfLoader } from './opensslConf.js';

/** Text files read whole (configuration, /proc) are capped: a hostile one cannot fill memory. */
const MAX_TEXT_FILE = 4 * 1024 * 1024;
const MAX_MODULE_FILE = 64 * 1024 * 1024;

/** `root` + an absolute path inside it. */
export function inRoot(root: string, path: string): string {
  return join(root, normalizePath(path));
}

/** A file's text (up to MAX_TEXT_FILE), or null when it is missing or unreadable. */
export function readText(path: string, max = MAX_TEXT_FILE): string | null {
  let fd: number | null = null;
  try {
    // Only regular files: a FIFO planted as openssl.cnf would block the read forever.
    if (!statSync(path).isFile()) return null;
    fd = openSync(path, constants.O_RDONLY | constants.O_NONBLOCK);
    const buffer = Buffer.allocUnsafe(max);
    let length = 0;
    // /proc files report size 0: read until end of file, not up to the size.
    for (let n = -1; n !== 0 && length < max; length += n) n = readSync(fd, buffer, length, max - length, null);
    return buffer.subarray(0, length).toString('utf8');
  } catch {
    return null;
  } finally {
    if (fd !== null) closeSync(fd);
  }
}

/** Whether anything is at `path` (stat succeeds: present and reachable by this user). */
export function exists(path: string): boolean {
  try {
    statSync(path);
    return true;
  } catch {
    return false;
  }
}

/** A ConfLoader reading inside `root`. */
function rootLoader(root: string): ConfLoader {
  return {
    readFile: (path) => readText(inRoot(root, path)),
    listDir: (path) => {
      try {
        const full = inRoot(root, path);
        return statSync(full).isDirectory() ? readdirSync(full) : null;
      } catch {
        return null;
      }
    },
  };
}

/** OPENSSLDIR of Debian/Ubuntu, Red Hat, Alpine and upstream builds, in that order. */
const OPENSSL_CONF_CANDIDATES = ['/etc/ssl/openssl.cnf', '/usr/lib/ssl/openssl.cnf', '/etc/pki/tls/openssl.cnf', '/usr/local/ssl/openssl.cnf'];

const MODULE_DIRS = [
  '/usr/lib/x86_64-linux-gnu/ossl-modules', '/usr/lib/aarch64-linux-gnu/ossl-modules', '/usr/lib64/ossl-modules',
  '/usr/lib/ossl-modules', '/usr/local/lib64/ossl-modules', '/usr/local/lib/ossl-modules',
];

function fipsModule(root: string, module: string | null, env: Readonly<Record<string, string | undefined>>): ProviderModule {
  const dirs = env.OPENSSL_MODULES ? [env.OPENSSL_MODULES, ...MODULE_DIRS] : MODULE_DIRS;
  const candidates = module?.startsWith('/') ? [module] : dirs.map((d) => `${d}/${module ?? 'fips.so'}`);
  const path = candidates.find((c) => exists(inRoot(root, c)));
  if (!path) return { path: candidates[0]!, exists: false, versions: [], jitter: [] };
  try {
    const hits = withFileSource(inRoot(root, path), (source) => scanMarkers(source, { maxBytes: MAX_MODULE_FILE }).hits, path);
    return { path, exists: true, versions: opensslVersions(hits.get('openssl-version')), jitter: hits.get('jitter-entropy')?.texts ?? [] };
  } catch {
    // Present but unreadable: its existence is what the check needs.
    return { path, exists: true, versions: [], jitter: [] };
  }
}

/**
 * The OpenSSL configuration a process with environment `env` would load inside `root`, read
 * from `appName` (`openssl_conf`, or `nodejs_conf` for Node), and its FIPS provider module.
 */
export function findOpensslConfig(root: string, env: Readonly<Record<string, string | undefined>>, appName = 'openssl_conf', confFile?: string): ConfigFindings {
  const searched = confFile ? [confFile] : env.OPENSSL_CONF ? [env.OPENSSL_CONF] : OPENSSL_CONF_CANDIDATES;
  const loader = rootLoader(root);
  for (const candidate of searched) {
    const conf = loadOpensslConf(candidate, loader, env);
    if (!conf) continue;
    const config = evaluateFipsConfig(conf, appName);
    const module = config.fips?.activated ? fipsModule(root, config.fips.module?.value ?? null, env) : null;
    return { config, searched, module };
  }
  return { config: null, searched, module: null };
}
