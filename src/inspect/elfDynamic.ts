/**
 * What an ELF file says about how it is loaded: the interpreter (PT_INTERP), the libraries it
 * needs (DT_NEEDED, with DT_RUNPATH / DT_RPATH), and its notes (the Go build ID lives in
 * `.note.go.buildid`). Pure and bounded like elf.ts: entry counts are capped by the section
 * size and by a fixed limit, every string is looked up inside its table, and a dynamic string
 * table found only through DT_STRTAB must map into the file. (gABI chapter 5, "Dynamic Section".)
 */
import { badElf } from './errors.js';
import { Fields, inFile, latin1, PT, SHT, stringAt, vaddrToOffset, type ElfFile, type ElfSection } from './elf.js';

const DT = { NULL: 0, NEEDED: 1, STRTAB: 5, STRSZ: 10, SONAME: 14, RPATH: 15, RUNPATH: 29 } as const;
const MAX_DYNAMIC_ENTRIES = 1 << 16;
const MAX_STRTAB = 16 * 1024 * 1024;
const MAX_NOTES = 256;
const MAX_NOTE_SECTION = 1024 * 1024;

export interface DynamicInfo {
  needed: string[];
  /** DT_RUNPATH, else DT_RPATH, split on ':' (may hold $ORIGIN). */
  searchPath: string[];
  soname: string | null;
}

/** The program interpreter (`/lib64/ld-linux-x86-64.so.2`), or null for a static binary. */
export function interpreter(elf: ElfFile): string | null {
  const seg = elf.segments.find((s) => s.type === PT.INTERP);
  if (!seg || seg.filesz === 0) return null;
  const bytes = elf.source.read(seg.offset, Math.min(seg.filesz, 4096));
  const end = bytes.indexOf(0);
  return latin1(end < 0 ? bytes : bytes.subarray(0, end));
}

interface DynamicEntry {
  tag: number;
  value: number;
}

/** The DT_ tags fipscan reads. */
const READ_TAGS: ReadonlySet<number> = new Set([DT.NEEDED, DT.STRTAB, DT.STRSZ, DT.SONAME, DT.RPATH, DT.RUNPATH]);

/** The dynamic table's entries with a tag fipscan reads, up to DT_NULL (at most MAX_DYNAMIC_ENTRIES). */
function dynamicEntries(elf: ElfFile, where: { offset: number; size: number }): DynamicEntry[] {
  const { bits, littleEndian } = elf.header;
  const entrySize = bits === 64 ? 16 : 8;
  const count = Math.min(Math.floor(where.size / entrySize), MAX_DYNAMIC_ENTRIES);
  const f = new Fields(elf.source.read(where.offset, count * entrySize), littleEndian, elf.source.name);
  const entries: DynamicEntry[] = [];
  for (let i = 0; i < count; i++) {
    const base = i * entrySize;
    // Tags are signed in the ABI; processor- and OS-specific ones can exceed 2^53, and they are
    // not ones fipscan reads, so only the low 32 bits of the tag are kept.
    const tag = bits === 64 ? (littleEndian ? f.u32(base) : f.u32(base + 4)) : f.u32(base);
    const hiTag = bits === 64 ? (littleEndian ? f.u32(base + 4) : f.u32(base)) : 0;
    if (tag === DT.NULL && hiTag === 0) break;
    if (hiTag !== 0 || !READ_TAGS.has(tag)) continue;
    entries.push({ tag, value: f.word(base + entrySize / 2, bits) });
  }
  return entries;
}

/**
 * The dynamic string table: the section the dynamic section links to, or (with no section
 * headers) the one DT_STRTAB / DT_STRSZ name, which must map into the file.
 */
