/**
 * `--k8s-discover` end to end: fipscan, run as a pod would run it (service account token and CA
 * in a directory, KUBERNETES_SERVICE_HOST/PORT), lists Services and EndpointSlices from an API
 * server on 127.0.0.1 serving the recorded-shape fixtures, and scans what it found. The fixtures
 * are moved onto loopback first (cluster IPs and pod addresses to 127.0.0.1, every TCP port to a
 * real test server) and the test checks that before fipscan runs: nothing else is ever connected
 * to. Kafka's TLS port is a permissive sidecar (fails), every other TLS port the strict server,
 * every other TCP port (named http, grpc, tcp-..., or nothing) a plaintext HTTP server: not TLS.
 */
import t, { type Test } from 'tap';
import { k8sTargets } from '../../src/cli/k8s.js';
import { reportErrors, runCli, sidecarServer, strictServer } from '../helpers/cli.js';
import { k8sFixture, onLoopback, startFakeApiServer, tcpPortNumbers } from '../helpers/k8sApi.js';
import { startPlainHttp } from '../helpers/permissive.js';

interface Endpoint {
  target: string;
  host: string;
  port: number;
  address: string | null;
  sni: string | null;
  verdict: string;
}

/** The fixtures on loopback, one real server per TLS port number (9093, Kafka's, the sidecar). */
async function loopbackCluster(t: Test) {
  const services = k8sFixture('services.json').items;
  const slices = k8sFixture('endpointslices.json').items;
  const portMap = new Map<number, number>();
  const ports = tcpPortNumbers([...services, ...slices]);
  for (const n of ports.tls) portMap.set(n, (n === 9093 ? await sidecarServer(t) : await strictServer(t)).port);
  // Every other TCP port is probed too: a plaintext HTTP server stands behind each (not TLS).
  for (const n of ports.plain) {
    const plain = await startPlainHttp();
    t.teardown(() => plain.close());
    portMap.set(n, plain.port);
  }
  const cluster = { services: onLoopback(services, portMap), endpointSlices: onLoopback(slices, portMap), portMap };
  // The guard: every target fipscan can derive from what the fake API serves is a loopback test server.
  const servers = new Set(portMap.values());
  for (const allPorts of [false, true]) {
    const derived = k8sTargets([{ kind: 'List', items: [...cluster.services, ...cluster.endpointSlices] }], { endpoints: allPorts, allAddresses: allPorts, clusterDomain: 'cluster.local' }).targets;
    const stray = derived.filter((x) => x.resolveAll || !['127.0.0.1', '::1'].includes(x.endpoint.address ?? '') || !servers.has(x.endpoint.port));
    if (stray.length > 0) throw new Error(`fixture rewrite left non-loopback targets: ${stray.map((x) => x.endpoint.target).join(', ')}`);
  }
  return cluster;
}

