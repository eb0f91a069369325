/**
 * Kubernetes objects to targets, on the recorded-shape fixtures (fixtures/k8s: a services List
 * with an Istio ingress gateway, istiod, a headless Kafka service, ExternalName, UDP and
 * cleartext ports; an endpointslices List): every TCP port is a target, the TLS-looking ones
 * first (the TLS-port rule, port by port, only orders the work). Pure: no address here is
 * ever connected to.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import t from 'tap';
import { k8sObjects, k8sTargets, looksLikeTls, type K8sOptions } from '../../src/cli/k8s.js';
import { repoRoot } from '../helpers/servers.js';

const fixture = (name: string): unknown => JSON.parse(readFileSync(join(repoRoot, 'fixtures', 'k8s', name), 'utf8'));
const services = fixture('services.json');
const slices = fixture('endpointslices.json');
const DEFAULTS: K8sOptions = { endpoints: false, allAddresses: false, clusterDomain: 'cluster.local' };

/** [target, address or null, resolveAll]: one target, for compact expectations. */
type Row = [string, string | null, boolean];

/** The targets as rows. */
function rows(docs: unknown[], o: Partial<K8sOptions> = {}): Row[] {
  return k8sTargets(docs, { ...DEFAULTS, ...o }).targets.map((x) => [x.endpoint.target, x.endpoint.address ?? null, x.resolveAll]);
}

const VIPS: Row[] = [
  ['kubernetes.default.svc.cluster.local:443', '10.96.0.1', false],
  ['cert-manager-webhook.cert-manager.svc.cluster.local:443', '10.96.201.5', false],
  ['kafka.data.svc.cluster.local:9093', '10.96.90.4', false],
  ['istio-ingressgateway.istio-system.svc.cluster.local:443', '10.96.184.77', false],
  ['istiod.istio-system.svc.cluster.local:15012', '10.96.45.12', false],
  ['istiod.istio-system.svc.cluster.local:443', '10.96.45.12', false],
  ['payments.shop.svc.cluster.local:443', '10.96.77.31', false],
  ['legacy-admin.shop.svc.cluster.local:8443', '10.96.77.45', false],
  ['frontend.web.svc.cluster.local:443', '10.96.12.40', false],
];

/** The ports whose names declare cleartext or say nothing, after the TLS-looking ones: each still probed. */
const PLAIN_VIPS: Row[] = [
  ['kafka.data.svc.cluster.local:9092', '10.96.90.4', false],
  ['postgres.data.svc.cluster.local:5432', '10.96.90.17', false],
  ['istio-ingressgateway.istio-system.svc.cluster.local:15021', '10.96.184.77', false],
  ['istio-ingressgateway.istio-system.svc.cluster.local:80', '10.96.184.77', false],
  ['istiod.istio-system.svc.cluster.local:15010', '10.96.45.12', false],
  ['istiod.istio-system.svc.cluster.local:15014', '10.96.45.12', false],
  ['kube-dns.kube-system.svc.cluster.local:53', '10.96.0.10', false],
  ['kube-dns.kube-system.svc.cluster.local:9153', '10.96.0.10', false],
  ['checkout.shop.svc.cluster.local:8080', '10.96.77.20', false],
  ['checkout.shop.svc.cluster.local:9090', '10.96.77.20', false],
  ['frontend.web.svc.cluster.local:80', '10.96.12.40', false],
];

t.test('services and slices: each TCP port of a cluster-IP service at its cluster IP, a headless one at each ready pod, TLS-looking ports first', async (t) => {
  t.same(rows([services, slices]), [
    ...VIPS,
    ['kafka-headless.data.svc.cluster.local:9093@10.244.1.20', '10.244.1.20', false],
    ['kafka-headless.data.svc.cluster.local:9093@10.244.2.21', '10.244.2.21', false],
    ...PLAIN_VIPS,
    ['kafka-headless.data.svc.cluster.local:9092@10.244.1.20', '10.244.1.20', false],
    ['kafka-headless.data.svc.cluster.local:9092@10.244.2.21', '10.244.2.21', false],
  ]);
  const r = k8sTargets([services, slices], DEFAULTS);
  t.equal(r.services, 13);
  t.equal(r.endpointSlices, 8);
  t.equal(r.nonTcpPorts, 1, "kube-dns's 53/UDP is skipped and counted");
  t.same(r.skipped, ['shop/legacy-billing: ExternalName (outside the cluster)']);
});

