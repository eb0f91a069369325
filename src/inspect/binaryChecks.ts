/**
 * The judgement on one binary: which crypto module it carries and whether that module can run
 * FIPS-validated. The same questions the FIPS playbooks answer by hand: is the Go binary built
 * with BoringCrypto (`GOEXPERIMENT=boringcrypto`, `_Cfunc__goboringcrypto_` symbols, the
 * BoringCrypto code signature) or the Go Cryptographic Module (`GOFIPS140`), does it link
 * `crypto/tls/fipsonly`, which OpenSSL does it link and is that a version with a FIPS module,
 * is its BoringSSL the FIPS build. Each check carries the evidence that decided it. Pure.
 */
import type { BinaryAnalysis } from './analyze.js';
import { hasSymtab } from './analyze.js';
import { check, type Check, type Evidence } from '../model/inspect.js';
import type { SymbolHit } from './elfSymbols.js';
import { goSetting } from './goBuildInfo.js';
import type { MarkerHit } from './markers.js';
import { opensslVersions } from './markers.js';

/** A crypto library the binary links (DT_NEEDED) or that the process has mapped. */
export interface CryptoLibrary {
  /** `libcrypto.so.3`. */
  name: string;
  /** Where it was found; null when it could not be. */
  path: string | null;
  /** `DT_NEEDED` or `/proc/<pid>/maps`. */
  via: string;
  /** OpenSSL versions its version text names. */
  versions: string[];
  /** Why it could not be read, if it could not. */
  error: string | null;
}

export interface BinaryContext {
  libraries: readonly CryptoLibrary[];
  /** The running process's environment, when the binary is a process's executable. */
  env?: Readonly<Record<string, string>> | null;
}

function symbolEvidence(hit: SymbolHit | undefined): Evidence[] {
  const first = hit?.examples[0];
  if (!hit || !first) return [];
  return [{ source: first.table, detail: `${first.name}${hit.count > 1 ? ` (+${hit.count - 1} more)` : ''}` }];
}

function markerEvidence(hit: MarkerHit | undefined): Evidence[] {
  if (!hit) return [];
  return [{ source: `file offset 0x${hit.offset.toString(16)}`, detail: hit.texts.join(' | ') }];
}

function godebug(value: string | undefined, key: string): string | null {
  if (!value) return null;
  for (const part of value.split(',')) {
    const [k, v] = part.split('=');
    if (k?.trim() === key && v !== undefined) return v.trim();
  }
  return null;
}

