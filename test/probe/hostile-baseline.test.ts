/**
 * The scripted responder that the hostile behaviours tamper with is itself scanned exactly:
 * every version, suite and group it offers, in its order, with no workaround and no violation.
 * Without this, a hostile test could pass or fail because of the responder, not the scanner.
 */
import t from 'tap';
import { scripted } from '../helpers/hostile.js';
import { ALL, checkScriptedFindings, protocol, scanBehaviour } from './hostileExpect.js';

t.test('the scripted TLS 1.0-1.3 responder is scanned exactly, without workarounds', async (t) => {
  const r = await scanBehaviour(t, scripted());
  checkScriptedFindings(t, r);
  t.same(r.protocolViolations, [], 'no protocol violations');
  for (const name of ALL) t.same(protocol(r, name).workarounds, [], `${name} needed no workaround`);
  t.equal(protocol(r, 'TLSv1.2').serverOrder, true, 'TLS 1.2 server order detected');
});
