/**
 * The scanner's findings equal each real server's configuration exactly: for every fixture
 * shape on every TLS stack (Node, OpenSSL s_server, gnutls-serv), the accepted versions, the
 * suites per version (in the server's order when it enforces one), the groups per version and
 * the DH prime sizes. Nothing missing (a false "not offered"), nothing extra, nothing
 * inconclusive.
 */
import t, { type Test } from 'tap';
import { scan } from '../../src/index.js';
import type { ProtocolResult, ScanResult } from '../../src/model/scan.js';
import { unavailableReason, type Stack, type TlsVersionName } from '../helpers/servers.js';
import { allStacks, shapes, startShape, type ShapeExpectation } from '../helpers/shapes.js';

const hex = (ids: readonly number[]): string[] => ids.map((id) => `0x${id.toString(16).padStart(4, '0')}`);
const sorted = (ids: readonly number[]): string[] => hex([...ids].sort((a, b) => a - b));

function protocol(r: ScanResult, name: string): ProtocolResult {
  const p = r.protocols.find((x) => x.protocol === name);
  if (!p) throw new Error(`no ${name} in result`);
  return p;
}

function checkShape(t: Test, r: ScanResult, expected: ShapeExpectation): void {
  t.equal(r.error, null, 'the endpoint was scanned');
  t.same(r.protocolViolations, [], 'no protocol violations');
  for (const legacy of ['SSLv2', 'SSLv3']) t.equal(protocol(r, legacy).offered, false, `${legacy} not offered`);
  for (const [name, want] of Object.entries(expected.versions) as [TlsVersionName, ShapeExpectation['versions'][TlsVersionName]][]) {
    const got = protocol(r, name);
    if (want === null) {
      t.equal(got.offered, false, `${name} not offered (${got.reason ?? ''})`);
      continue;
    }
    t.equal(got.offered, true, `${name} offered`);
    t.equal(got.suitesComplete, true, `${name} suite list proven complete`);
    t.same(got.inconclusiveSuites, [], `${name} has no inconclusive suites`);
    if (want.serverOrder === true) t.same(hex(got.suites), hex(want.suites), `${name} suites in the server's order`);
    else t.same(sorted(got.suites), sorted(want.suites), `${name} suites`);
    if (want.serverOrder !== null) t.equal(got.serverOrder, want.serverOrder, `${name} server order ${want.serverOrder}`);
    t.same(sorted(got.groups), sorted(want.groups), `${name} groups`);
    if (want.groups.length > 0) t.equal(got.groupsComplete, true, `${name} group list proven complete`);
    t.same([...new Set(got.dhParameters.map((d) => d.primeBits))].sort(), [...want.dhPrimeBits].sort(), `${name} DH prime sizes`);
  }
  const tls12 = expected.versions['TLSv1.2'] ?? expected.versions['TLSv1.1'] ?? expected.versions['TLSv1.0'];
  if (tls12) t.equal(r.features.clientCertificateRequested, expected.clientCertificate !== 'none', `client certificate ${expected.clientCertificate}`);
  t.ok(r.certificates.length > 0, 'certificate retrieved');
}

for (const shape of Object.values(shapes)) {
  for (const stack of allStacks as Stack[]) {
    t.test(`${shape.name} on ${stack}: ${shape.summary}`, async (t) => {
      const why = await unavailableReason(stack);
      if (why) {
        // CI installs every stack (.ci/run): a missing one there is a failure, not a skip.
        if (process.env.CI) t.fail(`${stack} unavailable in CI: ${why}`);
        else t.plan(0, why);
        return;
      }
      const server = await startShape(shape, stack);
      t.teardown(() => server.close());
      const result = await scan(`127.0.0.1:${server.port}`, { timeoutMs: 4000 });
      t.comment(`${server.describe}: ${result.probes} probes, ${result.durationMs} ms`);
      checkShape(t, result, shape.expected[stack]);
    });
  }
}
