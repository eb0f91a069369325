/**
 * Builds small ELF files in memory for the parser tests: ELF32 or ELF64, either byte order,
 * with the sections and segments a test asks for (symbol tables, a dynamic section, notes, a
 * Go build info blob), and reports where each header and field landed so a test can corrupt
 * exactly one of them. The layout is header, program headers, section data, the section name
 * table, and the section header table last.
 */

export interface SectionSpec {
  name: string;
  type: number;
  data?: Uint8Array;
  /** Size of a NOBITS section (no data in the file). */
  size?: number;
  /** Index of the linked section, counting the NULL section as 0. */
  link?: number;
  info?: number;
  entsize?: number;
  flags?: number;
}

export interface SegmentSpec {
  type: number;
  flags: number;
  /** The segment covers this section's bytes. */
  section: string;
}

export interface BuiltElf {
  bytes: Uint8Array;
  bits: 32 | 64;
  littleEndian: boolean;
  phoff: number;
  shoff: number;
  shentsize: number;
  /** File offset of each section's data, by index (0 is the NULL section). */
  sectionOffsets: number[];
  /** Index of each section by name. */
  index: Record<string, number>;
  /** The virtual address each section is given (offset + BASE). */
  addr(offset: number): number;
}

export const BASE = 0x400000;

class Out {
  bytes = new Uint8Array(1 << 16);
  view = new DataView(this.bytes.buffer);
  length = 0;
  constructor(readonly littleEndian: boolean) {}
  at(n: number): void {
    this.length = n;
  }
  align(n: number): void {
    while (this.length % n !== 0) this.length++;
  }
  u8(v: number): void {
    this.view.setUint8(this.length, v);
    this.length += 1;
  }
  u16(v: number): void {
    this.view.setUint16(this.length, v, this.littleEndian);
    this.length += 2;
  }
  u32(v: number): void {
    this.view.setUint32(this.length, v, this.littleEndian);
    this.length += 4;
  }
  u64(v: number): void {
    this.view.setBigUint64(this.length, BigInt(v), this.littleEndian);
    this.length += 8;
  }
  word(v: number, bits: 32 | 64): void {
    if (bits === 64) this.u64(v);
    else this.u32(v);
  }
  raw(b: Uint8Array): void {
    this.bytes.set(b, this.length);
    this.length += b.length;
  }
}

export interface ElfSpec {
  bits?: 32 | 64;
  littleEndian?: boolean;
  type?: number;
  machine?: number;
  sections: SectionSpec[];
  segments?: SegmentSpec[];
}

/** An ELF file with the given sections (plus NULL and .shstrtab) and segments. */
export function buildElf(spec: ElfSpec): BuiltElf {
  const bits = spec.bits ?? 64;
  const littleEndian = spec.littleEndian ?? true;
  const o = new Out(littleEndian);
  const ehsize = bits === 64 ? 64 : 52;
  const phentsize = bits === 64 ? 56 : 32;
  const shentsize = bits === 64 ? 64 : 40;
  const segments = spec.segments ?? [];
  const sections: SectionSpec[] = [{ name: '', type: 0 }, ...spec.sections];
  const names = new TextEncoder().encode(`\0${sections.slice(1).map((s) => `${s.name}\0`).join('')}.shstrtab\0`);
  sections.push({ name: '.shstrtab', type: 3, data: names });
  const nameOffsets: number[] = [];
  let cursor = 1;
  for (const s of sections.slice(1)) {
    nameOffsets.push(cursor);
    cursor += new TextEncoder().encode(s.name).length + 1;
  }
  const phoff = segments.length > 0 ? ehsize : 0;
  o.at(ehsize + segments.length * phentsize);
  const offsets: number[] = [0];
  for (const s of sections.slice(1)) {
    o.align(8);
    offsets.push(o.length);
    if (s.data) o.raw(s.data);
  }
  o.align(8);
  const shoff = o.length;
  const index: Record<string, number> = {};
  sections.forEach((s, i) => {
    if (i > 0) index[s.name] = i;
    const size = s.data ? s.data.length : (s.size ?? 0);
    o.u32(i === 0 ? 0 : nameOffsets[i - 1]!);
    o.u32(s.type);
    o.word(s.flags ?? 0, bits);
    o.word(i === 0 ? 0 : BASE + offsets[i]!, bits);
    o.word(offsets[i]!, bits);
    o.word(size, bits);
    o.u32(s.link ?? 0);
    o.u32(s.info ?? 0);
    o.word(8, bits);
    o.word(s.entsize ?? 0, bits);
  });
  const end = o.length;
  // ELF header.
  o.at(0);
  o.raw(Uint8Array.from([0x7f, 0x45, 0x4c, 0x46, bits === 64 ? 2 : 1, littleEndian ? 1 : 2, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0]));
  o.u16(spec.type ?? 2);
  o.u16(spec.machine ?? 62);
  o.u32(1);
  o.word(0, bits);
  o.word(phoff, bits);
  o.word(shoff, bits);
  o.u32(0);
  o.u16(ehsize);
  o.u16(phentsize);
  o.u16(segments.length);
  o.u16(shentsize);
  o.u16(sections.length);
  o.u16(sections.length - 1);
  // Program headers.
  segments.forEach((seg) => {
    const i = index[seg.section]!;
    const s = sections[i]!;
    const size = s.data ? s.data.length : 0;
    if (bits === 64) {
      o.u32(seg.type);
      o.u32(seg.flags);
      o.u64(offsets[i]!);
      o.u64(BASE + offsets[i]!);
      o.u64(BASE + offsets[i]!);
      o.u64(size);
      o.u64(size);
      o.u64(8);
    } else {
      o.u32(seg.type);
      o.u32(offsets[i]!);
      o.u32(BASE + offsets[i]!);
      o.u32(BASE + offsets[i]!);
      o.u32(size);
      o.u32(size);
      o.u32(seg.flags);
      o.u32(8);
    }
  });
  return { bytes: o.bytes.slice(0, end), bits, littleEndian, phoff, shoff, shentsize, sectionOffsets: offsets, index, addr: (offset) => BASE + offset };
}

