/**
 * Alerts no one assigned. A fatal alert with an unknown code, to the plainest hello as well, is a
 * refusal by design (eliminate.ts), so versions may come out "not offered" but never offered. A
 * warning-level alert is not an answer: RFC 5246 §7.2 lets the handshake go on after one, and
 * real clients (OpenSSL) read on to the ServerHello that follows, as on an Apache SNI mismatch.
 */
import t from 'tap';
import { behaviours } from '../helpers/hostileBehaviours.js';
import { ALL, FAST, checkNothingDecisive, checkScriptedFindings, protocol, scanBehaviour } from './hostileExpect.js';

t.test('a fatal unknown alert (254) to every hello: refused after the plain hello, nothing offered', async (t) => {
  const r = await scanBehaviour(t, behaviours.unknownAlert);
  // A TLS endpoint that answers, but refuses every hello of a full sweep: nothing was learned of
  // its configuration, so it is an error with a hint (refuses-every-hello.test.ts), not a verdict.
  t.equal(r.error?.code, 'EHELLO_REFUSED', 'refused every hello: an error, not a verdict');
  for (const name of ALL) {
    const p = protocol(r, name);
    t.not(p.offered, true, `${name} not claimed offered`);
    t.same(p.suites, [], `${name} no suites`);
  }
  for (const name of ['SSLv3', 'TLSv1.0', 'TLSv1.1', 'TLSv1.2'] as const) {
    t.ok(protocol(r, name).workarounds.includes('no-optional-extensions'), `${name}: the plain hello was tried before concluding`);
  }
  t.same(r.protocolViolations, [], 'no violations');
});

t.test('a warning-level unknown alert and then silence: every version inconclusive, after two rounds', async (t) => {
  const r = await scanBehaviour(t, behaviours.unknownWarningAlert, FAST);
  checkNothingDecisive(t, r, ['ETIMEDOUT_HANDSHAKE']);
  t.equal(r.probes, 4, 'a warning decides nothing: the port stalls like a silent one');
});

t.test('a warning-level unrecognized_name before the ServerHello: the ServerHello is the answer', async (t) => {
  checkScriptedFindings(t, await scanBehaviour(t, behaviours.warningAlertThenHello));
});
