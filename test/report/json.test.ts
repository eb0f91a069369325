import { readFileSync } from 'node:fs';
import t from 'tap';
import { policyDigest } from '../../src/policy/document.js';
import { renderJson, renderJsonLine, toJsonDocument, type JsonDocument, type JsonEndpoint } from '../../src/report/index.js';
import { POLICY, goldenRun, hostileEndpoint, hostileErrorEndpoint, legacyEndpoint, meshSidecarEndpoint, run } from './factories.js';
import { FIXTURES, matchGolden } from './golden.js';
import { validate, type Schema } from './jsonSchema.js';

const SCHEMA = JSON.parse(readFileSync(new URL('schema/fipscan-v1.schema.json', FIXTURES), 'utf8')) as Schema & { $defs: Record<string, Schema> };

const everything = () => run([...goldenRun().endpoints, legacyEndpoint(), hostileEndpoint(), hostileErrorEndpoint()]);

t.test('the JSON report of the four golden endpoints matches its golden', async (t) => {
  matchGolden(t, 'report.json', renderJson(goldenRun()));
});

t.test('the JSON report validates against fixtures/schema/fipscan-v1.schema.json', async (t) => {
  for (const [name, r] of [['golden', goldenRun()], ['every shape', everything()], ['no endpoints', run([])]] as const) {
    t.same(validate(SCHEMA, JSON.parse(renderJson(r))), [], name);
  }
});

