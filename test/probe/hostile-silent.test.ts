/**
 * Endpoints that accept the connection and never say anything decisive (silence, one byte every
 * 100 ms forever) cost at most the deadline, and every version comes out inconclusive, never
 * "not offered": a timeout proves nothing about what the server would accept.
 */
import t from 'tap';
import { behaviours } from '../helpers/hostileBehaviours.js';
import { FAST, checkNothingDecisive, scanBehaviour } from './hostileExpect.js';

t.test('a silent endpoint yields within the deadline, every version inconclusive', async (t) => {
  checkNothingDecisive(t, await scanBehaviour(t, behaviours.silent));
});

t.test('an endpoint dripping one byte every 100 ms yields within the deadline, every version inconclusive', async (t) => {
  checkNothingDecisive(t, await scanBehaviour(t, behaviours.dripForever));
});

t.test('a deadline shorter than the sweep cuts a silent scan short without a false "not offered"', async (t) => {
  const r = await scanBehaviour(t, behaviours.silent, { ...FAST, timeoutMs: 800, deadlineMs: 1500 });
  checkNothingDecisive(t, r);
});
