/**
 * Symbol names from `.symtab` and `.dynsym`, matched against a short list of prefixes
 * (`_Cfunc__goboringcrypto_`, `crypto/tls/fipsonly.`, `FIPS_mode`, ...). This is what
 * `go tool nm | grep` does by hand, without keeping a million names in memory: each table's
 * string table is decoded once, the entries are read in chunks, and only matching names are
 * kept (a count and the first few). Counts are capped; a symbol table must link to a string
 * table other than itself, and every name must lie inside it. (gABI chapter 4, "Symbol Table".)
 */
import { badElf } from './errors.js';
import { ELF_LIMITS, Fields, inFile, SHT, type ElfFile } from './elf.js';

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

/** Scans every SHT_SYMTAB and SHT_DYNSYM section for names starting with the probes' prefixes. */
export function scanSymbols(elf: ElfFile, probes: readonly SymbolProbe[]): SymbolScan {
  const file = elf.source.name;
  const result: SymbolScan = { tables: [], hits: new Map() };
  const byFirstChar = new Map<string, { id: string; prefix: string }[]>();
  for (const probe of probes) {
    for (const prefix of probe.prefixes) {
      const first = prefix.charAt(0);
      byFirstChar.set(first, [...(byFirstChar.get(first) ?? []), { id: probe.id, prefix }]);
    }
  }
  const minEntry = elf.header.bits === 64 ? 24 : 16;
  for (const section of elf.sections) {
    if (section.type !== SHT.SYMTAB && section.type !== SHT.DYNSYM) continue;
    const name = section.name || `section ${section.index}`;
    if (!inFile(section)) continue;
    const entsize = section.entsize === 0 ? minEntry : section.entsize;
    if (entsize < minEntry) badElf(file, `${name} has entries of ${entsize} bytes, smaller than a symbol (${minEntry})`);
    const linked = elf.sections[section.link];
    if (!linked || linked.index === section.index || linked.type !== SHT.STRTAB) {
      badElf(file, `${name} links to section ${section.link}, which is not a string table`);
    }
    if (linked.size > ELF_LIMITS.tableBytes) {
      result.tables.push({ name, symbols: 0, note: `string table ${linked.name} larger than ${ELF_LIMITS.tableBytes} bytes: not read` });
      continue;
    }
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
        const candidates = byFirstChar.get(strings.charAt(at));
        if (!candidates) continue;
        for (const { id, prefix } of candidates) {
          if (!strings.startsWith(prefix, at)) continue;
          const hit = result.hits.get(id) ?? { id, count: 0, examples: [] };
          hit.count++;
          if (hit.examples.length < EXAMPLES) {
            const end = strings.indexOf('\0', at);
            hit.examples.push({ table: name, name: strings.slice(at, end < 0 ? Math.min(strings.length, at + 200) : Math.min(end, at + 200)) });
          }
          result.hits.set(id, hit);
        }
      }
    }
    result.tables.push({ name, symbols: count, note: total > count ? `${total} entries, only the first ${count} read` : null });
  }
  return result;
}
