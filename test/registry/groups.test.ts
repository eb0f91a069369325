/**
 * The named group table against the IANA export (fixtures/iana/tls-parameters-8.csv), the
 * versions each group can be negotiated in, and every key share recipe run through node:crypto.
 */

import { createDiffieHellman, createECDH, generateKeyPairSync } from 'node:crypto';
import t from 'tap';
import { NAMED_GROUPS, groupById, groupsForVersion } from '../../src/registry/groups.js';
import { groupAssignments, readRegistry } from './ianaCsv.js';

const assigned = groupAssignments();
const assignedIds = new Set(assigned.map((a) => a.id));

t.test('the fixture CSV is read as IANA wrote it', async (t) => {
  const rows = readRegistry('tls-parameters-8.csv');
  t.ok(rows.some((r) => r.value === '42-255' && r.description === 'Unassigned'), 'ranges are rows of their own');
  t.notOk(assignedIds.has(2570), 'GREASE 0x0A0A is reserved, not assigned');
  t.notOk(assignedIds.has(0), '0 is reserved');
  t.equal(assigned.length, assignedIds.size);
});

t.test('every IANA-assigned group is present under its IANA name', async (t) => {
  for (const { id, name } of assigned) {
    const g = groupById(id);
    const obsolete = / \(OBSOLETE\)$/.test(name);
    t.equal(g?.name, name.replace(/ \(OBSOLETE\)$/, ''), `${id} ${name}`);
    t.equal(g?.kind === 'obsolete', obsolete, `${id}: the registry's (OBSOLETE) marker is kind 'obsolete'`);
  }
});

/** Private-use codepoints of pre-standard post-quantum key exchanges (groups.ts names the stacks). */
const PRIVATE = [0x023a, 0x023c, 0x023d, 0x0247, 0x0248, 0x0249, 0x2f39, 0x2f3a, 0x2f3c, 0x2f3d, 0x2f47, 0x2f48, 0x2f49, 0x2f4a, 0x2f90, 0x2fb2, 0x2fb3, 0x2fb4, 0x2fb5, 0x4138, 0xfe30, 0xfe31, 0xfe32];

t.test('the table holds the assigned groups and the private ones, sorted, without duplicates', async (t) => {
  const ids = NAMED_GROUPS.map((g) => g.id);
  t.same(ids, [...assignedIds, ...PRIVATE].sort((a, b) => a - b));
  for (const id of PRIVATE) t.notOk(assignedIds.has(id), `0x${id.toString(16)} is not IANA-assigned`);
  t.equal(new Set(NAMED_GROUPS.map((g) => g.name)).size, ids.length, 'names unique');
  const aliases = NAMED_GROUPS.flatMap((g) => [g.name, ...g.aliases]);
  t.equal(new Set(aliases).size, aliases.length, 'aliases name one group each');
  for (const g of NAMED_GROUPS) t.equal(groupById(g.id), g);
  t.equal(groupById(0x0a0a), undefined);
});

t.test('properties of the groups a FIPS policy cares about', async (t) => {
  t.match(groupById(23), { name: 'secp256r1', aliases: ['P-256', 'prime256v1'], kind: 'ec', bits: 256, keyShare: { curve: 'prime256v1' }, probe: true });
  t.match(groupById(24), { name: 'secp384r1', bits: 384, keyShare: { curve: 'secp384r1' } });
  t.match(groupById(25), { name: 'secp521r1', bits: 521 });
  t.match(groupById(29), { name: 'x25519', kind: 'ecx', keyShare: { okp: 'x25519' } });
  t.match(groupById(30), { name: 'x448', kind: 'ecx', bits: 448, keyShare: { okp: 'x448' } });
  t.match(groupById(256), { name: 'ffdhe2048', kind: 'ffdhe', bits: 2048 });
  t.match(groupById(260), { name: 'ffdhe8192', bits: 8192 });
  t.match(groupById(513), { name: 'MLKEM768', kind: 'mlkem', bits: 768, keyShare: null, versions: ['TLSv1.3'] });
  t.match(groupById(4588), { name: 'X25519MLKEM768', kind: 'hybrid', bits: 768, keyShare: null, versions: ['TLSv1.3'] });
  t.match(groupById(4589), { name: 'SecP384r1MLKEM1024', kind: 'hybrid', bits: 1024 });
  t.match(groupById(25497), { name: 'X25519Kyber768Draft00', kind: 'obsolete', probe: true, versions: ['TLSv1.3'] });
  t.match(groupById(41), { name: 'curveSM2', kind: 'sm2', versions: ['TLSv1.3'] });
  t.match(groupById(34), { name: 'GC256A', kind: 'gost', keyShare: null, versions: ['TLSv1.3'] });
  t.match(groupById(65281), { kind: 'explicit', probe: false });
});

