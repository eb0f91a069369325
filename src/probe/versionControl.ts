/**
 * Proving an old version refused on a server that hangs up instead of sending an alert (Dovecot
 * does: its TLS layer never flushes the alert OpenSSL writes). A close proves nothing on its
 * own: the server may have choked on the hello's shape. So two hellos go out that differ in
 * nothing but the version they ask for: a hello shaped like the newest version the server
 * accepts, offering every suite of the old version plus one suite it is known to accept, once
 * asking for that newest version (the control) and once for the old one. When the control gets
 * a ServerHello, the other is closed without a byte twice, and the control is answered again
 * (a server shedding load would not), the server has refused the old version with every suite
 * it could be negotiated with: not offered. Anything else leaves the
 * version to the fallback ladder, or inconclusive. The sweep asks as soon as an old version's
 * first hello is hung up on (the TLS 1.2 version probe supplies the control); versions still
 * inconclusive after the sweeps are asked once more with whatever version was found.
 */
import { wireVersion } from '../registry/versions.js';
import { classify, hungUpOn } from './eliminate.js';
import { probe, type EndpointContext, type HelloSpec, type ProbeOutcome } from './probe.js';
import { legacyGroups, offerOrder } from './sweepLegacy.js';
import type { ProtocolName, ProtocolResult } from './types.js';

const OLD_VERSIONS: readonly ProtocolName[] = ['SSLv3', 'TLSv1.0', 'TLSv1.1'];
const CONTROL_VERSIONS: readonly ProtocolName[] = ['TLSv1.2', 'TLSv1.1', 'TLSv1.0'];

/** A version the server accepts and one suite it accepts with it: what the control hello asks for. */
export interface Control {
  protocol: ProtocolName;
  suite: number;
}

/** How a settled version ended: offered false with a reason, or (rarely) a suite the sweep missed. */
export type Settlement = { offered: false; reason: string; hangUp: boolean } | { offered: true; suite: number };

/** The control a ServerHello to `protocol`'s version probe gives, if it gives one. */
export function controlFrom(protocol: ProtocolName, outcome: ProbeOutcome | null | undefined): Control | null {
  if (!outcome || outcome.kind !== 'hello' || outcome.serverHello.version !== wireVersion(protocol)) return null;
  return { protocol, suite: outcome.serverHello.cipherSuite };
}

/** Asks the control pair for `protocol`; null when it proves nothing. */
export async function settleVersion(ctx: EndpointContext, protocol: ProtocolName, control: Control): Promise<Settlement | null> {
  if (wireVersion(protocol) >= wireVersion(control.protocol)) return null;
  const suites = [...offerOrder(protocol).filter((s) => s !== control.suite), control.suite];
  const spec = (clientVersion: number): HelloSpec => ({ protocol: control.protocol, suites, groups: legacyGroups(), clientVersion });
  const answered = async (): Promise<boolean> => classify(control.protocol, await probe(ctx, spec(wireVersion(control.protocol))), (o) => o.serverHello.cipherSuite).type === 'picked';
  if (!(await answered())) return null;
  let old = await probe(ctx, spec(wireVersion(protocol)));
  if (hungUpOn(old)) old = await probe(ctx, spec(wireVersion(protocol)));
  const answer = classify(protocol, old, (o) => o.serverHello.cipherSuite);
  const proof = `the same hello asking for ${control.protocol} got a ServerHello`;
  if (answer.type === 'refused') return { offered: false, reason: `refused every ${protocol} suite (alert ${answer.alert}) to a hello whose shape the server handles: ${proof}`, hangUp: false };
  if (answer.type === 'lower-version') return { offered: false, reason: `answered with version 0x${answer.version.toString(16)}; ${proof}`, hangUp: false };
  // The hang-ups are bracketed by answers: a server shedding load would not answer after them.
  if (hungUpOn(old) && (await answered())) return { offered: false, reason: `closed without an alert, twice, on a hello offering every ${protocol} suite; ${proof}, before and after: a refusal`, hangUp: true };
  if (answer.type === 'picked') return { offered: true, suite: answer.item };
  return null;
}

/** The version proven offered with a suite, newest first; null if none. */
function controlOf(results: readonly ProtocolResult[]): Control | null {
  for (const name of CONTROL_VERSIONS) {
    const r = results.find((p) => p.protocol === name);
    if (r?.offered === true && r.suites[0] !== undefined) return { protocol: name, suite: r.suites[0] };
  }
  return null;
}

/** Settles old versions the sweeps left inconclusive without any suite. Mutates `results`. */
export async function settleSilentVersions(ctx: EndpointContext, results: ProtocolResult[]): Promise<void> {
  const control = controlOf(results);
  if (control === null) return;
  const pending = results.filter((r) => OLD_VERSIONS.includes(r.protocol) && r.offered === null && r.suites.length === 0);
  await Promise.all(
    pending.map(async (r) => {
      const s = await settleVersion(ctx, r.protocol, control);
      if (s === null) return;
      if (s.offered) {
        // Every hello the sweep sent was closed, yet this one was answered: offered, with what it shows.
        Object.assign(r, { offered: true, reason: null, suites: [s.suite], suitesComplete: false });
        return;
      }
      Object.assign(r, { offered: false, reason: s.reason, suites: [], suitesComplete: true, inconclusiveSuites: [] });
      r.workarounds = [...r.workarounds, 'version-control-hello', ...(s.hangUp ? ['close-as-refusal'] : [])];
    }),
  );
}
