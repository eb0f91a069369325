/**
 * Endpoints that end the connection instead of answering (close before or after the hello, a
 * reset in the middle of a record, a truncated record then close) make every version
 * inconclusive with a typed error, never "not offered".
 */
import t from 'tap';
import { behaviours } from '../helpers/hostileBehaviours.js';
import { FAST, checkNothingDecisive, scanBehaviour } from './hostileExpect.js';

t.test('closing at once after the hello: every version inconclusive', async (t) => {
  checkNothingDecisive(t, await scanBehaviour(t, behaviours.closeAtOnce));
});

t.test('closing on accept, before the hello: every version inconclusive', async (t) => {
  checkNothingDecisive(t, await scanBehaviour(t, behaviours.closeAtOnce, FAST, { atAccept: true }));
});

t.test('a reset in the middle of a record: every version inconclusive', async (t) => {
  checkNothingDecisive(t, await scanBehaviour(t, behaviours.resetMidRecord));
});

t.test('a truncated record then close: every version inconclusive', async (t) => {
  checkNothingDecisive(t, await scanBehaviour(t, behaviours.truncatedThenClose));
});
