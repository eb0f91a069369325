/**
 * The share check and the real-share rungs on the paths that make them hard: TLS 1.2-only
 * servers that refuse a TLS 1.3 hello (protocol_version, or another alert), front ends that drop
 * large hellos, load shedding while the ladder climbs. A TLS 1.3 server that takes P-256 must
 * never come out "not offered"; a TLS 1.2-only server must still come out TLS 1.3 "not offered"
 * in one share-check probe where the path lets it. Groups for which no share is possible are
 * never asked about in an empty hello.
 */
import t from 'tap';
import type { ScanOptions } from '../../src/probe/types.js';
import { decide, flightBytes, parseHelloRecord, supportedVersions, SCRIPTED, type Behaviour, type ScriptedConfig } from '../helpers/hostile.js';
import { concat } from '../../src/wire/bytes.js';
import { handshakeRecords, serverHello, serverHelloDone } from '../helpers/serverFlight.js';
import { extensionBody, read } from '../wire/clientHelloParser.js';
import { hex, protocol, scanBehaviour } from './hostileExpect.js';

const OPTIONS: ScanOptions = { timeoutMs: 500, deadlineMs: 60000, concurrency: 4, skipTlsCertificate: true };

/** A TLS 1.3 server that never sends a HelloRetryRequest (alert instead); optional front end dropping hellos over maxHello bytes. */
function noHrr(config: ScriptedConfig, o: { alert?: number; maxHello?: number } = {}): Behaviour {
  return (bytes, socket) => {
    if (o.maxHello !== undefined && bytes.length > o.maxHello) return void socket.end();
    const hello = parseHelloRecord(bytes);
    let d = decide(bytes, config);
    if (d.kind === 'hrr') d = { kind: 'alert', description: o.alert ?? 40 };
    if (d.kind === 'close') return void socket.end();
    socket.write(flightBytes(d, hello?.sessionId));
  };
}

/** OpenSSL/Node with TLS 1.3 disabled: supported_versions without 0x0303 gets protocol_version (70). */
function openSslTls12Only(o: { maxHello?: number; alert?: number } = {}): Behaviour {
  const config: ScriptedConfig = { ...SCRIPTED, tls13Suites: [], tls13Groups: [] };
  return (bytes, socket) => {
    if (o.maxHello !== undefined && bytes.length > o.maxHello) return void socket.end();
    const hello = parseHelloRecord(bytes);
    if (hello) {
      const sv = supportedVersions(hello);
      if (sv.length > 0 && !sv.includes(0x0303)) return void socket.write(flightBytes({ kind: 'alert', description: o.alert ?? 70 }));
    }
    const d = decide(bytes, config);
    if (d.kind === 'close') return void socket.end();
    socket.write(flightBytes(d, hello?.sessionId));
  };
}

function shareLog(inner: Behaviour, log: string[]): Behaviour {
  return (bytes, socket) => {
    const hello = parseHelloRecord(bytes);
    const ks = hello ? extensionBody(hello, 51) : undefined;
    if (ks) log.push(`${bytes.length}B ks=[${read.keyShare(ks).map((k) => k.group.toString(16)).join(',')}]`);
    inner(bytes, socket);
  };
}

t.test('1a: OpenSSL-like TLS 1.2-only server: TLS 1.3 not offered; how many TLS 1.3 probes and how big', async (t) => {
  const log: string[] = [];
  const r = await scanBehaviour(t, shareLog(openSslTls12Only(), log), OPTIONS);
  const p = protocol(r, 'TLSv1.3');
  t.comment(`TLS 1.3 hellos: ${log.join(' | ')}`);
  t.equal(p.offered, false, `TLS 1.3 not offered (${p.reason})`);
  t.ok(log.length <= 2, `at most one share-check probe after the empty-key_share refusal (got ${log.length} TLS 1.3 hellos)`);
});

