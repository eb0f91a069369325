/**
 * A pure ELF reader (ELF32 and ELF64, little- and big-endian) over a `ByteSource`: the file
 * header, the section headers with their names, and the program headers. It never trusts a
 * number from the file: every offset and size is checked against the file size before it is
 * read, counts are checked against what the file could hold before anything is allocated, and
 * sections may not overlap the headers or each other. Whatever is wrong ends in one
 * `InspectError` with code EBADELF and a one-line message, so a truncated, damaged or hostile
 * file costs a few reads, not a crash or a hang. (ELF: System V ABI, "gABI" chapter 4.)
 */
import { badElf } from './errors.js';

/** Random access to a file's bytes, so big binaries never have to sit in memory whole. */
export interface ByteSource {
  /** The path (or a label), used in error messages. */
  readonly name: string;
  readonly size: number;
  /** Exactly `length` bytes at `offset`; callers stay within `size`. */
  read(offset: number, length: number): Uint8Array;
  /** The same bytes as a string whose character codes are the byte values (see `latin1`), for searching. */
  text(offset: number, length: number): string;
}

/** A ByteSource over bytes already in memory. */
export function bytesSource(bytes: Uint8Array, name = '<memory>'): ByteSource {
  return { name, size: bytes.length, read: (offset, length) => bytes.subarray(offset, offset + length), text: (offset, length) => latin1(bytes.subarray(offset, offset + length)) };
}

/** Caps on what one file may make the reader allocate or iterate. */
export const ELF_LIMITS = {
  sections: 1 << 20,
  segments: 1 << 16,
  /** Largest single table read whole: section headers, a string table, a symbol table chunk. */
  tableBytes: 64 * 1024 * 1024,
} as const;

export const SHT = { NULL: 0, PROGBITS: 1, SYMTAB: 2, STRTAB: 3, DYNAMIC: 6, NOTE: 7, NOBITS: 8, DYNSYM: 11 } as const;
export const PT = { LOAD: 1, DYNAMIC: 2, INTERP: 3, NOTE: 4 } as const;
export const PF = { X: 1, W: 2, R: 4 } as const;

export interface ElfHeader {
  bits: 32 | 64;
  littleEndian: boolean;
  /** e_type: 2 executable, 3 shared object (or PIE). */
  type: number;
  machine: number;
  headerSize: number;
}

export interface ElfSection {
  index: number;
  name: string;
  type: number;
  flags: number;
  addr: number;
  offset: number;
  size: number;
  link: number;
  info: number;
  entsize: number;
}

export interface ElfSegment {
  type: number;
  flags: number;
  offset: number;
  vaddr: number;
  filesz: number;
  memsz: number;
}

export interface ElfFile {
  source: ByteSource;
  header: ElfHeader;
  sections: ElfSection[];
  segments: ElfSegment[];
}

/** Fixed-width fields of one header, in the file's byte order; 64-bit values must fit a double. */
export class Fields {
  private readonly view: DataView;
  constructor(
    readonly bytes: Uint8Array,
    private readonly littleEndian: boolean,
    private readonly file: string,
  ) {
    this.view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  }
  u8(at: number): number {
    return this.view.getUint8(at);
  }
  u16(at: number): number {
    return this.view.getUint16(at, this.littleEndian);
  }
  u32(at: number): number {
    return this.view.getUint32(at, this.littleEndian);
  }
  u64(at: number): number {
    const value = this.view.getBigUint64(at, this.littleEndian);
    if (value > BigInt(Number.MAX_SAFE_INTEGER)) badElf(this.file, `64-bit field value 0x${value.toString(16)} is larger than any file`);
    return Number(value);
  }
  /** An address-sized field: 4 bytes in ELF32, 8 in ELF64. */
  word(at: number, bits: 32 | 64): number {
    return bits === 64 ? this.u64(at) : this.u32(at);
  }
}

