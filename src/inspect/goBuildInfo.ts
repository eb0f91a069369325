/**
 * Go build information, read the way `go version -m` (debug/buildinfo) reads it: the 32-byte
 * header starting "\xff Go buildinf:" at a 16-byte boundary in `.go.buildinfo` (or, without
 * section headers, in the first writable non-executable PT_LOAD segment), followed by the Go
 * version and the module info: `path`, `mod`, `dep` lines and the `build` settings where
 * `GOEXPERIMENT=boringcrypto`, `GOFIPS140=v1.0.0` and `CGO_ENABLED` are recorded. Go 1.18+
 * writes the strings inline (varint-prefixed); older binaries point at them by virtual
 * address, which is mapped back to the file through the program headers. Every length and
 * address is checked; a damaged header is EBADELF, a file without the magic is just not Go.
 */
import { badElf } from './errors.js';
import { Fields, inFile, PF, PT, sectionByName, vaddrToOffset, type ElfFile } from './elf.js';

const MAGIC = '\xff Go buildinf:';
const HEADER_SIZE = 32;
const SEARCH_BYTES = 64 * 1024;
const MAX_STRING = 1024 * 1024;
const UTF8 = new TextDecoder('utf-8');

export interface GoModule {
  path: string;
  version: string;
}

export interface GoBuildInfo {
  /** runtime.buildVersion, e.g. `go1.19.8 X:boringcrypto`. */
  goVersion: string;
  /** The main package path (`path` line). */
  path: string | null;
  main: GoModule | null;
  deps: GoModule[];
  /** `build` lines in order: `-compiler=gc`, `CGO_ENABLED=1`, `GOEXPERIMENT=boringcrypto`, ... */
  settings: { key: string; value: string }[];
  /** Where the header was found: `.go.buildinfo` or `data segment`. */
  location: string;
}

/** The Go build info of `elf`, or null when it is not a Go binary (no magic found). */
export function readGoBuildInfo(elf: ElfFile): GoBuildInfo | null {
  const file = elf.source.name;
  const section = sectionByName(elf, '.go.buildinfo');
  const segment = elf.segments.find((s) => s.type === PT.LOAD && (s.flags & (PF.X | PF.W)) === PF.W && s.filesz > 0);
  const where = section && inFile(section) ? { offset: section.offset, size: section.size, location: '.go.buildinfo' } : segment ? { offset: segment.offset, size: segment.filesz, location: 'data segment' } : null;
  if (!where) return null;
  const data = elf.source.read(where.offset, Math.min(where.size, SEARCH_BYTES));
  const text = elf.source.text(where.offset, data.length);
  let at = text.indexOf(MAGIC);
  while (at >= 0 && at % 16 !== 0) at = text.indexOf(MAGIC, at + 1);
  if (at < 0) return null;
  if (data.length - at < HEADER_SIZE) badElf(file, `the Go build info header at ${where.location}+${at} is cut short`);
  const ptrSize = data[at + 14]!;
  const flags = data[at + 15]!;
  let goVersion: string;
  let modinfo: string;
  if ((flags & 2) !== 0) {
    const cursor = { at: at + HEADER_SIZE };
    goVersion = inlineString(file, data, cursor);
    modinfo = inlineString(file, data, cursor);
  } else {
    if (ptrSize !== 4 && ptrSize !== 8) badElf(file, `the Go build info header gives a pointer size of ${ptrSize}`);
    const f = new Fields(data.subarray(at, at + HEADER_SIZE), (flags & 1) === 0, file);
    const pointer = (o: number) => (ptrSize === 8 ? f.u64(o) : f.u32(o));
    goVersion = pointedString(elf, pointer(16), ptrSize, (flags & 1) === 0);
    modinfo = pointedString(elf, pointer(16 + ptrSize), ptrSize, (flags & 1) === 0);
  }
  if (goVersion === '') return null;
  // cmd/go frames the module info with 16-byte sentinels (modload.infoStart / infoEnd).
  const framed = modinfo.length >= 33 && modinfo.charAt(modinfo.length - 17) === '\n';
  return { goVersion, ...parseModinfo(framed ? modinfo.slice(16, -16) : ''), location: where.location };
}

/** A uvarint-length-prefixed string at `cursor.at`, advancing it (Go 1.18+ inline format). */
function inlineString(file: string, data: Uint8Array, cursor: { at: number }): string {
  let length = 0;
  let shift = 0;
  for (let i = 0; ; i++) {
    const b = data[cursor.at];
    if (b === undefined || i >= 5) badElf(file, 'a Go build info string length is cut short or too long');
    cursor.at++;
    length += (b & 0x7f) * 2 ** shift;
    shift += 7;
    if ((b & 0x80) === 0) break;
  }
  if (length > MAX_STRING || length > data.length - cursor.at) badElf(file, `a Go build info string of ${length} bytes runs past the data read (${data.length - cursor.at} bytes left)`);
  const s = UTF8.decode(data.subarray(cursor.at, cursor.at + length));
  cursor.at += length;
  return s;
}

/** A Go string header (data pointer, length) at virtual address `addr` (pre-1.18 format). */
function pointedString(elf: ElfFile, addr: number, ptrSize: number, littleEndian: boolean): string {
  const file = elf.source.name;
  const headerAt = vaddrToOffset(elf, addr, 2 * ptrSize);
  if (headerAt === null) badElf(file, `Go build info points at 0x${addr.toString(16)}, which is not mapped from the file`);
  const f = new Fields(elf.source.read(headerAt, 2 * ptrSize), littleEndian, file);
  const dataAddr = ptrSize === 8 ? f.u64(0) : f.u32(0);
  const length = ptrSize === 8 ? f.u64(8) : f.u32(4);
  if (length > MAX_STRING) badElf(file, `a Go build info string claims ${length} bytes`);
  if (length === 0) return '';
  const dataAt = vaddrToOffset(elf, dataAddr, length);
  if (dataAt === null) badElf(file, `a Go build info string at 0x${dataAddr.toString(16)} (${length} bytes) is not mapped from the file`);
  return UTF8.decode(elf.source.read(dataAt, length));
}

function unquote(s: string): string {
  if (!s.startsWith('"')) return s;
  try {
    return JSON.parse(s) as string;
  } catch {
    return s;
  }
}

/** The module info text: tab-separated `path`, `mod`, `dep`, `=>` and `build` lines. */
function parseModinfo(text: string): Pick<GoBuildInfo, 'path' | 'main' | 'deps' | 'settings'> {
  const out: Pick<GoBuildInfo, 'path' | 'main' | 'deps' | 'settings'> = { path: null, main: null, deps: [], settings: [] };
  for (const line of text.split('\n')) {
    const [kind, a = '', b = ''] = line.split('\t');
    if (kind === 'path') out.path = a;
    else if (kind === 'mod') out.main = { path: a, version: b };
    else if (kind === 'dep') out.deps.push({ path: a, version: b });
    else if (kind === '=>' && out.deps.length > 0) out.deps[out.deps.length - 1] = { path: a, version: b };
    else if (kind === 'build') {
      const setting = line.slice('build\t'.length);
      // Keys and values with spaces, tabs, quotes or '=' are quoted by cmd/go (strconv.Quote).
      const m = /^("(?:[^"\\]|\\.)*"|[^=]*)=(.*)$/.exec(setting);
      if (m) out.settings.push({ key: unquote(m[1]!), value: unquote(m[2]!) });
    }
  }
  return out;
}

/** The value of a `build` setting, or undefined. */
export function goSetting(info: GoBuildInfo, key: string): string | undefined {
  return info.settings.find((s) => s.key === key)?.value;
}
