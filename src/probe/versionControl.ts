/**
 * Proving an old version refused on a server that hangs up instead of sending an alert (Dovecot
 * does: its TLS layer never flushes the alert OpenSSL writes). A close proves nothing on its
 * own: the server may have choked on the hello's shape. So two hellos go out that differ in
 * nothing but the version they ask for: a hello shaped like the newest version the server
 * accepts, offering every suite of the old version plus one suite it is known to accept,
 * once asking for that newest version (the control) and once for the old one. When the
 * control gets a ServerHello and the other is closed without a byte twice, the server has
 * refused the old version with every suite it could be negotiated with: not offered. Anything
 * else leaves the version inconclusive. Three probes per such version, run only for versions
 * the sweep left inconclusive.
 */
import { wireVersion } from '../registry/versions.js';
import { classify } from './eliminate.js';
import { probe, type EndpointContext, type HelloSpec, type ProbeOutcome } from './probe.js';
import { legacyGroups, offerOrder } from './sweepLegacy.js';
import type { ProtocolName, ProtocolResult } from './types.js';

const OLD_VERSIONS: readonly ProtocolName[] = ['SSLv3', 'TLSv1.0', 'TLSv1.1'];
const CONTROL_VERSIONS: readonly ProtocolName[] = ['TLSv1.2', 'TLSv1.1', 'TLSv1.0'];

/** A connection that ended (close or reset) before the server sent a single byte. */
function hungUp(o: ProbeOutcome): boolean {
  return o.kind === 'failed' && (o.how === 'eof' || o.how === 'reset') && o.received === 0;
}

/** The version proven offered with a suite, newest first, for the control hello; null if none. */
function controlVersion(results: readonly ProtocolResult[]): { protocol: ProtocolName; suite: number } | null {
  for (const name of CONTROL_VERSIONS) {
    const r = results.find((p) => p.protocol === name);
    if (r?.offered === true && r.suites[0] !== undefined) return { protocol: name, suite: r.suites[0] };
  }
  return null;
}

/** Settles old versions the sweep left inconclusive because the server only hung up. Mutates `results`. */
export async function settleSilentVersions(ctx: EndpointContext, results: ProtocolResult[]): Promise<void> {
  const control = controlVersion(results);
  if (control === null) return;
  const pending = results.filter((r) => OLD_VERSIONS.includes(r.protocol) && wireVersion(r.protocol) < wireVersion(control.protocol) && r.offered === null && r.suites.length === 0);
  await Promise.all(pending.map((r) => settle(ctx, r, control)));
}

async function settle(ctx: EndpointContext, r: ProtocolResult, control: { protocol: ProtocolName; suite: number }): Promise<void> {
  const suites = [...offerOrder(r.protocol).filter((s) => s !== control.suite), control.suite];
  const spec = (clientVersion: number): HelloSpec => ({ protocol: control.protocol, suites, groups: legacyGroups(), clientVersion });
  const asked = await probe(ctx, spec(wireVersion(control.protocol)));
  if (classify(control.protocol, asked, (o) => o.serverHello.cipherSuite).type !== 'picked') return;
  let old = await probe(ctx, spec(wireVersion(r.protocol)));
  if (hungUp(old)) old = await probe(ctx, spec(wireVersion(r.protocol)));
  const answer = classify(r.protocol, old, (o) => o.serverHello.cipherSuite);
  const proof = `the same hello asking for ${control.protocol} got a ServerHello`;
  if (answer.type === 'refused' || answer.type === 'lower-version') {
    Object.assign(r, { offered: false, reason: `refused every ${r.protocol} suite (${answer.type === 'refused' ? `alert ${answer.alert}` : 'answered with a lower version'}) to a hello whose shape the server handles: ${proof}` });
  } else if (hungUp(old)) {
    Object.assign(r, { offered: false, reason: `closed without an alert, twice, on a hello offering every ${r.protocol} suite; ${proof}: a refusal` });
    r.workarounds = [...r.workarounds, 'close-as-refusal'];
  } else if (answer.type === 'picked') {
    // The sweep missed it (every hello it sent was closed): offered, with what this answer shows.
    Object.assign(r, { offered: true, reason: null, suites: [answer.item], suitesComplete: false });
    return;
  } else return;
  r.suites = [];
  r.suitesComplete = true;
  r.inconclusiveSuites = [];
}
