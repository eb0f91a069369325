/**
 * Sanity check of the fixture servers themselves, before any scan test trusts them: every shape
 * starts on every stack, `openssl s_client` negotiates an expected suite in each offered version
 * and is refused a suite the shape excludes, mTLS shapes refuse a client without a certificate,
 * and close() really frees the port. The full expectations are verified by
 * test/helpers/verify-shapes.js, which is too slow to run on every test run.
 */

import net from 'node:net';
import t from 'tap';
import { opensslSuites, sClient } from './helpers/clients.js';
import { unavailableReason, type TlsVersionName } from './helpers/servers.js';
import { allStacks, shapes, startShape } from './helpers/shapes.js';

const table = await opensslSuites();
const nameOf = new Map(table.map((suite) => [suite.code, suite.name]));

/**
 * Suites to be refused, first one the shape does not list wins. All are in the stacks' default
 * lists and match the certificate type, so a refusal shows the configuration narrowing them.
 */
const excludedCandidates: Record<'rsa' | 'ecdsa' | 'tls13', number[]> = {
  rsa: [0xc027, 0xcca8, 0x009e],
  ecdsa: [0xc023, 0xcca9, 0xc009],
  tls13: [0x1303, 0x1304, 0x1305],
};

function refusesConnections(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect({ host: '127.0.0.1', port }, () => {
      socket.destroy();
      resolve(false);
    });
    socket.on('error', () => resolve(true));
  });
}

for (const shape of Object.values(shapes)) {
  for (const stack of allStacks) {
    const skip = await unavailableReason(stack);
    t.test(`${shape.name} on ${stack} serves its configuration`, { skip: skip ?? false }, async (t) => {
      const server = await startShape(shape, stack);
      t.teardown(() => server.close());
      const expected = shape.expected[stack];
      const clientCert = expected.clientCertificate === 'required';
      const offered = (Object.entries(expected.versions) as [TlsVersionName, (typeof expected.versions)[TlsVersionName]][])
        .filter((entry): entry is [TlsVersionName, NonNullable<(typeof entry)[1]>] => entry[1] !== null);

      for (const [version, want] of offered) {
        const name = want.suites.map((code) => nameOf.get(code)).find((n) => n !== undefined);
        if (name === undefined) throw new Error(`no OpenSSL name for any ${version} suite of ${shape.name}`);
        const offer = version === 'TLSv1.3' ? { ciphersuites: name } : { cipher: name };
        const result = await sClient({ port: server.port, version, clientCert, ...offer });
        t.ok(result.completed && result.suite === name, `${version} negotiates ${name}`, { server: server.describe, output: result.output });
      }

      const [best, want] = offered[offered.length - 1] ?? [];
      if (best === undefined || want === undefined) throw new Error(`${shape.name} offers no version`);
      const candidates = excludedCandidates[best === 'TLSv1.3' ? 'tls13' : shape.certs[0]?.startsWith('ecdsa') === true ? 'ecdsa' : 'rsa'];
      const excluded = candidates.find((code) => !want.suites.includes(code));
      const excludedName = excluded === undefined ? undefined : nameOf.get(excluded);
      if (excludedName === undefined) throw new Error(`no excluded ${best} suite to try on ${shape.name}`);
      const offer = best === 'TLSv1.3' ? { ciphersuites: excludedName } : { cipher: excludedName };
      const refused = await sClient({ port: server.port, version: best, clientCert, ...offer });
      t.equal(refused.suite, null, `${best} refuses ${excludedName}`, { output: refused.output });

      // TLS 1.2 refuses inside the handshake; a TLS 1.3 refusal arrives after it and would race.
      if (clientCert && expected.versions['TLSv1.2'] !== null) {
        const bare = await sClient({ port: server.port, version: 'TLSv1.2' });
        t.ok(bare.clientCertRequested, 'asks for a client certificate');
        t.ok(!bare.completed && bare.alert !== null, 'refuses a client without a certificate', { output: bare.output });
      }

      await server.close();
      t.ok(await refusesConnections(server.port), 'close() frees the port');
    });
  }
}