/** go.crypto: BoringCrypto, the Go Cryptographic Module, or an OpenSSL backend; else standard Go crypto. */
function goCrypto(subject: string, a: BinaryAnalysis, ctx: BinaryContext): Check {
  const go = a.go;
  if (!go) return check('go.crypto', subject, 'n/a', 'not a Go binary');
  const info = 'Go build info';
  const experiment = goSetting(go, 'GOEXPERIMENT') ?? '';
  const experiments = experiment.split(',').map((e) => e.trim());
  const hits = a.symbols.hits;
  const markers = a.markers.hits;
  const boring: Evidence[] = [
    ...(experiments.includes('boringcrypto') ? [{ source: info, detail: `build GOEXPERIMENT=${experiment}` }] : []),
    ...(/ X:.*boringcrypto/.test(go.goVersion) ? [{ source: info, detail: `version ${go.goVersion}` }] : []),
    ...symbolEvidence(hits.get('go-boringcrypto')),
    ...symbolEvidence(hits.get('go-sig-boringcrypto')),
    ...markerEvidence(markers.get('go-sig-boringcrypto')),
  ];
  if (boring.length > 0) return check('go.crypto', subject, 'ok', `built with BoringCrypto (${go.goVersion}): Go crypto runs in the BoringCrypto FIPS module`, boring);

  const fips140 = goSetting(go, 'GOFIPS140');
  if (fips140 !== undefined && fips140 !== 'off') {
    const evidence = [{ source: info, detail: `build GOFIPS140=${fips140}` }, ...symbolEvidence(hits.get('go-fips140'))];
    if (/^v\d+\.\d+\.\d+/.test(fips140)) return check('go.crypto', subject, 'ok', `built with the Go Cryptographic Module ${fips140} (GOFIPS140), FIPS 140-3 mode on by default`, evidence);
    return check('go.crypto', subject, 'fail', `GOFIPS140=${fips140} turns FIPS 140-3 mode on with the in-tree module, not a frozen validated version (use GOFIPS140=v1.0.0 or later)`, evidence);
  }
  const runtimeFips = godebug(ctx.env?.GODEBUG, 'fips140');
  if (hits.has('go-fips140') && (runtimeFips === 'on' || runtimeFips === 'only')) {
    return check('go.crypto', subject, 'ok', `the Go Cryptographic Module runs in FIPS 140-3 mode at run time (GODEBUG fips140=${runtimeFips})`, [
      { source: 'process environment', detail: `GODEBUG=${ctx.env?.GODEBUG ?? ''}` },
      ...symbolEvidence(hits.get('go-fips140')),
    ]);
  }
  const backend = experiments.filter((e) => ['opensslcrypto', 'systemcrypto', 'cngcrypto', 'strictfipsruntime'].includes(e));
  if (backend.length > 0 || hits.has('go-openssl-backend')) {
    const evidence = [...(backend.length > 0 ? [{ source: info, detail: `build GOEXPERIMENT=${experiment}` }] : []), ...symbolEvidence(hits.get('go-openssl-backend'))];
    return check('go.crypto', subject, 'ok', 'Go crypto is routed to OpenSSL: FIPS mode depends on the OpenSSL it loads (see openssl.library and the OpenSSL checks)', evidence);
  }
  const standard = [...markerEvidence(markers.get('go-sig-standardcrypto')), ...symbolEvidence(hits.get('go-sig-standardcrypto'))];
  if (standard.length === 0 && hasSymtab(a) && !hits.has('go-crypto')) return check('go.crypto', subject, 'n/a', 'links no Go crypto package', []);
  return check('go.crypto', subject, 'fail', `standard Go crypto (${go.goVersion}), not a FIPS-validated module: built without GOEXPERIMENT=boringcrypto or GOFIPS140`, [
    { source: info, detail: `version ${go.goVersion}${experiment ? `, build GOEXPERIMENT=${experiment}` : ', no GOEXPERIMENT'}` },
    ...standard,
  ]);
}

/** go.fipsonly: crypto/tls/fipsonly (or GODEBUG fips140=only) restricts TLS to FIPS settings. */
function goFipsOnly(subject: string, a: BinaryAnalysis, ctx: BinaryContext): Check {
  if (!a.go) return check('go.fipsonly', subject, 'n/a', 'not a Go binary');
  const hits = a.symbols.hits;
  const evidence = [...symbolEvidence(hits.get('go-fipsonly')), ...symbolEvidence(hits.get('go-sig-fipsonly')), ...markerEvidence(a.markers.hits.get('go-sig-fipsonly'))];
  if (evidence.length > 0) return check('go.fipsonly', subject, 'ok', 'crypto/tls/fipsonly is linked: TLS is restricted to FIPS-approved versions, suites and curves', evidence);
  const defaultGodebug = goSetting(a.go, 'DefaultGODEBUG');
  if (godebug(defaultGodebug, 'fips140') === 'only') return check('go.fipsonly', subject, 'ok', 'built with fips140=only: non-approved algorithms are refused', [{ source: 'Go build info', detail: `build DefaultGODEBUG=${defaultGodebug ?? ''}` }]);
  if (godebug(ctx.env?.GODEBUG, 'fips140') === 'only') return check('go.fipsonly', subject, 'ok', 'runs with GODEBUG fips140=only: non-approved algorithms are refused', [{ source: 'process environment', detail: `GODEBUG=${ctx.env?.GODEBUG ?? ''}` }]);
  if (hasSymtab(a) && !hits.has('go-tls')) return check('go.fipsonly', subject, 'n/a', 'does not link crypto/tls');
  return check('go.fipsonly', subject, 'fail', 'crypto/tls/fipsonly is not linked: TLS may negotiate non-FIPS versions, suites or curves (import _ "crypto/tls/fipsonly")', []);
}

/** Whether an OpenSSL version has a FIPS module: 3.x (FIPS provider), 1.0.x only as a -fips build. */
export function opensslHasFips(version: string): boolean {
  const m = /^(\d+)\.(\d+|x)/.exec(version);
  if (!m) return false;
  const major = Number(m[1]);
  if (major >= 3) return true;
  return major === 1 && m[2] === '0' && /fips/i.test(version);
}