function dynamicStrings(elf: ElfFile, section: ElfSection | undefined, entries: readonly DynamicEntry[]): Uint8Array {
  const file = elf.source.name;
  const linked = section ? elf.sections[section.link] : undefined;
  if (section && linked && linked.type === SHT.STRTAB && linked.index !== section.index) {
    if (linked.size > MAX_STRTAB) badElf(file, `the dynamic string table is larger than ${MAX_STRTAB} bytes`);
    return elf.source.read(linked.offset, linked.size);
  }
  if (section && section.link !== 0) badElf(file, `the dynamic section links to section ${section.link}, which is not a string table`);
  const addr = entries.find((e) => e.tag === DT.STRTAB)?.value;
  const size = entries.find((e) => e.tag === DT.STRSZ)?.value;
  if (addr === undefined || size === undefined) badElf(file, 'the dynamic table has no DT_STRTAB / DT_STRSZ');
  if (size > MAX_STRTAB) badElf(file, `DT_STRSZ ${size} is larger than ${MAX_STRTAB} bytes`);
  const offset = vaddrToOffset(elf, addr, size);
  if (offset === null) badElf(file, `DT_STRTAB 0x${addr.toString(16)} (${size} bytes) is not mapped from the file`);
  return elf.source.read(offset, size);
}

/** DT_NEEDED and friends; empty for a static binary. Throws EBADELF on an inconsistent table. */
export function dynamicInfo(elf: ElfFile): DynamicInfo {
  const file = elf.source.name;
  const empty: DynamicInfo = { needed: [], searchPath: [], soname: null };
  const section = elf.sections.find((s) => s.type === SHT.DYNAMIC);
  const segment = elf.segments.find((s) => s.type === PT.DYNAMIC);
  const where = section && inFile(section) ? { offset: section.offset, size: section.size } : segment && segment.filesz > 0 ? { offset: segment.offset, size: segment.filesz } : null;
  if (!where) return empty;
  const entries = dynamicEntries(elf, where);
  if (!entries.some((e) => e.tag === DT.NEEDED || e.tag === DT.SONAME || e.tag === DT.RPATH || e.tag === DT.RUNPATH)) return empty;
  const strings = dynamicStrings(elf, section, entries);
  const lookup = (value: number, what: string): string => {
    const s = stringAt(strings, value);
    if (s === null) badElf(file, `${what} string offset ${value} lies outside the dynamic string table`);
    return s;
  };
  const needed = entries.filter((e) => e.tag === DT.NEEDED).map((e) => lookup(e.value, 'DT_NEEDED'));
  const runpath = entries.find((e) => e.tag === DT.RUNPATH) ?? entries.find((e) => e.tag === DT.RPATH);
  const soname = entries.find((e) => e.tag === DT.SONAME);
  return {
    needed,
    searchPath: runpath ? lookup(runpath.value, 'DT_RUNPATH').split(':').filter((p) => p !== '') : [],
    soname: soname ? lookup(soname.value, 'DT_SONAME') : null,
  };
}

export interface ElfNote {
  name: string;
  type: number;
  desc: Uint8Array;
  /** The section it came from, e.g. `.note.go.buildid`. */
  section: string;
}

/** The notes of every SHT_NOTE section (at most 256, each section at most 1 MiB). */
function notes(elf: ElfFile): ElfNote[] {
  const file = elf.source.name;
  const out: ElfNote[] = [];
  for (const section of elf.sections) {
    if (section.type !== SHT.NOTE || !inFile(section) || section.size > MAX_NOTE_SECTION) continue;
    const f = new Fields(elf.source.read(section.offset, section.size), elf.header.littleEndian, file);
    let at = 0;
    // Each note is 12 bytes of header plus 4-aligned name and descriptor, so `at` always advances.
    while (at + 12 <= section.size && out.length < MAX_NOTES) {
      const namesz = f.u32(at);
      const descsz = f.u32(at + 4);
      const type = f.u32(at + 8);
      const nameAt = at + 12;
      const descAt = nameAt + align4(namesz);
      const end = descAt + align4(descsz);
      if (descAt > section.size || descAt + descsz > section.size) badElf(file, `a note in ${section.name || `section ${section.index}`} runs past the end of its section`);
      const nameBytes = f.bytes.subarray(nameAt, nameAt + namesz);
      const nul = nameBytes.indexOf(0);
      out.push({ name: latin1(nul < 0 ? nameBytes : nameBytes.subarray(0, nul)), type, desc: f.bytes.subarray(descAt, descAt + descsz), section: section.name });
      at = end;
    }
  }
  return out;
}

function align4(n: number): number {
  return n + ((4 - (n % 4)) % 4);
}

/** The Go build ID from `.note.go.buildid` (name "Go", type 4), or null. */
export function goBuildId(elf: ElfFile): string | null {
  const note = notes(elf).find((n) => n.name === 'Go' && n.type === 4);
  return note ? latin1(note.desc) : null;
}
