/**
 * Everything fipscan reads from one ELF file, in one pass over its headers and one streaming
 * pass over its bytes: format, interpreter, needed libraries, Go build info and build ID, the
 * crypto-related symbol names and the crypto module markers. Pure over a ByteSource; the
 * judgement of what it means lives in binaryChecks.ts.
 */
import { describeElf, parseElf, type ByteSource } from './elf.js';
import { dynamicInfo, goBuildId, interpreter, type DynamicInfo } from './elfDynamic.js';
import { scanSymbols, type SymbolProbe, type SymbolScan } from './elfSymbols.js';
import { readGoBuildInfo, type GoBuildInfo } from './goBuildInfo.js';
import { scanMarkers, type MarkerOptions, type MarkerScan } from './markers.js';

/** Symbol name prefixes that say which crypto code a binary carries. */
const SYMBOL_PROBES: readonly SymbolProbe[] = [
  // cgo wrappers around the BoringCrypto object (GOEXPERIMENT=boringcrypto), Go and C side.
  { id: 'go-boringcrypto', prefixes: ['crypto/internal/boring._Cfunc__goboringcrypto_', '_goboringcrypto_'] },
  { id: 'go-fipsonly', prefixes: ['crypto/tls/fipsonly.'] },
  { id: 'go-sig-boringcrypto', prefixes: ['crypto/internal/boring/sig.BoringCrypto'] },
  { id: 'go-sig-fipsonly', prefixes: ['crypto/internal/boring/sig.FIPSOnly'] },
  { id: 'go-sig-standardcrypto', prefixes: ['crypto/internal/boring/sig.StandardCrypto'] },
  // Go 1.24+: the Go Cryptographic Module.
  { id: 'go-fips140', prefixes: ['crypto/internal/fips140'] },
  // Toolchains that route Go crypto to OpenSSL (Red Hat golang-fips, Microsoft Go).
  { id: 'go-openssl-backend', prefixes: ['vendor/github.com/golang-fips/openssl', 'github.com/golang-fips/openssl', 'github.com/microsoft/go-crypto-openssl', 'crypto/internal/backend.'] },
  { id: 'go-crypto', prefixes: ['crypto/'] },
  { id: 'go-tls', prefixes: ['crypto/tls.'] },
  { id: 'openssl-fips-api', prefixes: ['FIPS_mode', 'EVP_default_properties_enable_fips', 'EVP_default_properties_is_fips_enabled', 'OSSL_PROVIDER_load'] },
];

export interface BinaryAnalysis {
  /** The path as given (or as the process sees it). */
  path: string;
  size: number;
  /** `ELF64 LE x86-64 executable`. */
  format: string;
  machine: number;
  interpreter: string | null;
  dynamic: DynamicInfo;
  go: GoBuildInfo | null;
  goBuildId: string | null;
  symbols: SymbolScan;
  markers: MarkerScan;
}

/** Reads one ELF file. Throws InspectError (EBADELF, or EREAD from the source). */
export function analyzeBinary(source: ByteSource, options: MarkerOptions = {}): BinaryAnalysis {
  const elf = parseElf(source);
  const interp = interpreter(elf);
  return {
    path: source.name,
    size: source.size,
    format: describeElf(elf.header, interp !== null),
    machine: elf.header.machine,
    interpreter: interp,
    dynamic: dynamicInfo(elf),
    go: readGoBuildInfo(elf),
    goBuildId: goBuildId(elf),
    symbols: scanSymbols(elf, SYMBOL_PROBES),
    markers: scanMarkers(source, options),
  };
}

/** Whether any symbol table was read (a stripped binary has none, or only .dynsym). */
export function hasSymtab(a: BinaryAnalysis): boolean {
  return a.symbols.tables.some((t) => t.name === '.symtab' && t.symbols > 0);
}