t.test('discovers services and endpoint slices with the service account, pages through them, and probes every TCP port', async (t) => {
  const cluster = await loopbackCluster(t);
  const api = await startFakeApiServer(t, { services: cluster.services, endpointSlices: cluster.endpointSlices, pageSize: 5 });
  const run = await runCli(['scan', '--k8s-discover', '--format', 'json'], { env: api.env, timeoutMs: 60_000 });
  t.equal(run.code, 1, 'exit 1: the Kafka ports fail the policy', { stderr: run.stderr });
  // 24: both ready Kafka pods (two ports each); on loopback each port is one endpoint (below).
  t.match(run.stderr, /fipscan: k8s: 24 TCP ports from 13 services and 8 endpoint slices; 1 UDP\/SCTP port skipped; skipped 1: shop\/legacy-billing: ExternalName/);
  t.same(
    api.requests.map((r) => r.path),
    [
      '/api/v1/services?limit=500',
      `/api/v1/services?limit=500&continue=${Buffer.from('5').toString('base64url')}`,
      `/api/v1/services?limit=500&continue=${Buffer.from('10').toString('base64url')}`,
      '/apis/discovery.k8s.io/v1/endpointslices?limit=500',
      `/apis/discovery.k8s.io/v1/endpointslices?limit=500&continue=${Buffer.from('5').toString('base64url')}`,
    ],
    'lists paged with limit and continue',
  );
  t.ok(api.requests.every((r) => r.authorized), 'every request carried the bearer token');

  const report = JSON.parse(run.stdout) as { endpoints: Endpoint[] };
  t.same(reportErrors(report), [], 'a valid fipscan/v1 report');
  const port = (n: number) => cluster.portMap.get(n)!;
  t.same(
    report.endpoints.map((e) => [e.target, e.verdict]).sort(),
    [
      [`kubernetes.default.svc.cluster.local:${port(443)}`, 'pass'],
      [`cert-manager-webhook.cert-manager.svc.cluster.local:${port(443)}`, 'pass'],
      [`kafka.data.svc.cluster.local:${port(9093)}`, 'fail'],
      [`istio-ingressgateway.istio-system.svc.cluster.local:${port(443)}`, 'pass'],
      [`istiod.istio-system.svc.cluster.local:${port(15012)}`, 'pass'],
      [`istiod.istio-system.svc.cluster.local:${port(443)}`, 'pass'],
      [`payments.shop.svc.cluster.local:${port(443)}`, 'pass'],
      [`legacy-admin.shop.svc.cluster.local:${port(8443)}`, 'pass'],
      [`frontend.web.svc.cluster.local:${port(443)}`, 'pass'],
      // Both ready Kafka pods moved to 127.0.0.1: one endpoint once deduplicated.
      [`kafka-headless.data.svc.cluster.local:${port(9093)}@127.0.0.1`, 'fail'],
      // The ports whose names declare cleartext, or say nothing, are probed too: not TLS here.
      [`kafka.data.svc.cluster.local:${port(9092)}`, 'not-tls'],
      [`kafka-headless.data.svc.cluster.local:${port(9092)}@127.0.0.1`, 'not-tls'],
      [`postgres.data.svc.cluster.local:${port(5432)}`, 'not-tls'],
      [`istio-ingressgateway.istio-system.svc.cluster.local:${port(15021)}`, 'not-tls'],
      [`istio-ingressgateway.istio-system.svc.cluster.local:${port(80)}`, 'not-tls'],
      [`istiod.istio-system.svc.cluster.local:${port(15010)}`, 'not-tls'],
      [`istiod.istio-system.svc.cluster.local:${port(15014)}`, 'not-tls'],
      [`kube-dns.kube-system.svc.cluster.local:${port(53)}`, 'not-tls'],
      [`kube-dns.kube-system.svc.cluster.local:${port(9153)}`, 'not-tls'],
      [`checkout.shop.svc.cluster.local:${port(8080)}`, 'not-tls'],
      [`checkout.shop.svc.cluster.local:${port(9090)}`, 'not-tls'],
      [`frontend.web.svc.cluster.local:${port(80)}`, 'not-tls'],
    ].sort(),
  );
  for (const e of report.endpoints) {
    t.equal(e.sni, e.host, `${e.target}: SNI is the service name`);
    t.match(e.host, /^[a-z0-9-]+\.[a-z0-9-]+\.svc\.cluster\.local$/);
    t.equal(e.address, '127.0.0.1');
  }
});

t.test('a wrong token is a one-line error naming the API answer, exit 69, nothing scanned', async (t) => {
  const api = await startFakeApiServer(t, { services: [], endpointSlices: [] });
  const run = await runCli(['scan', '--k8s-discover', '--format', 'json'], { env: { ...api.env, FIPSCAN_K8S_SERVICEACCOUNT_DIR: undefined }, timeoutMs: 20_000 });
  t.equal(run.code, 69, { stderr: run.stderr });
  t.match(run.stderr, /^fipscan: --k8s-discover: cannot read the service account token and CA in \/var\/run\/secrets\/kubernetes\.io\/serviceaccount/);
  t.equal(run.stdout, '');

  const { writeFileSync } = await import('node:fs');
  writeFileSync(`${api.serviceAccountDir}/token`, 'not-the-token\n');
  const wrong = await runCli(['scan', '--k8s-discover'], { env: api.env, timeoutMs: 20_000 });
  t.equal(wrong.code, 69, { stderr: wrong.stderr });
  t.match(wrong.stderr, /^fipscan: --k8s-discover: cannot list services: https:\/\/127\.0\.0\.1:\d+\/api\/v1\/services\?limit=500: HTTP 401: Unauthorized \[EK8S\]\n$/);
  t.same(api.requests.map((r) => r.authorized), [false]);
});

