/**
 * A server that refuses every hello (issue 13, item 4): handshake_failure to every version and
 * every suite, as one does that wants a particular server name or a client certificate before
 * the handshake. Every hello of a full sweep offers every suite and group there is, so nothing
 * about its configuration was learned: the endpoint is an error with a hint, never "fail: offers
 * no protocol allowed". A server that takes one version and refuses the others is judged as usual.
 */
import t from 'tap';
import { evaluate } from '../../src/policy/evaluate.js';
import { builtinPolicy } from '../../src/policy/index.js';
import { alert } from '../helpers/serverFlight.js';
import { byHello, scripted, send, SCRIPTED } from '../helpers/hostile.js';
import { ALL, protocol, scanBehaviour } from './hostileExpect.js';

const everyHelloRefused = byHello(() => send(alert(40), 'end'));

t.test('handshake_failure to every hello: an error naming --sni and --cert, every version refused', async (t) => {
  const r = await scanBehaviour(t, everyHelloRefused);
  t.equal(r.error?.code, 'EHELLO_REFUSED', `error code (${JSON.stringify(r.error)})`);
  t.match(r.error?.message, /refused every hello/, 'says what happened');
  t.match(r.error?.message, /--sni NAME/, 'hints at the server name');
  t.match(r.error?.message, /--cert/, 'hints at a client certificate');
  for (const name of ALL) t.not(protocol(r, name).offered, true, `${name} not claimed offered`);
  const verdict = evaluate(r, builtinPolicy('fips-strict')!);
  t.equal(verdict.verdict, 'error', 'ERROR, not FAIL "offers no protocol allowed"');
});

t.test('a server that takes TLS 1.2 only and refuses the rest is judged, not an error', async (t) => {
  const r = await scanBehaviour(t, scripted({ ...SCRIPTED, legacyVersions: [0x0303], tls13Suites: [] }));
  t.equal(r.error, null);
  t.equal(protocol(r, 'TLSv1.2').offered, true);
  t.equal(protocol(r, 'TLSv1.3').offered, false);
});
