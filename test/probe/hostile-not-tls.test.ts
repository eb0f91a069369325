/**
 * Endpoints that speak something else (random bytes, an HTTP response, an SSH banner) are
 * reported as not TLS (ENOTTLS) with every version inconclusive: fipscan cannot tell what a
 * TLS server on that port would accept, because there is none.
 */
import t from 'tap';
import { behaviours } from '../helpers/hostileBehaviours.js';
import { checkNothingDecisive, scanBehaviour } from './hostileExpect.js';

for (const name of ['garbage', 'http', 'ssh'] as const) {
  t.test(`${name}: ENOTTLS, every version inconclusive`, async (t) => {
    checkNothingDecisive(t, await scanBehaviour(t, behaviours[name]), ['ENOTTLS']);
  });
}
