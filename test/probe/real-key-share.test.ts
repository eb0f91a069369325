/**
 * TLS 1.3 stacks that refuse an empty key_share instead of answering it with a HelloRetryRequest
 * (and so refuse any hello that holds no share for a group they take). fipscan climbs to the
 * real-key-share rung; there a refusal proves only that the groups it sent shares for are
 * refused. A supported group that was offered without a share must never come out "not offered":
 * it is found once a hello carries its share, and a group no share can be made for here
 * (ML-KEM hybrids on Node 20) is inconclusive.
 */
import { readFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import tls from 'node:tls';
import t from 'tap';
import { makeKeyShare } from '../../src/probe/keyShares.js';
import { probe, type EndpointContext } from '../../src/probe/probe.js';
import { certPath } from '../helpers/servers.js';
import type { ScanOptions } from '../../src/probe/types.js';
import type { ScanResult } from '../../src/model/scan.js';
import type { Test } from 'tap';
import { decide, flightBytes, parseHelloRecord, scripted, SCRIPTED, type Behaviour, type ScriptedConfig } from '../helpers/hostile.js';
import { extensionBody, read } from '../wire/clientHelloParser.js';
import { hex, protocol, scanBehaviour } from './hostileExpect.js';

const OPTIONS: ScanOptions = { timeoutMs: 2000, deadlineMs: 30000, concurrency: 4, skipTlsCertificate: true };

/** P-256, ffdhe3072 (a group none of the preferred shares covers) and the X25519+ML-KEM-768 hybrid. */
const CONFIG: ScriptedConfig = { ...SCRIPTED, tls13Suites: [0x1302, 0x1301], tls13Groups: [23, 0x0101, 0x11ec] };

/** Where a correct server would ask for a share, this one refuses the hello. */
const noRetry = scripted(CONFIG, { decision: (d) => (d.kind === 'hrr' ? { kind: 'alert', description: 40 } : d) });

t.test('control: the same server answering an empty key_share with a HelloRetryRequest gives every group', async (t) => {
  const r = await scanBehaviour(t, scripted(CONFIG), OPTIONS);
  const tls13 = protocol(r, 'TLSv1.3');
  t.equal(tls13.offered, true);
  t.same(hex(tls13.groups), hex([23, 0x0101, 0x11ec]), 'all three groups, in the server order');
  t.equal(tls13.groupsComplete, true, 'complete');
  t.notOk(tls13.workarounds.includes('real-key-share'), 'no real shares needed');
});

t.test('a server that refuses a hello without a usable share: no supported group is reported refused', async (t) => {
  const r = await scanBehaviour(t, noRetry, OPTIONS);
  t.equal(r.error, null);
  const tls13 = protocol(r, 'TLSv1.3');
  t.equal(tls13.offered, true, `TLS 1.3 offered (${tls13.reason ?? ''})`);
  t.ok(tls13.workarounds.includes('real-key-share'), `the real-key-share rung was climbed (${tls13.workarounds.join(', ')})`);
  t.same(hex([...tls13.suites].sort((a, b) => a - b)), hex([0x1301, 0x1302]), 'both suites');
  t.ok(tls13.groups.includes(23), 'P-256 found');
  t.ok(tls13.groups.includes(0x0101), 'ffdhe3072 found: offered without a share, it was not taken as refused');
  t.same(tls13.groups.filter((g) => !CONFIG.tls13Groups.includes(g)), [], 'no group claimed that the server does not take');
  for (const g of CONFIG.tls13Groups) {
    t.ok(tls13.groups.includes(g) || tls13.inconclusiveGroups.includes(g), `0x${g.toString(16)}: found or inconclusive, never "not offered"`);
  }
  t.ok(makeKeyShare(0x11ec), 'an X25519MLKEM768 share is made (a well-formed ML-KEM-768 encapsulation key)');
  t.ok(tls13.groups.includes(0x11ec), 'so the hybrid is found with its share too');
  // GOST curves and the private-use post-quantum drafts: no share can be made for them, and this
  // server refuses a hello that lists a group without a share, so nothing can be proven of them.
  t.ok(tls13.inconclusiveGroups.every((g) => makeKeyShare(g) === null), `only groups no share can be made for stay inconclusive (${hex(tls13.inconclusiveGroups).join(', ')})`);
  t.ok(tls13.inconclusiveGroups.includes(0x22), 'GOST GC256A among them');
  t.equal(tls13.groupServerOrder, null, 'no group order claimed: our shares steer the pick');
});

t.test('a TLS 1.3 server whose only group none of the preferred shares covers is still found', async (t) => {
  const onlyFfdhe = scripted({ ...CONFIG, tls13Groups: [0x0101] }, { decision: (d) => (d.kind === 'hrr' ? { kind: 'alert', description: 40 } : d) });
  const r = await scanBehaviour(t, onlyFfdhe, OPTIONS);
  const tls13 = protocol(r, 'TLSv1.3');
  t.equal(tls13.offered, true, `TLS 1.3 offered, not refused (${tls13.reason ?? ''})`);
  t.same(hex(tls13.groups), hex([0x0101]), 'ffdhe3072');
  t.same(hex(tls13.suites), hex([0x1302, 0x1301]), 'both suites, in the server order');
  t.equal(tls13.serverOrder, true, 'the order probes carried the share the server takes');
  t.equal(protocol(r, 'TLSv1.2').offered, true, 'TLS 1.2 still found beside it');
});

/**
 * A TLS 1.3 server that never asks for a share: where the hello holds none it can use, it sends
 * `alert`. `strict`: it wants its own favourite among the offered groups (RFC 8446 lets it insist)
 * and refuses when that one has no share; `maxHello`: larger hellos are dropped, as by a front
 * end with a small buffer.
 */
function noRetryServer(config: ScriptedConfig, o: { strict?: boolean; alert?: number; maxHello?: number } = {}): Behaviour {
  return (bytes, socket) => {
    if (o.maxHello !== undefined && bytes.length > o.maxHello) return void socket.end();
    const hello = parseHelloRecord(bytes);
    let d = decide(bytes, config);
    if (hello && (d.kind === 'hrr' || d.kind === 'tls13')) {
      const offered = read.u16Vector(extensionBody(hello, 10)!);
      const shares = read.keyShare(extensionBody(hello, 51)!).map((k) => k.group);
      const favourite = config.tls13Groups.find((g) => offered.includes(g))!;
      if (o.strict === true) d = shares.includes(favourite) ? { kind: 'tls13', suite: d.suite, group: favourite } : { kind: 'alert', description: o.alert ?? 40 };
      else if (d.kind === 'hrr') d = { kind: 'alert', description: o.alert ?? 40 };
    }
    if (d.kind === 'close') return void socket.end();
    socket.write(flightBytes(d, hello?.sessionId));
  };
}

/** Every suite and group the server takes is found or inconclusive; nothing it takes is "not offered". */
function nothingLost(t: Test, r: ScanResult, config: ScriptedConfig, wantFound: readonly number[] = config.tls13Groups): void {
  const p = protocol(r, 'TLSv1.3');
  t.comment(`offered ${p.offered} (${p.reason ?? ''}); suites ${hex(p.suites)}; groups ${hex(p.groups)}; inconclusive ${hex(p.inconclusiveGroups)}; ${p.workarounds.join(', ')}; ${r.probes} probes`);
  t.equal(p.offered, true, 'TLS 1.3 offered');
  t.same(hex([...p.suites].sort((a, b) => a - b)), hex([...config.tls13Suites].sort((a, b) => a - b)), 'every TLS 1.3 suite');
  for (const g of wantFound) t.ok(p.groups.includes(g), `group 0x${g.toString(16)} found`);
  t.same(p.groups.filter((g) => !config.tls13Groups.includes(g)), [], 'no group claimed that the server does not take');
}

t.test('a server that insists on its favourite group: the groups that carried shares are not blamed for its refusal', async (t) => {
  const config = { ...CONFIG, tls13Groups: [24, 25, 23] };
  nothingLost(t, await scanBehaviour(t, noRetryServer(config, { strict: true }), OPTIONS), config);
});

t.test('an X25519MLKEM768-only server that never asks for a share: found with a real hybrid share', async (t) => {
  const config = { ...CONFIG, tls13Groups: [0x11ec] };
  nothingLost(t, await scanBehaviour(t, noRetryServer(config), OPTIONS), config);
});

t.test('a P-384-only server answering an empty key_share with illegal_parameter (the alert rung): TLS 1.3 found', async (t) => {
  const config = { ...CONFIG, tls13Groups: [24] };
  nothingLost(t, await scanBehaviour(t, noRetryServer(config, { alert: 47 }), OPTIONS), config);
});

t.test('no retry requests and hellos over 700 bytes dropped: the ladder never goes back to an empty key_share', async (t) => {
  const config = { ...CONFIG, tls13Groups: [23, 0x0101] };
  const r = await scanBehaviour(t, noRetryServer(config, { maxHello: 700 }), OPTIONS);
  const p = protocol(r, 'TLSv1.3');
  t.equal(p.offered, true);
  t.ok(p.groups.includes(23), 'P-256 found');
  t.ok(p.groups.includes(0x0101) || p.inconclusiveGroups.includes(0x0101), 'ffdhe3072 found or inconclusive, never "not offered"');
  t.same(hex([...p.suites, ...p.inconclusiveSuites].sort((a, b) => a - b)), hex([0x1301, 0x1302]), 'each suite found or inconclusive');
});

t.test('no retry requests and two connections dropped while suites are enumerated: no suite refused on an empty key_share', async (t) => {
  const config = { ...CONFIG, tls13Groups: [23] };
  const inner = noRetryServer(config);
  let withShares = 0;
  const shedding: Behaviour = (bytes, socket) => {
    const hello = parseHelloRecord(bytes);
    const ks = hello ? extensionBody(hello, 51) : undefined;
    if (ks && read.keyShare(ks).length > 0 && ++withShares >= 2 && withShares <= 3) return void socket.destroy();
    inner(bytes, socket);
  };
  const r = await scanBehaviour(t, shedding, OPTIONS);
  const p = protocol(r, 'TLSv1.3');
  t.equal(p.offered, true);
  t.same(hex([...p.suites, ...p.inconclusiveSuites].sort((a, b) => a - b)), hex([0x1301, 0x1302]), 'each suite found or inconclusive');
});

t.test('a P-384-only server behind a front end dropping hellos over 1400 bytes: the large share check is split, TLS 1.3 found', async (t) => {
  const config = { ...CONFIG, tls13Groups: [24] };
  nothingLost(t, await scanBehaviour(t, noRetryServer(config, { maxHello: 1400 }), OPTIONS), config);
});

t.test('the finite-field and EC key shares fipscan makes are taken by OpenSSL as they are', async (t) => {
  const groups: [number, string][] = [
    [0x0100, 'ffdhe2048'],
    [0x0101, 'ffdhe3072'],
    [0x0102, 'ffdhe4096'],
    [0x0103, 'ffdhe6144'],
    [0x0104, 'ffdhe8192'],
    [0x0017, 'P-256'],
    [0x0018, 'P-384'],
    [0x0019, 'P-521'],
    [0x001d, 'X25519'],
    [0x001e, 'X448'],
  ];
  const server = tls.createServer({ cert: readFileSync(certPath('ecdsa-p256')), key: readFileSync(certPath('ecdsa-p256', 'key')), minVersion: 'TLSv1.3', ecdhCurve: groups.map(([, name]) => name).join(':') });
  server.on('tlsClientError', () => {});
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  t.teardown(() => new Promise<void>((resolve) => server.close(() => resolve())));
  const ctx: EndpointContext = { address: '127.0.0.1', port: (server.address() as AddressInfo).port, sni: null, alpn: [], timeoutMs: 3000, signal: new AbortController().signal, probes: 0, limit: (fn) => fn() };
  for (const [group, name] of groups) {
    // Only this group, with its share: a well-formed share gets a ServerHello in it, a bad one an alert.
    const o = await probe(ctx, { protocol: 'TLSv1.3', suites: [0x1301, 0x1302], groups: [group], keyShares: [group] });
    t.equal(o.kind === 'hello' && !o.serverHello.isHelloRetryRequest ? o.serverHello.keyShareGroup : `${o.kind}${o.kind === 'alert' ? ` ${o.description}` : ''}`, group, `${name}: a ServerHello in that group, the share used as sent`);
  }
});