t.test('a group outside the registry is kind private, TLS 1.3 only, and names its source', async (t) => {
  for (const g of NAMED_GROUPS) {
    if (PRIVATE.includes(g.id)) {
      t.match(g, { kind: 'private', versions: ['TLSv1.3'], keyShare: null, probe: true }, g.name);
      t.match(g.source, /\w{8}/, `${g.name}: source named`);
    } else t.equal(g.source, null, `${g.name}: registered, no source`);
  }
  t.match(groupById(0xfe30), { name: 'X25519Kyber512Draft00' });
  t.match(groupById(0x4138), { name: 'CECPQ2', source: /BoringSSL/ });
  t.match(groupById(0x2f3c), { name: 'p384_kyber768', source: /oqs-provider/ });
});

t.test('each group is negotiable in the versions its RFC allows', async (t) => {
  const both = ['TLSv1.0', 'TLSv1.1', 'TLSv1.2', 'TLSv1.3'];
  const upTo12 = ['TLSv1.0', 'TLSv1.1', 'TLSv1.2'];
  for (const g of NAMED_GROUPS) {
    let want: string[];
    if ([23, 24, 25, 29, 30].includes(g.id) || g.kind === 'ffdhe') want = both;
    else if (g.id <= 28 || g.kind === 'explicit') want = upTo12;
    else want = ['TLSv1.3'];
    t.same(g.versions, want, `${g.id} ${g.name}`);
  }
});

t.test('groupsForVersion lists the probe-worthy groups of a version', async (t) => {
  const tls13 = groupsForVersion('TLSv1.3').map((g) => g.id);
  t.same(tls13, [23, 24, 25, 29, 30, 31, 32, 33, 34, 35, 36, 37, 38, 39, 40, 41, 256, 257, 258, 259, 260, 512, 513, 514, ...PRIVATE.filter((id) => id < 4587), 4587, 4588, 4589, ...PRIVATE.filter((id) => id > 4589 && id < 25497), 25497, 25498, ...PRIVATE.filter((id) => id > 25498)]);
  const tls12 = groupsForVersion('TLSv1.2').map((g) => g.id);
  t.same(tls12, [...Array.from({ length: 30 }, (_, i) => i + 1), 256, 257, 258, 259, 260]);
  t.same(groupsForVersion('TLSv1.0'), groupsForVersion('TLSv1.2'));
  t.same(groupsForVersion('SSLv3'), []);
  t.same(groupsForVersion('SSLv2'), []);
});

t.test('every key share recipe makes a real key with node:crypto', async (t) => {
  for (const g of NAMED_GROUPS) {
    const k = g.keyShare;
    if (k === null) continue;
    if (k.curve !== undefined) {
      const ecdh = createECDH(k.curve);
      const point = ecdh.generateKeys();
      const fieldBytes = g.id === 41 ? 32 : Math.ceil(g.bits / 8);
      t.equal(point.length, 1 + 2 * fieldBytes, `${g.name}: uncompressed point on ${k.curve}`);
    } else if (k.okp !== undefined) {
      const { publicKey } = generateKeyPairSync(k.okp as 'x25519');
      const raw = publicKey.export({ format: 'der', type: 'spki' }).subarray(-(g.id === 29 ? 32 : 56));
      t.equal(raw.length, g.id === 29 ? 32 : 56, `${g.name}: ${raw.length}-byte public key`);
    } else if (k.ffdhePrime !== undefined) {
      const dh = createDiffieHellman(k.ffdhePrime, 'hex', 2);
      t.equal(dh.getPrime().length * 8, g.bits, `${g.name}: ${g.bits}-bit prime`);
      t.ok(dh.generateKeys().length <= g.bits / 8);
    } else t.fail(`${g.name}: empty recipe`);
  }
});
