/**
 * TLS 1.3 stacks that refuse an empty key_share instead of answering it with a HelloRetryRequest
 * (and so refuse any hello that holds no share for a group they take). fipscan climbs to the
 * real-key-share rung; there a refusal proves only that the groups it sent shares for are
 * refused. A supported group that was offered without a share must never come out "not offered":
 * it is found once a hello carries its share, and a group no share can be made for here
 * (ML-KEM hybrids on Node 20) is inconclusive.
 */
import t from 'tap';
import { makeKeyShare } from '../../src/probe/keyShares.js';
import type { ScanOptions } from '../../src/probe/types.js';
import { scripted, SCRIPTED, type ScriptedConfig } from '../helpers/hostile.js';
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
  if (makeKeyShare(0x11ec) === null) {
    t.ok(tls13.inconclusiveGroups.includes(0x11ec), 'the hybrid, for which no share can be made here, is inconclusive');
    t.equal(tls13.groupsComplete, false, 'so the group list is not claimed complete');
  }
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
