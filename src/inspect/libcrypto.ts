/**
 * The OpenSSL libcrypto shared libraries a root carries, found in the directories the dynamic
 * loader searches by default (multiarch first, as Debian and Ubuntu lay them out, then the
 * lib64 and lib directories of Red Hat, Alpine and Wolfi, then /usr/local), each with its
 * version text and whether it was built with the jitter entropy source (the `jitter-entropy`
 * marker of markers.ts). One file reached through several paths (a merged /usr, where /lib is
 * /usr/lib) is listed once. The bytes are scanned, not parsed as ELF, so a stripped library
 * and a stand-in file in a test root read the same way.
 */
import { statSync } from 'node:fs';
import { withFileSource } from './fileSource.js';
import { opensslVersions, scanMarkers } from './markers.js';
import { inRoot } from './rootFiles.js';

const MAX_LIBRARY_FILE = 64 * 1024 * 1024;
const NAMES = ['libcrypto.so.3', 'libcrypto.so.1.1'];
const MULTIARCH = ['x86_64-linux-gnu', 'aarch64-linux-gnu', 'arm-linux-gnueabihf', 'i386-linux-gnu', 'powerpc64le-linux-gnu', 's390x-linux-gnu', 'riscv64-linux-gnu'];

/** Where the loader looks without an ld.so.cache entry or a RUNPATH, in its order. */
const LIBRARY_DIRS = [
  ...MULTIARCH.flatMap((m) => [`/lib/${m}`, `/usr/lib/${m}`]),
  '/lib64', '/usr/lib64', '/lib', '/usr/lib', '/usr/local/lib64', '/usr/local/lib',
];

export interface LibcryptoFile {
  /** The path inside the root. */
  path: string;
  versions: string[];
  /** The jitter entropy texts found in it; empty when it has no jitter support. */
  jitter: string[];
  /** Why it could not be read, if it could not. */
  error: string | null;
}

/** Each distinct libcrypto under `root`, in the loader's search order. */
export function findLibcryptos(root: string): LibcryptoFile[] {
  const seen = new Set<string>();
  const out: LibcryptoFile[] = [];
  for (const dir of LIBRARY_DIRS) {
    for (const name of NAMES) {
      const path = `${dir}/${name}`;
      let identity: string;
      try {
        const st = statSync(inRoot(root, path));
        if (!st.isFile()) continue;
        identity = `${st.dev}:${st.ino}`;
      } catch {
        continue;
      }
      if (seen.has(identity)) continue;
      seen.add(identity);
      out.push(readLibcrypto(root, path));
    }
  }
  return out;
}

function readLibcrypto(root: string, path: string): LibcryptoFile {
  try {
    const hits = withFileSource(inRoot(root, path), (source) => scanMarkers(source, { maxBytes: MAX_LIBRARY_FILE }).hits, path);
    return { path, versions: opensslVersions(hits.get('openssl-version')), jitter: hits.get('jitter-entropy')?.texts ?? [], error: null };
  } catch (err) {
    return { path, versions: [], jitter: [], error: err instanceof Error ? err.message : String(err) };
  }
}
