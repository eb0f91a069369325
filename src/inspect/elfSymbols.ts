/**
 * Symbol names from `.symtab` and `.dynsym`, matched against a short list of prefixes
 * (`_Cfunc__goboringcrypto_`, `crypto/tls/fipsonly.`, `FIPS_mode`, ...). This is what
 * `go tool nm | grep` does by hand, without keeping a million names in memory: each table's
 * string table is decoded once, the entries are read in chunks, and only matching names are
 * kept (a count and the first few). Counts are capped; a symbol table must link to a string
 * table other than itself, and every name must lie inside it. (gABI chapter 4, "Symbol Table".)
 */
import { badElf } from './errors.js';
import { ELF_LIMITS, Fields, inFile, SHT, type ElfFile, type ElfSection } from './elf.js';

const MAX_SYMBOLS_PER_TABLE = 4 * 1024 * 1024;
const CHUNK_ENTRIES = 8192;
const EXAMPLES = 3;

export interface SymbolProbe {
  id: string;
  prefixes: readonly string[];
}

export interface SymbolHit {
  id: string;
  count: number;
  /** The first few matching names, each with the table it came from. */
  examples: { table: string; name: string }[];
}

export interface SymbolScan {
  /** Every symbol table seen: its name, how many entries were read, and why not all were. */
  tables: { name: string; symbols: number; note: string | null }[];
  hits: Map<string, SymbolHit>;
}

/** The probes' prefixes by their first character, so that a symbol name is compared with few of them. */
type PrefixIndex = ReadonlyMap<string, readonly { id: string; prefix: string }[]>;

function prefixIndex(probes: readonly SymbolProbe[]): PrefixIndex {
  const byFirstChar = new Map<string, { id: string; prefix: string }[]>();
  for (const probe of probes) {
    for (const prefix of probe.prefixes) {
      const first = prefix.charAt(0);
      byFirstChar.set(first, [...(byFirstChar.get(first) ?? []), { id: probe.id, prefix }]);
    }
  }
  return byFirstChar;
}

/** Counts the name at `at` of `strings` for every probe whose prefix it starts with (keeping a few examples). */
function matchName(strings: string, at: number, table: string, index: PrefixIndex, hits: Map<string, SymbolHit>): void {
  for (const { id, prefix } of index.get(strings.charAt(at)) ?? []) {
    if (!strings.startsWith(prefix, at)) continue;
    const hit = hits.get(id) ?? { id, count: 0, examples: [] };
    hit.count++;
    if (hit.examples.length < EXAMPLES) {
      const end = strings.indexOf('\0', at);
      hit.examples.push({ table, name: strings.slice(at, end < 0 ? Math.min(strings.length, at + 200) : Math.min(end, at + 200)) });
    }
    hits.set(id, hit);
  }
}

/** Reads one symbol table (at most MAX_SYMBOLS_PER_TABLE entries, in chunks) into `hits`; returns its row of SymbolScan.tables. */
function scanTable(elf: ElfFile, section: ElfSection, index: PrefixIndex, hits: Map<string, SymbolHit>): SymbolScan['tables'][number] {
  const file = elf.source.name;
  const name = section.name || `section ${section.index}`;
  const minEntry = elf.header.bits === 64 ? 24 : 16;
  const entsize = section.entsize === 0 ? minEntry : section.entsize;
  if (entsize < minEntry) badElf(file, `${name} has entries of ${entsize} bytes, smaller than a symbol (${minEntry})`);
  const linked = elf.sections[section.link];
  if (!linked || linked.index === section.index || linked.type !== SHT.STRTAB) {
    badElf(file, `${name} links to section ${section.link}, which is not a string table`);
  }
  if (linked.size > ELF_LIMITS.tableBytes) return { name, symbols: 0, note: `string table ${linked.name} larger than ${ELF_LIMITS.tableBytes} bytes: not read` };
  const strings = elf.source.text(linked.offset, linked.size);
  const total = Math.floor(section.size / entsize);
  const count = Math.min(total, MAX_SYMBOLS_PER_TABLE);
  for (let first = 0; first < count; first += CHUNK_ENTRIES) {
    const n = Math.min(CHUNK_ENTRIES, count - first);
    const f = new Fields(elf.source.read(section.offset + first * entsize, n * entsize), elf.header.littleEndian, file);
    for (let i = 0; i < n; i++) {
      const at = f.u32(i * entsize);
      if (at === 0) continue;
      if (at >= strings.length) badElf(file, `symbol ${first + i} of ${name} has its name at ${at}, outside ${linked.name || 'its string table'}`);
      matchName(strings, at, name, index, hits);
    }
  }
  return { name, symbols: count, note: total > count ? `${total} entries, only the first ${count} read` : null };
}

/** Scans every SHT_SYMTAB and SHT_DYNSYM section for names starting with the probes' prefixes. */
export function scanSymbols(elf: ElfFile, probes: readonly SymbolProbe[]): SymbolScan {
  const result: SymbolScan = { tables: [], hits: new Map() };
  const index = prefixIndex(probes);
  for (const section of elf.sections) {
    if ((section.type === SHT.SYMTAB || section.type === SHT.DYNSYM) && inFile(section)) result.tables.push(scanTable(elf, section, index, result.hits));
  }
  return result;
}
