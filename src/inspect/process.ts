/**
 * Inspecting a running process through /proc/<pid>: its executable (`exe`, readable even when
 * deleted or in another mount namespace), the libraries it really has loaded (`maps`: the
 * libcrypto in use, and whether the OpenSSL FIPS provider fips.so is loaded at all), its
 * environment (OPENSSL_CONF, GODEBUG) and command line (Node's --openssl-config and
 * --openssl-shared-config), and the OpenSSL configuration it reads, seen from its own root.
 * This is the runtime proof the binary alone cannot give: an OpenSSL 3 process without
 * fips.so mapped is not using the FIPS provider, whatever its configuration says.
 */
import { readlinkSync } from 'node:fs';
import { join } from 'node:path';
import { analyzeBinary, type BinaryAnalysis } from './analyze.js';
import { binaryFacts, CRYPTO_LIBRARY, readLibrary, resolveCryptoLibraries } from './binary.js';
import { binaryChecks, opensslHasFips, type CryptoLibrary } from './binaryChecks.js';
import { check, type Check, type Subject } from '../model/inspect.js';
import { opensslConfigChecks } from './configChecks.js';
import { InspectError } from './errors.js';
import { withFileSource } from './fileSource.js';
import { opensslVersions } from './markers.js';
import { mappedFiles, parseEnviron, splitNul } from './procfs.js';
import { exists, findOpensslConfig, readText } from './rootFiles.js';

export interface ProcessOptions {
  /** The root whose /proc is read; default `/`. */
  root?: string;
}

const FIPS_MODULE = /(^|\/)fips\.so$/;

/** The root a process's files are read under: /proc/<pid>/root when it can be entered, else `root`. */
function processRoot(root: string, procDir: string): string {
  const own = join(procDir, 'root');
  try {
    if (readlinkSync(own) !== '' && exists(join(own, '.'))) return own;
  } catch {
    // Not ours to enter (another user's process without CAP_SYS_PTRACE), or a fake root.
  }
  return root;
}

/** Whether the process runs OpenSSL 3 (a mapped libcrypto.so.3, or one built into the executable). */
function usesOpenssl3(a: BinaryAnalysis, libraries: readonly CryptoLibrary[]): boolean {
  const versions = [...libraries.flatMap((l) => (/^libcrypto/.test(l.name) ? l.versions : [])), ...opensslVersions(a.markers.hits.get('openssl-version'))];
  return versions.some((v) => /^3\./.test(v) && opensslHasFips(v)) || libraries.some((l) => /^libcrypto\.so\.3$/.test(l.name));
}

function providerLoaded(subject: string, openssl3: boolean, mapped: string[] | null): Check {
  const id = 'openssl.fips-provider-loaded';
  if (!openssl3) return check(id, subject, 'n/a', 'the process runs no OpenSSL 3');
  if (mapped === null) return check(id, subject, 'fail', 'cannot tell: /proc maps unreadable (run fipscan as the same user or with CAP_SYS_PTRACE)');
  const fips = mapped.filter((p) => FIPS_MODULE.test(p));
  if (fips.length > 0) return check(id, subject, 'ok', 'the OpenSSL FIPS provider is loaded', fips.map((p) => ({ source: 'maps', detail: p })));
  const libcrypto = mapped.filter((p) => /\/libcrypto[^/]*\.so/.test(p));
  return check(id, subject, 'fail', 'the OpenSSL FIPS provider (fips.so) is not loaded in the process', libcrypto.map((p) => ({ source: 'maps', detail: `${p} (no ossl-modules/fips.so mapped)` })));
}

/** The path of the process's executable, or the subject error saying why /proc/<pid>/exe cannot be read. */
function executable(procDir: string, pid: number): { path: string } | { error: NonNullable<Subject['error']> } {
  try {
    return { path: readlinkSync(join(procDir, 'exe')).replace(/ \(deleted\)$/, '') };
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    const why = code === 'ENOENT' ? (exists(procDir) ? 'it has no executable (a kernel thread?)' : 'no such process') : code === 'EACCES' || code === 'EPERM' ? 'permission denied (run as the same user or with CAP_SYS_PTRACE)' : String(err);
    return { error: { code: 'ENOPROC', message: `pid ${pid}: cannot read /proc/${pid}/exe: ${why}` } };
  }
}

