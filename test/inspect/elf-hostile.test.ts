import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import t, { type Test } from 'tap';
import { analyzeBinary } from '../../src/inspect/analyze.js';
import { bytesSource, parseElf } from '../../src/inspect/elf.js';
import { InspectError } from '../../src/inspect/errors.js';
import { openFileSource } from '../../src/inspect/fileSource.js';
import { inspectBinary } from '../../src/inspect/binary.js';
import { buildElf, dynamic, goBuildInfoBlob, headerField, note, patch, sectionField, symbols, type BuiltElf } from './elfBuilder.js';
import { testPrograms } from './programs.js';

const { symtab, strtab } = symbols(['main', '_goboringcrypto_AES_encrypt'], 64, true);
const goodElf = (): BuiltElf =>
  buildElf({
    sections: [
      { name: '.text', type: 1, data: new Uint8Array(64) },
      { name: '.strtab', type: 3, data: strtab },
      { name: '.symtab', type: 2, data: symtab, link: 2, entsize: 24 },
      { name: '.dynstr', type: 3, data: new TextEncoder().encode('\0libcrypto.so.3\0') },
      { name: '.dynamic', type: 6, data: dynamic([[1, 1]], 64, true), link: 4, entsize: 16 },
      { name: '.note.go.buildid', type: 7, data: note('Go', 4, new TextEncoder().encode('abc/def'), true) },
      { name: '.go.buildinfo', type: 1, data: goBuildInfoBlob('go1.22.1', 'path\tx\nbuild\tGOEXPERIMENT=boringcrypto\n') },
    ],
  });

/**
 * Asserts that analyzing `bytes` throws EBADELF with a one-line message. That a hostile size is
 * refused before anything is allocated or walked shows in the message (`pattern`); how long the
 * refusal takes is bench:inspect's to print.
 */
function expectBadElf(t: Test, bytes: Uint8Array, what: string, pattern?: RegExp): void {
  try {
    analyzeBinary(bytesSource(bytes, 'hostile.elf'));
    t.fail(`${what}: expected EBADELF, parsed fine`);
  } catch (err) {
    t.ok(err instanceof InspectError, `${what}: an InspectError (${(err as Error).message})`);
    t.equal((err as InspectError).code, 'EBADELF', `${what}: code EBADELF`);
    t.notMatch((err as Error).message, /\n/, `${what}: one line`);
    t.match((err as Error).message, /^hostile\.elf: bad ELF file: /, `${what}: names the file`);
    if (pattern) t.match((err as Error).message, pattern, `${what}: says what is wrong`);
  }
}

t.test('the well-formed builder output parses, with symbols, needed libraries, note and Go build info', async (t) => {
  const a = analyzeBinary(bytesSource(goodElf().bytes, 'good.elf'));
  t.equal(a.format, 'ELF64 LE x86-64 executable');
  t.same(a.dynamic.needed, ['libcrypto.so.3']);
  t.equal(a.goBuildId, 'abc/def');
  t.equal(a.go?.goVersion, 'go1.22.1');
  t.same(a.go?.settings, [{ key: 'GOEXPERIMENT', value: 'boringcrypto' }]);
  t.equal(a.symbols.hits.get('go-boringcrypto')?.count, 1);
});

t.test('a file truncated at any offset gives EBADELF, never a crash', async (t) => {
  const elf = goodElf();
  let rejected = 0;
  for (let length = 0; length < elf.bytes.length; length++) {
    try {
      analyzeBinary(bytesSource(elf.bytes.subarray(0, length), 'cut.elf'));
    } catch (err) {
      if (!(err instanceof InspectError) || err.code !== 'EBADELF') t.fail(`truncated at ${length}: ${(err as Error).stack}`);
      else rejected++;
    }
  }
  // The section header table is last, so every cut loses it: every truncation is rejected.
  t.equal(rejected, elf.bytes.length, `all ${elf.bytes.length} truncations rejected`);
});