t.test('what a port declares reaches the scan: appProtocol, else a name by Istio convention; gRPC and h2c ports get the HTTP/2 preface in the plaintext check', async (t) => {
  const declared = new Map(k8sTargets([services], DEFAULTS).targets.map((x) => [x.endpoint.target, x.endpoint.appProtocol]));
  t.equal(declared.get('istiod.istio-system.svc.cluster.local:15010'), 'grpc', 'grpc-xds');
  t.equal(declared.get('istio-ingressgateway.istio-system.svc.cluster.local:80'), 'http2');
  t.equal(declared.get('checkout.shop.svc.cluster.local:8080'), 'http', 'appProtocol http');
  t.equal(declared.get('payments.shop.svc.cluster.local:443'), 'https', 'appProtocol https over the name api');
  t.equal(declared.get('kafka.data.svc.cluster.local:9092'), undefined, 'tcp-client declares nothing the scan uses');
  t.equal(declared.get('legacy-admin.shop.svc.cluster.local:8443'), undefined, 'unnamed');
});

t.test('services alone: a headless service is its name, to be resolved to every address', async (t) => {
  t.same(rows([services]), [
    ...VIPS.slice(0, 3),
    ['kafka-headless.data.svc.cluster.local:9093', null, true],
    ...VIPS.slice(3),
    PLAIN_VIPS[0]!,
    ['kafka-headless.data.svc.cluster.local:9092', null, true],
    ...PLAIN_VIPS.slice(1),
  ]);
});

t.test('slices alone: every ready address of every TCP port, named after the owning service', async (t) => {
  t.same(rows([slices]).slice(0, 10), [
    ['kubernetes.default.svc.cluster.local:6443@172.18.0.2', '172.18.0.2', false],
    ['istio-ingressgateway.istio-system.svc.cluster.local:8443@10.244.1.14', '10.244.1.14', false],
    ['istio-ingressgateway.istio-system.svc.cluster.local:8443@10.244.2.9', '10.244.2.9', false],
    ['kafka-headless.data.svc.cluster.local:9093@10.244.1.20', '10.244.1.20', false],
    ['kafka-headless.data.svc.cluster.local:9093@10.244.2.21', '10.244.2.21', false],
    ['kafka.data.svc.cluster.local:9093@10.244.1.20', '10.244.1.20', false],
    ['kafka.data.svc.cluster.local:9093@10.244.2.21', '10.244.2.21', false],
    ['payments.shop.svc.cluster.local:8443@10.244.1.30', '10.244.1.30', false],
    ['frontend.web.svc.cluster.local:8443@10.244.2.40', '10.244.2.40', false],
    ['frontend.web.svc.cluster.local:8443@[fd00:10:244:2::28]', 'fd00:10:244:2::28', false],
  ], 'kafka-2 (not ready) and the terminating payments pod are left out');
  t.equal(rows([slices]).length, 24, '14 more: the status, http2, tcp-client, dns-tcp, metrics and http ports of the same pods');
});

t.test('--k8s-endpoints: pods from the slices also behind cluster IPs; services without slices stay at their cluster IP', async (t) => {
  const r = k8sTargets([services, slices], { ...DEFAULTS, endpoints: true });
  const targets = r.targets.map((x) => x.endpoint.target);
  t.ok(targets.includes('istio-ingressgateway.istio-system.svc.cluster.local:8443@10.244.2.9'));
  t.notOk(targets.includes('istio-ingressgateway.istio-system.svc.cluster.local:443'), 'not also at the cluster IP');
  t.ok(targets.includes('istiod.istio-system.svc.cluster.local:443'), 'istiod has no slice in the fixture: its cluster IP');
  t.equal(targets.length, 33);
  t.same(r.skipped, [
    'cert-manager/cert-manager-webhook: no EndpointSlice given, scanned at its cluster IP',
    'data/postgres: no EndpointSlice given, scanned at its cluster IP',
    'istio-system/istiod: no EndpointSlice given, scanned at its cluster IP',
    'shop/checkout: no EndpointSlice given, scanned at its cluster IP',
    'shop/legacy-admin: no EndpointSlice given, scanned at its cluster IP',
    'shop/legacy-billing: ExternalName (outside the cluster)',
  ]);
});

t.test('--all-addresses: each cluster IP of a dual-stack service', async (t) => {
  const frontend = rows([services], { allAddresses: true }).filter(([target]) => target.startsWith('frontend.'));
  t.same(frontend, [
    ['frontend.web.svc.cluster.local:443@10.96.12.40', '10.96.12.40', false],
    ['frontend.web.svc.cluster.local:443@[fd00:10:96::2c1e]', 'fd00:10:96::2c1e', false],
    ['frontend.web.svc.cluster.local:80@10.96.12.40', '10.96.12.40', false],
    ['frontend.web.svc.cluster.local:80@[fd00:10:96::2c1e]', 'fd00:10:96::2c1e', false],
  ]);
});

