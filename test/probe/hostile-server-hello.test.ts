/**
 * ServerHellos that lie. A suite or version that was not offered is a protocol violation, listed
 * in protocolViolations, and the version it came in for is inconclusive (neither offered on that
 * evidence nor refused). A correct ServerHello followed by garbage still answered the question
 * the probe asked (probe.ts), whether the garbage arrives in a later TCP segment or the same one.
 */
import t from 'tap';
import { behaviours } from '../helpers/hostileBehaviours.js';
import { checkScriptedFindings, hex, protocol, scanBehaviour } from './hostileExpect.js';

const LEGACY = ['SSLv3', 'TLSv1.0', 'TLSv1.1', 'TLSv1.2'] as const;

t.test('a correct ServerHello followed by garbage in the same segment: the ServerHello counts', async (t) => {
  checkScriptedFindings(t, await scanBehaviour(t, behaviours.helloThenGarbage));
});

t.test('a ServerHello or HelloRetryRequest with a suite that was not offered: violation, version inconclusive', async (t) => {
  const r = await scanBehaviour(t, behaviours.unofferedSuite);
  for (const name of ['TLSv1.0', 'TLSv1.1', 'TLSv1.2', 'TLSv1.3'] as const) {
    const p = protocol(r, name);
    t.equal(p.offered, null, `${name} inconclusive`);
    t.same(p.suites, [], `${name} claims no suite`);
    t.ok(p.inconclusiveSuites.length > 0, `${name} lists its suites as inconclusive`);
    t.ok(r.protocolViolations.some((v) => v.startsWith(`${name}:`) && v.includes('0x0a0a') && v.includes('not offered')), `${name} violation names the suite`);
  }
  t.equal(protocol(r, 'SSLv3').offered, false, 'SSLv3 still refused with protocol_version');
});

t.test('legacy_version 0x0304 without supported_versions to TLS <= 1.2 hellos: violation, version inconclusive', async (t) => {
  const r = await scanBehaviour(t, behaviours.tls13WithoutSupportedVersions);
  for (const name of LEGACY) {
    t.equal(protocol(r, name).offered, null, `${name} inconclusive`);
    t.ok(r.protocolViolations.some((v) => v.startsWith(`${name}:`) && v.includes('0x304')), `${name} violation names version 0x304`);
  }
  checkScriptedFindings(t, r, ['TLSv1.3']);
});

t.test('a TLS 1.2 ServerHello to SSLv3, TLS 1.0 and TLS 1.1 hellos: violation, those versions inconclusive', async (t) => {
  const r = await scanBehaviour(t, behaviours.tls12ToEverything);
  for (const name of ['SSLv3', 'TLSv1.0', 'TLSv1.1'] as const) {
    t.equal(protocol(r, name).offered, null, `${name} inconclusive, not offered on a TLS 1.2 answer`);
    t.ok(r.protocolViolations.some((v) => v.startsWith(`${name}:`) && v.includes('0x303')), `${name} violation names version 0x303`);
  }
  checkScriptedFindings(t, r, ['TLSv1.2', 'TLSv1.3']);
});

t.test('a HelloRetryRequest to every hello: violations for TLS <= 1.2, TLS 1.3 suites found, no endless loop', async (t) => {
  const r = await scanBehaviour(t, behaviours.hrrForever);
  for (const name of LEGACY) {
    t.equal(protocol(r, name).offered, null, `${name} inconclusive`);
    t.ok(r.protocolViolations.some((v) => v.startsWith(`${name}:`) && v.includes('0x304')), `${name} violation: answered with TLS 1.3`);
  }
  const tls13 = protocol(r, 'TLSv1.3');
  t.equal(tls13.offered, true, 'TLS 1.3 offered (it did pick offered suites)');
  t.same(hex(tls13.suites), hex([0x1302, 0x1301]), 'the suites it picked while they were on offer');
  t.equal(tls13.suitesComplete, false, 'not complete: it picked an unoffered suite instead of refusing');
  t.ok(r.protocolViolations.some((v) => v.startsWith('TLSv1.3:') && v.includes('not offered')), 'TLS 1.3 violation recorded');
});
