/**
 * Broken record framing. Impossible lengths (a record over 2^14 + 2048 bytes, a handshake
 * message claiming 16 MiB) and zero-length handshake records are failures, so every version is
 * inconclusive. Legal but unusual framing (one-byte records, empty application data between
 * messages) must give exactly the findings of the same answers framed normally. Floods stop at
 * the per-probe byte cap, not at the timeout; what they cost the event loop every other probe
 * shares is checked where it shows, in hostile-many-targets.test.ts.
 */
import { monitorEventLoopDelay } from 'node:perf_hooks';
import t from 'tap';
import { behaviours } from '../helpers/hostileBehaviours.js';
import { checkNothingDecisive, checkScriptedFindings, scanBehaviour } from './hostileExpect.js';

t.test('a record longer than 2^14 + 2048 bytes: every version inconclusive', async (t) => {
  checkNothingDecisive(t, await scanBehaviour(t, behaviours.oversizeRecord), ['ENOTTLS']);
});

t.test('a handshake message claiming 16 MiB: every version inconclusive, nothing allocated for it', async (t) => {
  const before = process.memoryUsage().arrayBuffers;
  checkNothingDecisive(t, await scanBehaviour(t, behaviours.hugeHandshake), ['ENOTTLS']);
  t.ok(process.memoryUsage().arrayBuffers - before < 8 * 1024 * 1024, 'no 16 MiB buffer was allocated');
});

t.test('a zero-length handshake record before the answer: every version inconclusive', async (t) => {
  checkNothingDecisive(t, await scanBehaviour(t, behaviours.zeroLengthRecords), ['ENOTTLS']);
});

t.test('zero-length application data after the ServerHello: the answer still counts', async (t) => {
  checkScriptedFindings(t, await scanBehaviour(t, behaviours.zeroLengthAfterHello));
});

t.test('a correct answer in one-byte records gives exactly the normal findings', async (t) => {
  const r = await scanBehaviour(t, behaviours.tinyRecords);
  checkScriptedFindings(t, r);
  t.same(r.protocolViolations, [], 'no protocol violations');
});

for (const name of ['tinyRecordFlood', 'changeCipherSpecFlood'] as const) {
  t.test(`${name}: every probe stops at the byte cap, every version inconclusive`, async (t) => {
    const delay = monitorEventLoopDelay({ resolution: 5 });
    delay.enable();
    const r = await scanBehaviour(t, behaviours[name], { timeoutMs: 2000, deadlineMs: 30000, concurrency: 1, skipTlsCertificate: true });
    delay.disable();
    t.comment(`event loop blocked at most ${(delay.max / 1e6).toFixed(1)} ms`);
    checkNothingDecisive(t, r, ['ENOTTLS']);
    const timeouts = r.protocols.filter((p) => /no decisive answer within/.test(p.reason ?? ''));
    t.same(timeouts.map((p) => p.protocol), [], 'no probe timed out: each ended at the byte cap');
  });
}