// An ML-KEM share alone makes a hello over 1400 bytes: such a path cannot tell a TLS 1.2-only
// server from an ML-KEM-only TLS 1.3 server that refuses to ask for a share, so TLS 1.3 stays in question.
t.test('1b: OpenSSL-like TLS 1.2-only server behind a front end dropping hellos over 1400 bytes: TLS 1.3 never claimed, TLS 1.2 intact', async (t) => {
  const log: string[] = [];
  const r = await scanBehaviour(t, shareLog(openSslTls12Only({ maxHello: 1400 }), log), OPTIONS);
  const p = protocol(r, 'TLSv1.3');
  t.comment(`TLS 1.3 hellos (${log.length}): ${log.join(' | ')}`);
  t.comment(`probes ${r.probes}; TLS 1.2 ${protocol(r, 'TLSv1.2').offered}`);
  t.not(p.offered, true, `TLS 1.3 not claimed (${p.reason})`);
  t.equal(protocol(r, 'TLSv1.2').offered, true, 'TLS 1.2 found');
});

// (A P-384-only TLS 1.3 server that refuses to ask for a share is not looked for behind such a path: see shareCheck.)
{
  const groups = [23];
  t.test(`2: front end dropping hellos over 255 bytes + TLS 1.3 server (${hex(groups)} only) with no HRR: never "not offered"`, async (t) => {
    const cfg = { ...SCRIPTED, tls13Groups: groups };
    const log: string[] = [];
    const r = await scanBehaviour(t, shareLog(noHrr(cfg, { maxHello: 255 }), log), OPTIONS);
    const p = protocol(r, 'TLSv1.3');
    t.comment(`TLS 1.3 hellos (${log.length}): ${log.join(' | ')}`);
    t.comment(`offered=${p.offered} reason=${p.reason} groups=${hex(p.groups)} workarounds=${p.workarounds}`);
    t.equal(p.offered, true, 'TLS 1.3 found with a P-256 share in a hello under 256 bytes');
    t.same(hex(p.groups), hex(groups), 'its group');
  });
  t.test(`2-control: same front end, correct server with HRR (${hex(groups)}): TLS 1.3 found`, async (t) => {
    const cfg = { ...SCRIPTED, tls13Groups: groups };
    const frontEnd: Behaviour = (bytes, socket) => {
      if (bytes.length > 255) return void socket.end();
      const h = parseHelloRecord(bytes);
      const d = decide(bytes, cfg);
      if (d.kind === 'close') return void socket.end();
      socket.write(flightBytes(d, h?.sessionId));
    };
    const r = await scanBehaviour(t, frontEnd, OPTIONS);
    t.equal(protocol(r, 'TLSv1.3').offered, true);
  });
}

t.test('3: TLS 1.2-only server answering TLS 1.3-only hellos with decode_error (50): TLS 1.3 not offered', async (t) => {
  const log: string[] = [];
  const r = await scanBehaviour(t, shareLog(openSslTls12Only({ alert: 50 }), log), OPTIONS);
  const p = protocol(r, 'TLSv1.3');
  t.comment(`TLS 1.3 hellos (${log.length}): ${log.join(' | ')}`);
  t.equal(p.offered, false, `TLS 1.3 not offered (${p.reason})`);
});

for (const groups of [[23], [24]]) {
  t.test(`4: no size limit; the first three TLS 1.3 connections are dropped (load shedding), then a no-HRR TLS 1.3 server (${hex(groups)} only): never "not offered"`, async (t) => {
    const cfg = { ...SCRIPTED, tls13Groups: groups };
    const inner = noHrr(cfg);
    let tls13 = 0;
    const log: string[] = [];
    const shedding: Behaviour = (bytes, socket) => {
      const hello = parseHelloRecord(bytes);
      if (hello && supportedVersions(hello).includes(0x0304) && ++tls13 <= 3) return void socket.destroy();
      inner(bytes, socket);
    };
    const r = await scanBehaviour(t, shareLog(shedding, log), OPTIONS);
    const p = protocol(r, 'TLSv1.3');
    t.comment(`TLS 1.3 hellos (${log.length}): ${log.slice(0, 8).join(' | ')}`);
    t.comment(`offered=${p.offered} reason=${p.reason} groups=${hex(p.groups)} workarounds=${p.workarounds}`);
    t.equal(p.offered, true, 'TLS 1.3 found once the shedding stops');
    t.same(hex(p.groups), hex(groups), 'its group');
  });
}