t.test('a real binary truncated at several offsets gives EBADELF', async (t) => {
  const programs = await testPrograms();
  const bytes = readFileSync(programs.goBoring);
  for (const length of [0, 3, 15, 40, 63, 64, 200, 4096, bytes.length >> 1, bytes.length - 1]) {
    expectBadElf(t, bytes.subarray(0, length), `go-boring cut to ${length} bytes`);
  }
});

t.test('not an ELF file, or an unknown class, encoding or version', async (t) => {
  expectBadElf(t, new TextEncoder().encode('#!/bin/sh\necho hi\n'), 'a shell script', /no \\x7fELF magic/);
  for (const [offset, value, pattern] of [[4, 3, /class 3/], [5, 0, /data encoding 0/], [6, 9, /version 9/]] as const) {
    const bytes = goodElf().bytes.slice();
    bytes[offset] = value;
    expectBadElf(t, bytes, `e_ident[${offset}] = ${value}`, pattern);
  }
});

t.test('huge section counts are refused before anything is allocated', async (t) => {
  const elf = goodElf();
  const shnum = headerField(64, 'shnum');
  expectBadElf(t, patch(elf, shnum.offset, 2, 0xfffe), 'e_shnum 65534', /section header table .* runs past the end/);
  // Extended numbering: e_shnum 0 puts the real count in section 0's sh_size.
  const extended = patch({ ...elf, bytes: patch(elf, shnum.offset, 2, 0) }, sectionField(elf, 0, 'size').offset, 8, 2 ** 40);
  expectBadElf(t, extended, 'extended e_shnum 2^40', /more than the \d+ fipscan reads/);
  const phnum = headerField(64, 'phnum');
  const phoff = headerField(64, 'phoff');
  expectBadElf(t, patch({ ...elf, bytes: patch(elf, phoff.offset, 8, 64) }, phnum.offset, 2, 0xfff0), 'e_phnum 65520', /program header table/);
  expectBadElf(t, patch(elf, headerField(64, 'shentsize').offset, 2, 8), 'e_shentsize 8', /e_shentsize 8 is smaller/);
  expectBadElf(t, patch(elf, headerField(64, 'shoff').offset, 8, 2 ** 53 + 8), 'e_shoff past 2^53', /larger than any file|past the end/);
});

t.test('section offsets past the end of the file or overlapping are refused', async (t) => {
  const elf = goodElf();
  const text = elf.index['.text']!;
  expectBadElf(t, patch(elf, sectionField(elf, text, 'offset').offset, 8, elf.bytes.length + 100), 'offset past the end', /section \d+ .* runs past the end/);
  expectBadElf(t, patch(elf, sectionField(elf, text, 'size').offset, 8, 2 ** 31), '2 GiB section size', /runs past the end/);
  expectBadElf(t, patch(elf, sectionField(elf, text, 'offset').offset, 8, 0), 'section over the ELF header', /overlaps the ELF header/);
  const symtabOffset = elf.sectionOffsets[elf.index['.symtab']!]!;
  expectBadElf(t, patch(elf, sectionField(elf, text, 'offset').offset, 8, symtabOffset + 8), '.text overlapping .symtab', /overlaps/);
  expectBadElf(t, patch(elf, sectionField(elf, text, 'offset').offset, 8, elf.shoff), 'section over the section header table', /overlaps/);
});