t.test('renderJson is the document, indented by two spaces, with a trailing newline', async (t) => {
  const text = renderJson(goldenRun());
  t.equal(text, `${JSON.stringify(toJsonDocument(goldenRun()), null, 2)}\n`);
  t.match(text, /^\{\n  "schema": "fipscan\/v1",\n  "tool": \{\n    "name": "fipscan",/);
});

t.test('a jsonl line is the endpoint object of the document, on one line, valid as $defs/endpoint', async (t) => {
  const r = everything();
  const document = JSON.parse(renderJson(r)) as JsonDocument;
  r.endpoints.forEach((endpoint, i) => {
    const line = renderJsonLine(endpoint, r.policy);
    t.ok(line.endsWith('\n') && !line.slice(0, -1).includes('\n'), `line ${i} is one line`);
    const parsed = JSON.parse(line) as JsonEndpoint;
    t.same(parsed, document.endpoints[i], `line ${i} equals endpoints[${i}]`);
    t.same(validate(SCHEMA.$defs.endpoint!, parsed, { root: SCHEMA }), [], `line ${i} validates`);
  });
});

t.test('the summary counts verdicts', async (t) => {
  t.same(toJsonDocument(goldenRun()).summary, { endpoints: 4, pass: 1, fail: 1, error: 2, 'not-tls': 0 });
  t.same(toJsonDocument(goldenRun()).policy, { id: 'test-fips', version: '1.0', title: POLICY.title, sha256: policyDigest(POLICY) });
});

t.test('ciphers keep the server order and carry their names, encryption and policy mark', async (t) => {
  const endpoint = toJsonDocument(run([meshSidecarEndpoint()])).endpoints[0]!;
  const tls12 = endpoint.protocols.find((p) => p.name === 'TLSv1.2')!;
  t.same(
    tls12.ciphers.map((c) => c.id),
    ['0xc02f', '0xcca8', '0xc030', '0xc013', '0x009c', '0x002f', '0x009d', '0x0035'],
  );
  t.same(tls12.ciphers[1], {
    id: '0xcca8',
    iana: 'TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256',
    openssl: 'ECDHE-RSA-CHACHA20-POLY1305',
    kx: 'ECDHE',
    encryption: 'CHACHA20-POLY1305',
    bits: 256,
    allowed: false,
  });
  t.equal(tls12.ciphers[3]!.encryption, 'AES-128-CBC');
  t.equal(endpoint.protocols.length, 6);
  t.same(endpoint.protocols.map((p) => p.name), ['SSLv2', 'SSLv3', 'TLSv1.0', 'TLSv1.1', 'TLSv1.2', 'TLSv1.3']);
  t.same(
    endpoint.protocols.map((p) => p.allowed),
    [false, false, false, false, true, true],
  );
});

t.test('a warned item is allowed, and also listed among the warnings', async (t) => {
  const endpoint = toJsonDocument(run([meshSidecarEndpoint()])).endpoints[0]!;
  const tls12 = endpoint.protocols.find((p) => p.name === 'TLSv1.2')!;
  t.equal(tls12.ciphers.find((c) => c.id === '0x009c')!.allowed, true);
  t.ok(endpoint.warnings.some((w) => w.item === 'TLS_RSA_WITH_AES_128_GCM_SHA256 (0x009c)'));
});

t.test('groups are listed once with the versions that accepted them', async (t) => {
  const endpoint = toJsonDocument(run([meshSidecarEndpoint()])).endpoints[0]!;
  t.same(endpoint.groups, [
    { id: '0x001d', name: 'x25519', protocols: ['TLSv1.2', 'TLSv1.3'], allowed: false },
    { id: '0x0017', name: 'secp256r1', protocols: ['TLSv1.2', 'TLSv1.3'], allowed: true },
  ]);
});

t.test('ids are 0x and lowercase hex: 4 digits, 6 for SSLv2 cipher kinds', async (t) => {
  const endpoint = toJsonDocument(run([legacyEndpoint()])).endpoints[0]!;
  t.same(endpoint.protocols[0]!.ciphers.map((c) => c.id), ['0x0700c0', '0x010080', '0x020080']);
  t.same(endpoint.protocols[0]!.ciphers[0], {
    id: '0x0700c0',
    iana: 'SSL_CK_DES_192_EDE3_CBC_WITH_MD5',
    openssl: 'DES-CBC3-MD5',
    kx: 'RSA',
    encryption: '3DES-CBC',
    bits: 168,
    allowed: false,
  });
  t.same(endpoint.protocols[1]!.ciphers.map((c) => c.id), ['0x000a', '0x0005', '0x0004']);
});

t.test('DH parameters name their ffdhe group; an unreachable endpoint carries its error', async (t) => {
  const [strict, , unreachable] = toJsonDocument(goldenRun()).endpoints;
  t.same(strict!.dhParameters, [{ protocol: 'TLSv1.2', primeBits: 3072, group: 'ffdhe3072', modpGroup: null, safePrime: null }]);
  t.equal(unreachable!.verdict, 'error');
  t.same(unreachable!.error, { code: 'ECONNREFUSED', message: 'connect to 10.0.0.9:8443 (payments.example) refused: nothing listens there' });
  t.equal(unreachable!.address, null);
});

t.test('the schema rejects what the report must never contain', async (t) => {
  const good = JSON.parse(renderJson(goldenRun())) as JsonDocument;
  const broken = (edit: (d: JsonDocument & Record<string, unknown>) => void): string[] => {
    const copy = structuredClone(good) as JsonDocument & Record<string, unknown>;
    edit(copy);
    return validate(SCHEMA, copy);
  };
  t.ok(broken((d) => (d.endpoints[1]!.protocols[4]!.ciphers[0]!.id = '0xC02F')).length > 0, 'upper-case id');
  t.ok(broken((d) => (d.endpoints[1]!.groups[0]!.id = '0x1d')).length > 0, 'short group id');
  t.ok(broken((d) => ((d.endpoints[0] as unknown as Record<string, unknown>).verdict = 'ok')).length > 0, 'unknown verdict');
  t.ok(broken((d) => (d.extra = 1)).length > 0, 'extra top-level field');
  t.ok(broken((d) => delete (d.endpoints[0] as unknown as Record<string, unknown>).warnings).length > 0, 'missing warnings');
  t.ok(broken((d) => ((d.endpoints[2]!.error as unknown as Record<string, unknown>).code = 7)).length > 0, 'numeric error code');
});