/** Throws EBADELF unless [offset, offset + length) lies inside the file. */
function checkRange(source: ByteSource, offset: number, length: number, what: string): void {
  if (offset > source.size || length > source.size - offset) {
    badElf(source.name, `${what} (${length} bytes at offset ${offset}) runs past the end of the file (${source.size} bytes)`);
  }
}

/** The NUL-terminated string at `offset` in a string table, or null when none ends there. */
export function stringAt(table: Uint8Array, offset: number): string | null {
  if (offset >= table.length) return null;
  const end = table.indexOf(0, offset);
  if (end < 0) return null;
  return latin1(table.subarray(offset, end));
}

/**
 * Bytes as a string of the same length, character code = byte value (ISO-8859-1). Not
 * TextDecoder('latin1'), which is windows-1252 and maps 0x80-0x9f elsewhere, depending on the
 * Node version; byte patterns must match the same way in every ByteSource.
 */
export function latin1(bytes: Uint8Array): string {
  let out = '';
  for (let i = 0; i < bytes.length; i += 8192) out += String.fromCharCode(...bytes.subarray(i, i + 8192));
  return out;
}

function parseHeader(source: ByteSource): { header: ElfHeader; f: Fields; bits: 32 | 64 } {
  const file = source.name;
  if (source.size < 16) badElf(file, `${source.size} bytes is too short for an ELF identification (16 bytes)`);
  const ident = source.read(0, 16);
  if (ident[0] !== 0x7f || ident[1] !== 0x45 || ident[2] !== 0x4c || ident[3] !== 0x46) badElf(file, 'no \\x7fELF magic: not an ELF file');
  const bits = ident[4] === 1 ? 32 : ident[4] === 2 ? 64 : badElf(file, `unknown ELF class ${ident[4]}`);
  const littleEndian = ident[5] === 1 ? true : ident[5] === 2 ? false : badElf(file, `unknown ELF data encoding ${ident[5]}`);
  if (ident[6] !== 1) badElf(file, `unknown ELF version ${ident[6]}`);
  const headerSize = bits === 64 ? 64 : 52;
  if (source.size < headerSize) badElf(file, `truncated ELF header: ${source.size} of ${headerSize} bytes`);
  const f = new Fields(source.read(0, headerSize), littleEndian, file);
  return { header: { bits, littleEndian, type: f.u16(16), machine: f.u16(18), headerSize }, f, bits };
}

/** Reads and validates the headers of an ELF file. Throws InspectError EBADELF. */
export function parseElf(source: ByteSource): ElfFile {
  const file = source.name;
  const { header, f, bits } = parseHeader(source);
  const at = bits === 64 ? { phoff: 32, shoff: 40, phent: 54 } : { phoff: 28, shoff: 32, phent: 42 };
  const phoff = f.word(at.phoff, bits);
  const shoff = f.word(at.shoff, bits);
  const phentsize = f.u16(at.phent);
  let phnum = f.u16(at.phent + 2);
  const shentsize = f.u16(at.phent + 4);
  let shnum = f.u16(at.phent + 6);
  let shstrndx = f.u16(at.phent + 8);
  const shMin = bits === 64 ? 64 : 40;
  const phMin = bits === 64 ? 56 : 32;

  if (shoff === 0 && shnum !== 0) badElf(file, `e_shnum is ${shnum} but there is no section header table (e_shoff 0)`);
  if (shoff !== 0) {
    if (shentsize < shMin) badElf(file, `e_shentsize ${shentsize} is smaller than a section header (${shMin} bytes)`);
    if (shoff < header.headerSize) badElf(file, `the section header table (offset ${shoff}) overlaps the ELF header`);
    checkRange(source, shoff, shentsize, 'section header 0');
    // Extended numbering (gABI "Sections"): the real counts live in section header 0.
    if (shnum === 0 || shstrndx === 0xffff || phnum === 0xffff) {
      const zero = readSectionHeader(new Fields(source.read(shoff, shentsize), header.littleEndian, file), 0, bits);
      if (shnum === 0) shnum = zero.size;
      if (shstrndx === 0xffff) shstrndx = zero.link;
      if (phnum === 0xffff) phnum = zero.info;
    }
    if (shnum > ELF_LIMITS.sections) badElf(file, `${shnum} section headers is more than the ${ELF_LIMITS.sections} fipscan reads`);
    checkRange(source, shoff, shnum * shentsize, `the section header table (${shnum} × ${shentsize} bytes)`);
    if (shnum * shentsize > ELF_LIMITS.tableBytes) badElf(file, `the section header table is larger than ${ELF_LIMITS.tableBytes} bytes`);
  }
  if (phoff === 0 && phnum !== 0) badElf(file, `e_phnum is ${phnum} but there is no program header table (e_phoff 0)`);
  if (phnum > ELF_LIMITS.segments) badElf(file, `${phnum} program headers is more than the ${ELF_LIMITS.segments} fipscan reads`);
  if (phnum > 0) {
    if (phentsize < phMin) badElf(file, `e_phentsize ${phentsize} is smaller than a program header (${phMin} bytes)`);
    checkRange(source, phoff, phnum * phentsize, `the program header table (${phnum} × ${phentsize} bytes)`);
  }

  const sections = shnum > 0 ? readSections(source, header, shoff, shnum, shentsize, shstrndx) : [];
  const segments = phnum > 0 ? readSegments(source, header, phoff, phnum, phentsize) : [];
  return { source, header, sections, segments };
}