t.test('5: OpenSSL-like TLS 1.2-only server behind a front end dropping hellos over 255 bytes: TLS 1.3 not offered', async (t) => {
  const log: string[] = [];
  const r = await scanBehaviour(t, shareLog(openSslTls12Only({ maxHello: 255 }), log), OPTIONS);
  const p = protocol(r, 'TLSv1.3');
  t.comment(`TLS 1.3 hellos (${log.length}): ${log.join(' | ')}; probes ${r.probes}`);
  t.equal(p.offered, false, `TLS 1.3 not offered (${p.reason})`);
});

t.test('6: no-HRR server: hellos the group enumeration sends with no key share at all', async (t) => {
  const cfg = { ...SCRIPTED, tls13Groups: [23, 0x0101, 0x11ec] };
  const log: string[] = [];
  const r = await scanBehaviour(t, shareLog(noHrr(cfg), log), OPTIONS);
  const p = protocol(r, 'TLSv1.3');
  const empties = log.slice(1).filter((l) => l.endsWith('ks=[]'));
  t.comment(`TLS 1.3 hellos (${log.length}): ${log.join(' | ')}`);
  t.comment(`offered=${p.offered} groups=${hex(p.groups)} inconclusive=${hex(p.inconclusiveGroups)} probes=${r.probes}`);
  t.equal(empties.length, 0, `no probe without a share after the first (${empties.length})`);
});

/**
 * A TLS 1.3 server (P-256 only) that, given no share it can use, falls back to TLS 1.2 instead of
 * asking for one, marking its random with the downgrade sentinel as RFC 8446 §4.1.3 requires; a
 * TLS 1.3-only hello without a usable share is refused.
 */
function downgrader(sentinel: boolean): Behaviour {
  const config: ScriptedConfig = { ...SCRIPTED, tls13Groups: [23] };
  return (bytes, socket) => {
    const hello = parseHelloRecord(bytes);
    const d = decide(bytes, config);
    if (hello && d.kind === 'hrr') {
      const suite = config.suites.find((s) => hello.cipherSuites.includes(s));
      if (suite === undefined) return void socket.write(flightBytes({ kind: 'alert', description: 40 }));
      const random = new Uint8Array(32).fill(0x5a);
      if (sentinel) random.set([0x44, 0x4f, 0x57, 0x4e, 0x47, 0x52, 0x44, 0x01], 24);
      return void socket.write(handshakeRecords(concat([serverHello({ legacyVersion: 0x0303, random, cipherSuite: suite }), serverHelloDone]), 16384, 0x0303));
    }
    if (d.kind === 'close') return void socket.end();
    socket.write(flightBytes(d, hello?.sessionId));
  };
}

t.test('a TLS 1.3 server that falls back to TLS 1.2 with the downgrade sentinel instead of asking for a share: TLS 1.3 found', async (t) => {
  const r = await scanBehaviour(t, downgrader(true), OPTIONS);
  const p = protocol(r, 'TLSv1.3');
  t.equal(p.offered, true, `TLS 1.3 offered (${p.reason ?? ''})`);
  t.same(hex(p.groups), hex([23]), 'P-256');
  t.same(hex([...p.suites].sort((a, b) => a - b)), hex([0x1301, 0x1302]), 'both suites');
  t.equal(protocol(r, 'TLSv1.2').offered, true, 'TLS 1.2 too');
});

t.test('control: the same fallback without the sentinel reads as a TLS 1.2-only server', async (t) => {
  const r = await scanBehaviour(t, downgrader(false), OPTIONS);
  t.equal(protocol(r, 'TLSv1.3').offered, false, 'TLS 1.3 not offered: nothing says otherwise');
  t.equal(protocol(r, 'TLSv1.2').offered, true);
});