t.test('outside a pod: exit 69 and a pointer to --k8s', async (t) => {
  const run = await runCli(['scan', '--k8s-discover'], { env: { KUBERNETES_SERVICE_HOST: undefined, KUBERNETES_SERVICE_PORT: undefined, KUBERNETES_SERVICE_PORT_HTTPS: undefined } });
  t.equal(run.code, 69);
  t.match(run.stderr, /KUBERNETES_SERVICE_HOST and KUBERNETES_SERVICE_PORT are not set.*use --k8s/);
});

t.test('with --k8s-namespace and no permission on endpoint slices: the namespace only, services alone, said on stderr', async (t) => {
  const cluster = await loopbackCluster(t);
  const api = await startFakeApiServer(t, { services: cluster.services, endpointSlices: cluster.endpointSlices, forbidEndpointSlices: true });
  const run = await runCli(['scan', '--k8s-discover', '--k8s-namespace', 'shop', '--format', 'jsonl'], { env: api.env, timeoutMs: 60_000 });
  t.equal(run.code, 0, { stderr: run.stderr });
  t.same(api.requests.map((r) => r.path), ['/api/v1/namespaces/shop/services?limit=500', '/apis/discovery.k8s.io/v1/namespaces/shop/endpointslices?limit=500']);
  t.match(run.stderr, /fipscan: k8s: cannot list endpointslices \(.*HTTP 403: endpointslices\.discovery\.k8s\.io is forbidden: .*\); headless services are resolved by DNS instead\n/);
  const targets = run.stdout.trim().split('\n').map((line) => (JSON.parse(line) as Endpoint).target).sort();
  const port = (n: number) => cluster.portMap.get(n)!;
  t.same(targets, [`checkout.shop.svc.cluster.local:${port(8080)}`, `checkout.shop.svc.cluster.local:${port(9090)}`, `legacy-admin.shop.svc.cluster.local:${port(8443)}`, `payments.shop.svc.cluster.local:${port(443)}`].sort());
});

t.test('--k8s - reads kubectl JSON from stdin: one List of services and slices', async (t) => {
  const cluster = await loopbackCluster(t);
  const list = { apiVersion: 'v1', kind: 'List', metadata: { resourceVersion: '' }, items: [...cluster.services, ...cluster.endpointSlices] };
  const run = await runCli(['scan', '--k8s', '-', '--k8s-namespace', 'istio-system', '--format', 'jsonl', '-q'], { input: JSON.stringify(list), timeoutMs: 60_000 });
  t.equal(run.code, 0, { stderr: run.stderr });
  t.equal(run.stderr, '', '-q: no summary line');
  const targets = run.stdout.trim().split('\n').map((line) => (JSON.parse(line) as Endpoint).target).sort();
  const port = (n: number) => cluster.portMap.get(n)!;
  const istioSystem = [
    `istio-ingressgateway.istio-system.svc.cluster.local:${port(443)}`,
    `istiod.istio-system.svc.cluster.local:${port(15012)}`,
    `istiod.istio-system.svc.cluster.local:${port(443)}`,
    `istio-ingressgateway.istio-system.svc.cluster.local:${port(15021)}`,
    `istio-ingressgateway.istio-system.svc.cluster.local:${port(80)}`,
    `istiod.istio-system.svc.cluster.local:${port(15010)}`,
    `istiod.istio-system.svc.cluster.local:${port(15014)}`,
  ];
  t.same(targets, istioSystem.sort());
  const bad = await runCli(['scan', '--k8s', '-'], { input: 'apiVersion: v1\nkind: List\n' });
  t.equal(bad.code, 64);
  t.match(bad.stderr, /^fipscan: --k8s: - is not JSON/);
});