t.test('every TCP port, never UDP; --k8s-namespace; another cluster domain', async (t) => {
  const all = rows([services], { namespace: 'kube-system', clusterDomain: 'corp.internal' });
  t.same(all, [
    ['kube-dns.kube-system.svc.corp.internal:53', '10.96.0.10', false],
    ['kube-dns.kube-system.svc.corp.internal:9153', '10.96.0.10', false],
  ]);
  t.same(rows([services, slices], { namespace: 'data' }).map(([target]) => target), [
    'kafka.data.svc.cluster.local:9093',
    'kafka-headless.data.svc.cluster.local:9093@10.244.1.20',
    'kafka-headless.data.svc.cluster.local:9093@10.244.2.21',
    'kafka.data.svc.cluster.local:9092',
    'postgres.data.svc.cluster.local:5432',
    'kafka-headless.data.svc.cluster.local:9092@10.244.1.20',
    'kafka-headless.data.svc.cluster.local:9092@10.244.2.21',
  ]);
});

t.test('API server lists (items without kind), single objects and junk', async (t) => {
  const list = services as { items: Record<string, unknown>[] };
  const serviceList = { kind: 'ServiceList', apiVersion: 'v1', metadata: { resourceVersion: '412999' }, items: list.items.map(({ kind: _k, apiVersion: _a, ...rest }) => rest) };
  t.same(rows([serviceList]), rows([services]), 'a ServiceList reads like the kubectl List');
  t.same(rows([list.items[0]]), [VIPS[0]!], 'one Service object');
  t.same(k8sObjects(null), []);
  t.same(k8sObjects([1, 2]), []);
  t.same(rows([{ kind: 'List', items: [null, 7, { kind: 'Service' }, { kind: 'Service', metadata: { name: 'x' }, spec: { clusterIP: '10.0.0.1', ports: [{ port: 'https' }, { name: 'https', port: 70000 }] } }] }]), [], 'malformed items and ports are skipped');
  const r = k8sTargets([{ kind: 'EndpointSlice', metadata: { name: 'orphan', namespace: 'ns' }, addressType: 'FQDN', endpoints: [] }], DEFAULTS);
  t.match(r.skipped, [/orphan: EndpointSlice without a kubernetes.io\/service-name label/]);
});

t.test('the TLS-port rule (the order of work), port by port', async (t) => {
  const cases: [string, Parameters<typeof looksLikeTls>[0], boolean][] = [
    ['name https', { name: 'https', port: 15012 }, true],
    ['name https-dns (Istio <protocol>-<suffix>)', { name: 'https-dns', port: 15012 }, true],
    ['name tls', { name: 'tls', port: 9093 }, true],
    ['name tls-passthrough', { name: 'tls-passthrough', port: 15443 }, true],
    ['name h2', { name: 'h2', port: 8081 }, true],
    ['name grpcs', { name: 'grpcs', port: 50051 }, true],
    ['name HTTPS (case-insensitive)', { name: 'HTTPS', port: 1 }, true],
    ['name grpc (cleartext by convention)', { name: 'grpc', port: 9090 }, false],
    ['name http2', { name: 'http2', port: 80 }, false],
    ['name httpsomething is not https-', { name: 'httpsomething', port: 1 }, false],
    ['name status-port on 15021', { name: 'status-port', port: 15021 }, false],
    ['unnamed 443', { port: 443 }, true],
    ['unnamed 8443', { port: 8443 }, true],
    ['name web on 9443 (webhook port)', { name: 'web', port: 9443 }, true],
    ['name http on 8443: the name declares cleartext', { name: 'http', port: 8443 }, false],
    ['name grpc-web on 443', { name: 'grpc-web', port: 443 }, false],
    ['appProtocol https decides alone', { name: 'api', port: 1234, appProtocol: 'https' }, true],
    ['appProtocol kubernetes.io/wss', { port: 1234, appProtocol: 'kubernetes.io/wss' }, true],
    ['appProtocol kubernetes.io/h2c on 443', { name: 'https', port: 443, appProtocol: 'kubernetes.io/h2c' }, false],
    ['appProtocol http on a port named https', { name: 'https', port: 443, appProtocol: 'http' }, false],
    ['UDP 443 (QUIC) is not TLS over TCP', { name: 'https', port: 443, protocol: 'UDP' }, false],
    ['SCTP', { port: 443, protocol: 'SCTP' }, false],
  ];
  for (const [what, port, expected] of cases) t.equal(looksLikeTls(port), expected, what);
});