/** A copy of `bytes` with an unsigned field of `width` bytes at `offset` set to `value`. */
export function patch(elf: BuiltElf, offset: number, width: 2 | 4 | 8, value: number): Uint8Array {
  const copy = elf.bytes.slice();
  const view = new DataView(copy.buffer);
  if (width === 2) view.setUint16(offset, value, elf.littleEndian);
  else if (width === 4) view.setUint32(offset, value, elf.littleEndian);
  else view.setBigUint64(offset, BigInt(value), elf.littleEndian);
  return copy;
}

/** Offsets of ELF header fields (e_phoff, e_shoff, e_shentsize, e_shnum, e_shstrndx, ...). */
export function headerField(bits: 32 | 64, name: 'phoff' | 'shoff' | 'phentsize' | 'phnum' | 'shentsize' | 'shnum' | 'shstrndx'): { offset: number; width: 2 | 4 | 8 } {
  const word = bits === 64 ? 8 : 4;
  const base = bits === 64 ? 52 : 40;
  const table = {
    phoff: { offset: bits === 64 ? 32 : 28, width: word },
    shoff: { offset: bits === 64 ? 40 : 32, width: word },
    phentsize: { offset: base + 2, width: 2 },
    phnum: { offset: base + 4, width: 2 },
    shentsize: { offset: base + 6, width: 2 },
    shnum: { offset: base + 8, width: 2 },
    shstrndx: { offset: base + 10, width: 2 },
  } as const;
  return table[name] as { offset: number; width: 2 | 4 | 8 };
}

/** Offset of a field of section header `i`: name, type, offset, size, link, entsize. */
export function sectionField(elf: BuiltElf, i: number, name: 'type' | 'offset' | 'size' | 'link' | 'entsize'): { offset: number; width: 4 | 8 } {
  const base = elf.shoff + i * elf.shentsize;
  const w = elf.bits === 64 ? 8 : 4;
  const at = elf.bits === 64 ? { type: 4, offset: 24, size: 32, link: 40, entsize: 56 } : { type: 4, offset: 16, size: 20, link: 24, entsize: 36 };
  return { offset: base + at[name], width: name === 'type' || name === 'link' ? 4 : w };
}

/** A symbol table and its string table for `names` (entry 0 is the null symbol). */
export function symbols(names: readonly string[], bits: 32 | 64, littleEndian: boolean): { symtab: Uint8Array; strtab: Uint8Array } {
  const entsize = bits === 64 ? 24 : 16;
  const strtab = new TextEncoder().encode(`\0${names.map((n) => `${n}\0`).join('')}`);
  const symtab = new Uint8Array((names.length + 1) * entsize);
  const view = new DataView(symtab.buffer);
  let at = 1;
  names.forEach((n, i) => {
    view.setUint32((i + 1) * entsize, at, littleEndian);
    at += new TextEncoder().encode(n).length + 1;
  });
  return { symtab, strtab };
}

/** A dynamic section: (tag, value) pairs and DT_NULL. */
export function dynamic(entries: readonly [number, number][], bits: 32 | 64, littleEndian: boolean): Uint8Array {
  const size = bits === 64 ? 16 : 8;
  const out = new Uint8Array((entries.length + 1) * size);
  const view = new DataView(out.buffer);
  entries.forEach(([tag, value], i) => {
    if (bits === 64) {
      view.setBigUint64(i * size, BigInt(tag), littleEndian);
      view.setBigUint64(i * size + 8, BigInt(value), littleEndian);
    } else {
      view.setUint32(i * size, tag, littleEndian);
      view.setUint32(i * size + 4, value, littleEndian);
    }
  });
  return out;
}

/** One ELF note. */
export function note(name: string, type: number, desc: Uint8Array, littleEndian: boolean): Uint8Array {
  const n = new TextEncoder().encode(`${name}\0`);
  const pad = (x: number) => (4 - (x % 4)) % 4;
  const out = new Uint8Array(12 + n.length + pad(n.length) + desc.length + pad(desc.length));
  const view = new DataView(out.buffer);
  view.setUint32(0, n.length, littleEndian);
  view.setUint32(4, desc.length, littleEndian);
  view.setUint32(8, type, littleEndian);
  out.set(n, 12);
  out.set(desc, 12 + n.length + pad(n.length));
  return out;
}

function uvarint(n: number): number[] {
  const out: number[] = [];
  while (n >= 0x80) {
    out.push((n & 0x7f) | 0x80);
    n = Math.floor(n / 128);
  }
  out.push(n);
  return out;
}

/** A Go 1.18+ build info blob (inline strings) with `modinfo` framed by cmd/go's sentinels. */
export function goBuildInfoBlob(version: string, modinfo: string): Uint8Array {
  const enc = new TextEncoder();
  const header = new Uint8Array(32);
  header.set(Uint8Array.from('\xff Go buildinf:', (c) => c.charCodeAt(0)), 0);
  header[14] = 8;
  header[15] = 2;
  const v = enc.encode(version);
  const framed = modinfo === '' ? new Uint8Array(0) : enc.encode(`${'0'.repeat(16)}${modinfo}${'1'.repeat(16)}`);
  return Uint8Array.from([...header, ...uvarint(v.length), ...v, ...uvarint(framed.length), ...framed]);
}