/** The program headers (the table's range already checked), each segment's bytes checked to lie in the file. */
function readSegments(source: ByteSource, header: ElfHeader, phoff: number, phnum: number, phentsize: number): ElfSegment[] {
  const table = new Fields(source.read(phoff, phnum * phentsize), header.littleEndian, source.name);
  const segments: ElfSegment[] = [];
  for (let i = 0; i < phnum; i++) {
    const base = i * phentsize;
    const s: ElfSegment =
      header.bits === 64
        ? { type: table.u32(base), flags: table.u32(base + 4), offset: table.u64(base + 8), vaddr: table.u64(base + 16), filesz: table.u64(base + 32), memsz: table.u64(base + 40) }
        : { type: table.u32(base), offset: table.u32(base + 4), vaddr: table.u32(base + 8), filesz: table.u32(base + 16), memsz: table.u32(base + 20), flags: table.u32(base + 24) };
    if (s.filesz > 0) checkRange(source, s.offset, s.filesz, `program header ${i} (type ${s.type})`);
    segments.push(s);
  }
  return segments;
}

function readSectionHeader(f: Fields, base: number, bits: 32 | 64): Omit<ElfSection, 'index' | 'name'> & { nameOffset: number } {
  if (bits === 64) {
    return {
      nameOffset: f.u32(base), type: f.u32(base + 4), flags: f.u64(base + 8), addr: f.u64(base + 16), offset: f.u64(base + 24),
      size: f.u64(base + 32), link: f.u32(base + 40), info: f.u32(base + 44), entsize: f.u64(base + 56),
    };
  }
  return {
    nameOffset: f.u32(base), type: f.u32(base + 4), flags: f.u32(base + 8), addr: f.u32(base + 12), offset: f.u32(base + 16),
    size: f.u32(base + 20), link: f.u32(base + 24), info: f.u32(base + 28), entsize: f.u32(base + 36),
  };
}

/** Whether a section's bytes are in the file (NOBITS sections, like .bss, take no file space). */
export function inFile(s: { type: number; size: number }): boolean {
  return s.type !== SHT.NULL && s.type !== SHT.NOBITS && s.size > 0;
}

