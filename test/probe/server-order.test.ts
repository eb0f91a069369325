/**
 * Whether a server enforces its own suite order is asked with one hello offering the accepted
 * suites reversed, unless the enumeration already showed it: a server that picked a suite while
 * one it accepts stood before it in our offer has put its order over ours (eliminate.ts,
 * overrodeOffer). These scripted TLS 1.2 servers take the same three suites and differ only in
 * how they choose; every hello they receive is kept, so the test sees which were asked.
 */
import t, { type Test } from 'tap';
import { offerOrder } from '../../src/probe/sweepLegacy.js';
import type { ParsedClientHello } from '../wire/clientHelloParser.js';
import { scripted, SCRIPTED, type Decision, type ScriptedConfig } from '../helpers/hostile.js';
import { FAST, hex, protocol, scanBehaviour } from './hostileExpect.js';

/** The three suites, in the order fipscan offers them. */
const OFFERED = offerOrder('TLSv1.2').filter((id) => [0x009c, 0x002f, 0x0035].includes(id));
/** RFC 5746's SCSV and RFC 7507's: not suites a server picks. */
const SIGNALS = new Set([0x00ff, 0x5600]);

/** A TLS 1.2-only server ranking `preference`; `clientOrder` picks the client's first suite it takes instead. */
function server(preference: readonly number[], clientOrder = false) {
  const hellos: number[][] = [];
  const config: ScriptedConfig = { ...SCRIPTED, legacyVersions: [0x0303], suites: preference, tls13Suites: [] };
  const behaviour = scripted(config, {
    decision: (d: Decision, hello: ParsedClientHello | null): Decision => {
      if (hello) hellos.push(hello.cipherSuites.filter((id) => !SIGNALS.has(id)));
      if (!clientOrder || d.kind !== 'tls12' || !hello) return d;
      return { ...d, suite: hello.cipherSuites.find((id) => preference.includes(id))! };
    },
  });
  return { behaviour, hellos };
}

/** The hellos that offered exactly the accepted suites in the reverse of the order they were found: the order question. */
function orderQuestions(hellos: readonly number[][], found: readonly number[]): number {
  const reversed = hex([...found].reverse()).join(' ');
  return hellos.filter((h) => hex(h).join(' ') === reversed).length;
}

async function scanned(t: Test, preference: readonly number[], clientOrder = false) {
  const s = server(preference, clientOrder);
  const r = await scanBehaviour(t, s.behaviour, FAST);
  const tls12 = protocol(r, 'TLSv1.2');
  t.same(hex([...tls12.suites].sort()), hex([...OFFERED].sort()), 'all three suites found');
  return { tls12, probes: r.probes, questions: orderQuestions(s.hellos, tls12.suites) };
}

t.test('the enumeration shows the order: no reversed hello', async (t) => {
  t.equal(OFFERED.length, 3, 'fipscan offers all three suites in TLS 1.2');
  const shown = await scanned(t, [...OFFERED].reverse());
  t.equal(shown.tls12.serverOrder, true, 'server order');
  t.same(hex(shown.tls12.suites), hex([...OFFERED].reverse()), "listed in the server's order");
  t.equal(shown.questions, 0, 'the order question was not asked');

  // The same server ranking the suites as fipscan offers them: its picks show nothing, so the question is asked.
  const asked = await scanned(t, OFFERED);
  t.equal(asked.tls12.serverOrder, true, 'server order');
  t.equal(asked.questions, 1, 'the order question was asked once');
  t.equal(shown.probes, asked.probes - 1, 'one probe fewer when the enumeration showed the order');
});

t.test('a server that follows the client is still asked, and is not called server order', async (t) => {
  const client = await scanned(t, [...OFFERED].reverse(), true);
  t.equal(client.tls12.serverOrder, false, 'client order');
  t.same(hex(client.tls12.suites), hex(OFFERED), 'picked in our order');
  t.equal(client.questions, 1, 'the order question was asked once');
});