t.test('cyclic or wrong string table links are refused', async (t) => {
  const elf = goodElf();
  const sym = elf.index['.symtab']!;
  expectBadElf(t, patch(elf, sectionField(elf, sym, 'link').offset, 4, sym), '.symtab linked to itself', /links to section \d+, which is not a string table/);
  expectBadElf(t, patch(elf, sectionField(elf, sym, 'link').offset, 4, elf.index['.text']!), '.symtab linked to .text', /not a string table/);
  expectBadElf(t, patch(elf, sectionField(elf, sym, 'link').offset, 4, 9999), '.symtab linked past the table', /not a string table/);
  const dyn = elf.index['.dynamic']!;
  expectBadElf(t, patch(elf, sectionField(elf, dyn, 'link').offset, 4, dyn), '.dynamic linked to itself', /dynamic section links to section/);
  expectBadElf(t, patch(elf, headerField(64, 'shstrndx').offset, 2, sym), 'e_shstrndx naming .symtab', /not a string table/);
  expectBadElf(t, patch(elf, headerField(64, 'shstrndx').offset, 2, 500), 'e_shstrndx past the table', /names no section/);
  // The section name table's own size cut to 1 byte: every name offset now falls outside it.
  const shstrtab = elf.index['.shstrtab']!;
  expectBadElf(t, patch(elf, sectionField(elf, shstrtab, 'size').offset, 8, 1), 'names outside .shstrtab', /runs past the end of the section name table/);
});

t.test('hostile contents inside valid sections are refused', async (t) => {
  const { symtab: bad } = symbols(['x'], 64, true);
  new DataView(bad.buffer).setUint32(24, 0x7fffffff, true);
  const badName = buildElf({ sections: [{ name: '.strtab', type: 3, data: strtab }, { name: '.symtab', type: 2, data: bad, link: 1, entsize: 24 }] });
  expectBadElf(t, badName.bytes, 'symbol name offset outside .strtab', /outside \.strtab/);
  const hugeNote = note('Go', 4, new Uint8Array(8), true);
  new DataView(hugeNote.buffer).setUint32(4, 0xfffffff0, true);
  expectBadElf(t, buildElf({ sections: [{ name: '.note', type: 7, data: hugeNote }] }).bytes, 'note descsz 4 GiB', /note .* runs past the end of its section/);
  const blob = goBuildInfoBlob('go1.22', '');
  blob[32] = 0xff;
  blob[33] = 0xff;
  blob[34] = 0x7f;
  expectBadElf(t, buildElf({ sections: [{ name: '.go.buildinfo', type: 1, data: blob }] }).bytes, 'Go build info string of 2 MiB', /Go build info string/);
  const noStrtab = buildElf({ sections: [{ name: '.dynamic', type: 6, data: dynamic([[1, 1]], 64, true), link: 0 }] });
  expectBadElf(t, noStrtab.bytes, 'DT_NEEDED without a string table', /DT_STRTAB/);
});

t.test('inspectBinary reports a hostile file as the subject error, with no checks', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'fipscan-hostile-'));
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  const elf = goodElf();
  const file = join(dir, 'huge-shnum');
  writeFileSync(file, patch(elf, headerField(64, 'shnum').offset, 2, 0xffff));
  const subject = inspectBinary(file);
  t.equal(subject.error?.code, 'EBADELF');
  t.same(subject.checks, []);
});

t.test('a FIFO, a directory or a missing file is EREAD, without blocking', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'fipscan-fifo-'));
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  const fifo = join(dir, 'fifo');
  execFileSync('mkfifo', [fifo]);
  for (const [path, pattern] of [[fifo, /not a regular file/], [dir, /not a regular file/], [join(dir, 'missing'), /no such file/]] as const) {
    t.throws(() => openFileSource(path), { code: 'EREAD', message: pattern }, path);
  }
});

t.test('big-endian ELF32 parses too', async (t) => {
  const s = symbols(['FIPS_mode_set'], 32, false);
  const elf = buildElf({
    bits: 32,
    littleEndian: false,
    machine: 20,
    sections: [
      { name: '.strtab', type: 3, data: s.strtab },
      { name: '.symtab', type: 2, data: s.symtab, link: 1, entsize: 16 },
    ],
  });
  const parsed = parseElf(bytesSource(elf.bytes));
  t.equal(parsed.header.bits, 32);
  t.equal(parsed.header.littleEndian, false);
  t.same(parsed.sections.map((x) => x.name), ['', '.strtab', '.symtab', '.shstrtab']);
  t.equal(analyzeBinary(bytesSource(elf.bytes)).symbols.hits.get('openssl-fips-api')?.examples[0]?.name, 'FIPS_mode_set');
});