function readSections(source: ByteSource, header: ElfHeader, shoff: number, shnum: number, shentsize: number, shstrndx: number): ElfSection[] {
  const file = source.name;
  const table = new Fields(source.read(shoff, shnum * shentsize), header.littleEndian, file);
  const raw = [];
  for (let i = 0; i < shnum; i++) {
    const s = readSectionHeader(table, i * shentsize, header.bits);
    if (inFile(s)) checkRange(source, s.offset, s.size, `section ${i} (type ${s.type})`);
    raw.push(s);
  }
  let names: Uint8Array | null = null;
  if (shstrndx !== 0) {
    const strtab = raw[shstrndx];
    if (strtab === undefined) badElf(file, `e_shstrndx ${shstrndx} names no section (there are ${shnum})`);
    if (strtab.type !== SHT.STRTAB) badElf(file, `e_shstrndx ${shstrndx} is a section of type ${strtab.type}, not a string table`);
    if (strtab.size > ELF_LIMITS.tableBytes) badElf(file, `the section name table is larger than ${ELF_LIMITS.tableBytes} bytes`);
    names = source.read(strtab.offset, strtab.size);
  }
  const sections = raw.map(({ nameOffset, ...s }, index): ElfSection => {
    let name = '';
    if (names && (index !== 0 || nameOffset !== 0)) {
      const found = stringAt(names, nameOffset);
      if (found === null) badElf(file, `the name of section ${index} (offset ${nameOffset}) runs past the end of the section name table`);
      name = found;
    }
    return { index, name, ...s };
  });
  checkOverlaps(source, header, shoff, shnum * shentsize, sections);
  return sections;
}

/** Sections overlapping the headers or each other mean offsets crafted to alias one another. */
function checkOverlaps(source: ByteSource, header: ElfHeader, shoff: number, shsize: number, sections: readonly ElfSection[]): void {
  const label = (s: ElfSection) => `section ${s.index}${s.name ? ` (${s.name})` : ''}`;
  const ranges = [
    { start: 0, end: header.headerSize, what: 'the ELF header' },
    { start: shoff, end: shoff + shsize, what: 'the section header table' },
    ...sections.filter(inFile).map((s) => ({ start: s.offset, end: s.offset + s.size, what: label(s) })),
  ].sort((a, b) => a.start - b.start || a.end - b.end);
  for (let i = 1; i < ranges.length; i++) {
    const previous = ranges[i - 1]!;
    const current = ranges[i]!;
    if (current.start < previous.end) badElf(source.name, `${current.what} (offset ${current.start}) overlaps ${previous.what}`);
  }
}

/** The section named `name`, if any. */
export function sectionByName(elf: ElfFile, name: string): ElfSection | undefined {
  return elf.sections.find((s) => s.name === name);
}

/** The file offset of `length` bytes at virtual address `vaddr`, via the PT_LOAD segments; null if unmapped. */
export function vaddrToOffset(elf: ElfFile, vaddr: number, length: number): number | null {
  for (const s of elf.segments) {
    if (s.type !== PT.LOAD) continue;
    if (vaddr >= s.vaddr && vaddr - s.vaddr <= s.filesz && length <= s.filesz - (vaddr - s.vaddr)) return s.offset + (vaddr - s.vaddr);
  }
  return null;
}

const MACHINES: Record<number, string> = { 3: 'x86', 8: 'MIPS', 20: 'PowerPC', 21: 'PowerPC64', 22: 's390x', 40: 'ARM', 62: 'x86-64', 183: 'AArch64', 243: 'RISC-V' };

/** `ELF64 LE x86-64 executable`: the header in words, for the report. A PIE is type 3 with an interpreter. */
export function describeElf(header: ElfHeader, hasInterpreter = false): string {
  const type = header.type === 2 ? 'executable' : header.type === 3 ? (hasInterpreter ? 'PIE executable' : 'shared object') : header.type === 1 ? 'relocatable' : header.type === 4 ? 'core' : `type ${header.type}`;
  return `ELF${header.bits} ${header.littleEndian ? 'LE' : 'BE'} ${MACHINES[header.machine] ?? `machine ${header.machine}`} ${type}`;
}