/** The crypto libraries the process uses: what its maps show loaded beats what the ELF file asks for. */
function processLibraries(pid: number, mapped: string[] | null, analysis: BinaryAnalysis, exePath: string, ownRoot: string): CryptoLibrary[] {
  if (!mapped) return resolveCryptoLibraries(analysis, exePath, ownRoot);
  return mapped.filter((p) => CRYPTO_LIBRARY.test(p.slice(p.lastIndexOf('/') + 1))).map((p) => readLibrary(ownRoot, p.slice(p.lastIndexOf('/') + 1), p, `/proc/${pid}/maps`).library);
}

/** The checks of the OpenSSL 3 configuration the process reads: the file and the section its command line and environment choose. */
function processConfigChecks(subject: string, analysis: BinaryAnalysis, cmdline: readonly string[], env: Record<string, string> | null, ownRoot: string): Check[] {
  // Node reads its own section (nodejs_conf) unless told to share OpenSSL's.
  const nodeSection = /NODE_OPENSSL_CONF_NAME=(\w+)/.exec(analysis.markers.hits.get('node-conf-name')?.texts.join(' ') ?? '')?.[1];
  const appName = nodeSection && !cmdline.includes('--openssl-shared-config') ? nodeSection : 'openssl_conf';
  const confArg = cmdline.find((a) => a.startsWith('--openssl-config='))?.slice('--openssl-config='.length);
  return opensslConfigChecks(subject, findOpensslConfig(ownRoot, env ?? {}, appName, confArg));
}

/** Inspects process `pid`. Never throws: what cannot be read is the subject's error or evidence. */
export function inspectProcess(pid: number, options: ProcessOptions = {}): Subject {
  const root = options.root ?? '/';
  const procDir = join(root, 'proc', String(pid));
  const subject: Subject = { kind: 'process', name: `pid ${pid}`, path: null, pid, facts: [], checks: [], error: null };
  const exe = executable(procDir, pid);
  if ('error' in exe) {
    subject.error = exe.error;
    return subject;
  }
  const exePath = exe.path;
  subject.name = `pid ${pid} (${exePath})`;
  subject.path = exePath;
  const ownRoot = processRoot(root, procDir);
  const cmdline = splitNul(readText(join(procDir, 'cmdline')) ?? '');
  const environText = readText(join(procDir, 'environ'));
  const env = environText === null ? null : parseEnviron(environText);
  const mapsText = readText(join(procDir, 'maps'));
  const mapped = mapsText === null ? null : mappedFiles(mapsText);

  let analysis: BinaryAnalysis;
  try {
    analysis = withFileSource(join(procDir, 'exe'), (source) => analyzeBinary(source), exePath);
  } catch (err) {
    if (!(err instanceof InspectError)) throw err;
    subject.error = { code: err.code, message: err.message };
    return subject;
  }
  const libraries = processLibraries(pid, mapped, analysis, exePath, ownRoot);
  subject.facts = [
    { name: 'command', value: cmdline.join(' ').slice(0, 300) },
    ...binaryFacts(analysis, libraries),
    ...(env?.OPENSSL_CONF ? [{ name: 'OPENSSL_CONF', value: env.OPENSSL_CONF }] : []),
    ...(env?.GODEBUG ? [{ name: 'GODEBUG', value: env.GODEBUG }] : []),
    ...(mapped === null ? [{ name: 'maps', value: 'unreadable' }] : []),
  ];
  const openssl3 = usesOpenssl3(analysis, libraries);
  const checks = [...binaryChecks(exePath, analysis, { libraries, env }), providerLoaded(subject.name, openssl3, mapped)];
  if (openssl3) checks.push(...processConfigChecks(subject.name, analysis, cmdline, env, ownRoot));
  subject.checks = checks;
  return subject;
}