/** The OpenSSL series a libcrypto soname stands for when its version text could not be read. */
function sonameVersion(name: string): string | null {
  if (/\.so\.3$/.test(name)) return '3.x (from the soname)';
  if (/\.so\.1\.1$/.test(name)) return '1.1.x (from the soname)';
  return null;
}

/** openssl.library: the libcrypto linked or embedded, and whether its version has a FIPS module. */
function opensslLibrary(subject: string, a: BinaryAnalysis, ctx: BinaryContext): Check {
  const found: { what: string; version: string | null; evidence: Evidence }[] = [];
  for (const lib of ctx.libraries) {
    if (!/^libcrypto[.-]/.test(lib.name)) continue;
    const version = lib.versions[0] ?? null;
    const where = lib.path ?? `${lib.name} (not found: ${lib.error ?? 'not in the library path'})`;
    found.push({ what: lib.name, version: version ?? sonameVersion(lib.name), evidence: { source: lib.via, detail: `${where}${version ? `: OpenSSL ${version}` : ''}` } });
  }
  const embedded = opensslVersions(a.markers.hits.get('openssl-version'));
  const linkedVersions = new Set(ctx.libraries.flatMap((l) => l.versions));
  for (const version of embedded) {
    // A library's own version text, or an executable with OpenSSL linked in statically.
    if (!linkedVersions.has(version)) found.push({ what: 'OpenSSL (built in)', version, evidence: markerEvidence(a.markers.hits.get('openssl-version'))[0]! });
  }
  if (found.length === 0) return check('openssl.library', subject, 'n/a', 'links no OpenSSL libcrypto');
  const evidence = found.map((f) => f.evidence);
  const bad = found.filter((f) => f.version === null || !opensslHasFips(f.version));
  const names = found.map((f) => `${f.what}${f.version ? ` ${f.version}` : ''}`).join(', ');
  if (bad.length > 0) return check('openssl.library', subject, 'fail', `${bad.map((f) => `${f.what} ${f.version ?? '(version unknown)'}`).join(', ')}: no FIPS module for this OpenSSL version`, evidence);
  return check('openssl.library', subject, 'ok', `${names}: FIPS-capable through the OpenSSL FIPS provider; whether it is used depends on the configuration`, evidence);
}

/** boringssl.fips: a BoringSSL inside the binary is its FIPS build. */
function boringsslFips(subject: string, a: BinaryAnalysis, goBoring: boolean): Check {
  const fips = a.markers.hits.get('boringssl-fips');
  const plain = a.markers.hits.get('boringssl');
  if (!fips && !plain) return check('boringssl.fips', subject, 'n/a', 'no BoringSSL inside');
  if (fips) return check('boringssl.fips', subject, 'ok', 'BoringSSL FIPS build (the BoringCrypto module)', markerEvidence(fips));
  // A stripped Go BoringCrypto binary keeps BoringSSL's strings but loses the FIPS symbol names.
  if (goBoring) return check('boringssl.fips', subject, 'ok', 'the BoringSSL inside is the Go BoringCrypto module (see go.crypto)', markerEvidence(plain));
  return check('boringssl.fips', subject, 'fail', 'BoringSSL without its FIPS module (no BoringSSL-FIPS marker)', markerEvidence(plain));
}

/** The checks of one binary, headed by crypto.module, the one-line answer. */
export function binaryChecks(subject: string, a: BinaryAnalysis, ctx: BinaryContext): Check[] {
  const go = goCrypto(subject, a, ctx);
  const detail = [go, goFipsOnly(subject, a, ctx), opensslLibrary(subject, a, ctx), boringsslFips(subject, a, go.status === 'ok' && /BoringCrypto/.test(go.message))];
  const modules = [go, detail[2]!, detail[3]!].filter((c) => c.status !== 'n/a');
  const failed = detail.filter((c) => c.status === 'fail');
  let summary: Check;
  if (modules.length === 0) summary = check('crypto.module', subject, 'n/a', 'no crypto module found: no Go crypto, OpenSSL or BoringSSL inside or linked');
  else if (failed.length > 0) summary = check('crypto.module', subject, 'fail', `not FIPS: ${failed.map((c) => c.id).join(', ')} failed`);
  else summary = check('crypto.module', subject, 'ok', `FIPS-capable: ${modules.map((c) => c.id).join(', ')}`);
  return [summary, ...detail];
}
