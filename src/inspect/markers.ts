/**
 * The `strings | grep` part of a FIPS check: one pass over the whole file, in fixed-size
 * chunks (256 KiB each, so memory stays flat for a 100 MB binary), looking for byte patterns that
 * name a crypto module: Envoy's "BoringSSL-FIPS" version tag, BoringSSL's error format, the
 * OpenSSL version text ("OpenSSL 3.0.13 30 Jan 2024") that libcrypto carries whether linked
 * statically or not, the FIPS provider's name, the Go `crypto/internal/boring/sig` code
 * signatures that `goversion -crypto` looks for (they survive stripping), Node's build
 * configuration, and the jitter entropy source an OpenSSL 3.4+ built with `enable-jitter` (or a
 * FIPS provider built with `enable-fips-jitter`) carries: the jitterentropy calls named in
 * OpenSSL's own error texts (`jent_read_entropy (%d)`, seed_src_jitter.c) and `openssl info
 * -seeds` text (`JITTER (%d)`, info.c), which survive stripping, and the `jent_*` names in the
 * symbol tables of an unstripped or dynamically linked build. Chunks overlap by more than the longest pattern, so no match is lost at a
 * boundary and none is counted twice.
 */
import type { ByteSource } from './elf.js';

export interface MarkerHit {
  id: string;
  count: number;
  /** File offset of the first match. */
  offset: number;
  /** Distinct matched texts (the printable string around the match), at most five. */
  texts: string[];
}

export interface MarkerScan {
  hits: Map<string, MarkerHit>;
  bytesScanned: number;
  /** True when the file is larger than the scan limit and its tail was not read. */
  truncated: boolean;
}

/** crypto/internal/boring/sig (sig_amd64.s): a 2-byte jump, a 5-byte indicator, 24 signature bytes. */
const SIG_START = [0xeb, 0x1d, 0xf4, 0x48, 0xf4, 0x4b, 0xf4];
const GO_SIGS: Record<string, number[]> = {
  'go-sig-boringcrypto': [0xb3, 0x32, 0xf5, 0x28, 0x13, 0xa3, 0xb4, 0x50, 0xd4, 0x41, 0xcc, 0x24, 0x85, 0xf0, 0x01, 0x45, 0x4e, 0x92, 0x10, 0x1b, 0x1d, 0x2f, 0x19, 0x50],
  'go-sig-standardcrypto': [0xba, 0xee, 0x4d, 0xfa, 0x98, 0x51, 0xca, 0x56, 0xa9, 0x11, 0x45, 0xe8, 0x3e, 0x99, 0xc5, 0x9c, 0xf9, 0x11, 0xcb, 0x8e, 0x80, 0xda, 0xf1, 0x2f],
  'go-sig-fipsonly': [0x36, 0x3c, 0xb9, 0xce, 0x9d, 0x68, 0x04, 0x7d, 0x31, 0xf2, 0x8d, 0x32, 0x5d, 0x5c, 0xa5, 0x87, 0x3f, 0x5d, 0x80, 0xca, 0xf6, 0xd6, 0x15, 0x1b],
};

/** A regex source matching these exact bytes in a ByteSource's text (character code = byte). */
function bytesPattern(bytes: readonly number[]): string {
  return bytes.map((b) => `\\x${b.toString(16).padStart(2, '0')}`).join('');
}

/** The markers, in the order of the alternation; each pattern is a regex source without groups. */
const MARKERS: readonly { id: string; pattern: string; binary?: boolean }[] = [
  { id: 'boringssl-fips', pattern: 'BoringSSL[- ]FIPS|BORINGSSL_FIPS\\w*' },
  { id: 'boringssl', pattern: ':OPENSSL_internal:' },
  { id: 'openssl-version', pattern: 'OpenSSL \\d+\\.\\d+\\.\\d+[a-z]*(?:-[\\w.]+)? {1,2}\\d{1,2} [A-Z][a-z]{2} \\d{4}' },
  { id: 'openssl-fips-provider', pattern: 'OpenSSL FIPS Provider' },
  { id: 'node-openssl-is-fips', pattern: '"openssl_is_fips": ?"?(?:true|false)' },
  { id: 'node-conf-name', pattern: 'NODE_OPENSSL_CONF_NAME=\\w+' },
  { id: 'jitter-entropy', pattern: 'jent_(?:read_entropy|entropy_init(?:_ex)?|entropy_collector_alloc)\\b|JITTER \\(%d\\)' },
  ...Object.entries(GO_SIGS).map(([id, bytes]) => ({ id, pattern: bytesPattern([...SIG_START, ...bytes]), binary: true })),
];

const OVERLAP = 512;
const CONTEXT = 80;
const PRINTABLE = /[\x20-\x7e]/;

/** The printable run around [start, end) in `text`, at most CONTEXT characters each side. */
function around(text: string, start: number, end: number): string {
  let from = start;
  while (from > 0 && start - from < CONTEXT && PRINTABLE.test(text.charAt(from - 1))) from--;
  let to = end;
  while (to < text.length && to - end < CONTEXT && PRINTABLE.test(text.charAt(to))) to++;
  return text.slice(from, to);
}

export interface MarkerOptions {
  /** Bytes read per chunk; default 256 KiB (small strings die young: larger ones sit in memory until a full GC). */
  chunkBytes?: number;
  /** Scan at most this many bytes of the file; default 1 GiB. */
  maxBytes?: number;
}

/** Scans `source` for every marker. */
export function scanMarkers(source: ByteSource, options: MarkerOptions = {}): MarkerScan {
  const chunkBytes = Math.max(OVERLAP * 2, options.chunkBytes ?? 256 * 1024);
  const limit = Math.min(source.size, options.maxBytes ?? 1024 * 1024 * 1024);
  const regex = new RegExp(MARKERS.map((m) => `(${m.pattern})`).join('|'), 'g');
  const hits = new Map<string, MarkerHit>();
  for (let start = 0; start < limit; start += chunkBytes) {
    const length = Math.min(chunkBytes + OVERLAP, limit - start);
    const text = source.text(start, length);
    // Matches starting in the overlap belong to the next chunk (unless this is the last one).
    const ownedEnd = start + chunkBytes >= limit ? length : chunkBytes;
    regex.lastIndex = 0;
    for (let m = regex.exec(text); m !== null; m = regex.exec(text)) {
      if (m.index >= ownedEnd) break;
      const which = m.findIndex((g, i) => i > 0 && g !== undefined) - 1;
      const marker = MARKERS[which];
      if (!marker) continue;
      const hit = hits.get(marker.id) ?? { id: marker.id, count: 0, offset: start + m.index, texts: [] };
      hit.count++;
      const shown = marker.binary ? `${marker.id} code signature` : around(text, m.index, m.index + m[0].length);
      if (hit.texts.length < 5 && !hit.texts.includes(shown)) hit.texts.push(shown);
      hits.set(marker.id, hit);
    }
  }
  return { hits, bytesScanned: limit, truncated: limit < source.size };
}

/** OpenSSL versions named by `openssl-version` matches: `3.0.13`, `1.0.2k-fips`. */
export function opensslVersions(hit: MarkerHit | undefined): string[] {
  if (!hit) return [];
  const versions = hit.texts.map((t) => /OpenSSL (\d+\.\d+\.\d+[a-z]*(?:-[\w.]+)?)/.exec(t)?.[1]).filter((v): v is string => v !== undefined);
  return [...new Set(versions)];
}
