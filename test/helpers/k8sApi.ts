/**
 * A stand-in Kubernetes API server on 127.0.0.1 for the --k8s-discover tests: HTTPS with a leaf
 * of the test CA (IP SAN 127.0.0.1, like a real API server's certificate carries its service IP),
 * a bearer-token check answering 401 with a Status object as the real one does, and the list
 * endpoints for Services and EndpointSlices (cluster-wide and namespaced), paged with
 * `limit`/`continue`. It serves ServiceList / EndpointSliceList documents built from the
 * kubectl-shaped fixtures (fixtures/k8s), items without kind and apiVersion as the API returns
 * them. Also: the fixtures moved onto loopback, so discovered targets can really be scanned.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import https from 'node:https';
import type net from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Test } from 'tap';
import { looksLikeTls } from '../../src/cli/k8s.js';
import { certPath, repoRoot } from './servers.js';

type Json = Record<string, unknown>;

/** A fixture from fixtures/k8s, parsed. */
export function k8sFixture(name: 'services.json' | 'endpointslices.json' | 'mesh-services.json'): { kind: string; items: Json[] } {
  return JSON.parse(readFileSync(join(repoRoot, 'fixtures', 'k8s', name), 'utf8')) as { kind: string; items: Json[] };
}

const loopback = (ip: unknown): unknown => (typeof ip !== 'string' || ip === 'None' ? ip : ip.includes(':') ? '::1' : '127.0.0.1');

const isTcp = (p: Json): boolean => (p.protocol ?? 'TCP') === 'TCP';

/**
 * TCP ports moved to their loopback port. A port that looks like TLS only by its number
 * (unnamed 8443) would not on an ephemeral port, so it is given the name `https` as well.
 */
function movePorts(ports: unknown, portMap: ReadonlyMap<number, number>): unknown {
  if (!Array.isArray(ports)) return ports;
  return ports.map((p: Json) => {
    if (!isTcp(p) || typeof p.port !== 'number' || !portMap.has(p.port)) return p;
    return { ...p, ...(looksLikeTls(p) ? { name: p.name ?? 'https' } : {}), port: portMap.get(p.port) };
  });
}

/**
 * The fixture items moved onto loopback: every cluster IP and pod address becomes 127.0.0.1 (or
 * ::1 for IPv6), and every TCP port number found in `portMap` becomes its loopback port.
 */
export function onLoopback(items: readonly Json[], portMap: ReadonlyMap<number, number>): Json[] {
  return items.map((item) => {
    const copy = structuredClone(item);
    const spec = copy.spec as Json | undefined;
    if (spec) {
      spec.clusterIP = loopback(spec.clusterIP);
      if (Array.isArray(spec.clusterIPs)) spec.clusterIPs = spec.clusterIPs.map(loopback);
      spec.ports = movePorts(spec.ports, portMap);
      delete copy.status;
    }
    if (copy.kind === 'EndpointSlice') {
      copy.ports = movePorts(copy.ports, portMap);
      for (const e of (copy.endpoints as Json[] | undefined) ?? []) e.addresses = (e.addresses as unknown[]).map(loopback);
    }
    return copy;
  });
}

/** The TCP port numbers in items (what onLoopback must map), the TLS-looking ones and the others. */
export function tcpPortNumbers(items: readonly Json[]): { tls: number[]; plain: number[] } {
  const tls = new Set<number>();
  const plain = new Set<number>();
  for (const item of items) {
    const ports = ((item.spec as Json | undefined)?.ports ?? item.ports) as Json[] | undefined;
    for (const p of ports ?? []) if (isTcp(p) && typeof p.port === 'number') (looksLikeTls(p) ? tls : plain).add(p.port);
  }
  const sorted = (s: Set<number>) => [...s].sort((a, b) => a - b);
  // A number some object names as TLS is a TLS port everywhere (one loopback server per number).
  return { tls: sorted(tls), plain: sorted(plain).filter((n) => !tls.has(n)) };
}

export interface FakeApiServer {
  port: number;
  /** A service account directory (token, ca.crt, namespace) for FIPSCAN_K8S_SERVICEACCOUNT_DIR. */
  serviceAccountDir: string;
  /** The env a pod would have. */
  env: Record<string, string>;
  /** Request paths (with query) in order, and whether each carried the right token. */
  requests: { path: string; authorized: boolean }[];
}

export interface FakeApiOptions {
  services: readonly Json[];
  endpointSlices: readonly Json[];
  /** Items per page at most, whatever `limit` asks (the API may return fewer). */
  pageSize?: number;
  /** Answer 403 for EndpointSlices, as with RBAC that allows only services. */
  forbidEndpointSlices?: boolean;
}

const TOKEN = 'eyJhbGciOiJSUzI1NiIsImtpZCI6InRlc3QifQ.fipscan-test-service-account.c2lnbmF0dXJl';

function status(code: number, reason: string, message: string): Json {
  return { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message, reason, code };
}

/** Starts the fake API server; closed and its service account directory removed at teardown. */
export async function startFakeApiServer(t: Test, o: FakeApiOptions): Promise<FakeApiServer> {
  const dir = mkdtempSync(join(tmpdir(), 'fipscan-sa-'));
  writeFileSync(join(dir, 'token'), TOKEN);
  writeFileSync(join(dir, 'ca.crt'), readFileSync(certPath('ca')));
  writeFileSync(join(dir, 'namespace'), 'fipscan');
  const requests: FakeApiServer['requests'] = [];
  const pageSize = o.pageSize ?? 5;
  const strip = ({ kind: _kind, apiVersion: _apiVersion, ...rest }: Json): Json => rest;

  const server = https.createServer({ cert: readFileSync(certPath('rsa2048', 'chain')), key: readFileSync(certPath('rsa2048', 'key')) }, (req, res) => {
    const url = new URL(req.url ?? '/', 'https://127.0.0.1');
    const authorized = req.headers.authorization === `Bearer ${TOKEN}`;
    requests.push({ path: `${url.pathname}${url.search}`, authorized });
    const send = (code: number, body: Json): void => {
      res.writeHead(code, { 'content-type': 'application/json' });
      res.end(JSON.stringify(body));
    };
    if (!authorized) return send(401, status(401, 'Unauthorized', 'Unauthorized'));
    const m = /^\/(api\/v1|apis\/discovery\.k8s\.io\/v1)(?:\/namespaces\/([^/]+))?\/(services|endpointslices)$/.exec(url.pathname);
    if (!m || (m[1] === 'api/v1') !== (m[3] === 'services')) return send(404, status(404, 'NotFound', 'the server could not find the requested resource'));
    const namespace = m[2];
    if (m[3] === 'endpointslices' && o.forbidEndpointSlices) {
      const scope = namespace ? `in the namespace "${namespace}"` : 'at the cluster scope';
      return send(403, status(403, 'Forbidden', `endpointslices.discovery.k8s.io is forbidden: User "system:serviceaccount:fipscan:fipscan" cannot list resource "endpointslices" in API group "discovery.k8s.io" ${scope}`));
    }
    const all = (m[3] === 'services' ? o.services : o.endpointSlices).filter((i) => !namespace || (i.metadata as Json).namespace === namespace);
    const limit = Math.min(Number(url.searchParams.get('limit') ?? all.length) || all.length, pageSize);
    const from = Number(Buffer.from(url.searchParams.get('continue') ?? '', 'base64url').toString() || 0);
    const items = all.slice(from, from + limit).map(strip);
    const more = from + limit < all.length;
    send(200, {
      kind: m[3] === 'services' ? 'ServiceList' : 'EndpointSliceList',
      apiVersion: m[3] === 'services' ? 'v1' : 'discovery.k8s.io/v1',
      metadata: { resourceVersion: '413377', ...(more ? { continue: Buffer.from(String(from + limit)).toString('base64url'), remainingItemCount: all.length - from - limit } : {}) },
      items,
    });
  });
  const sockets = new Set<net.Socket>();
  server.on('connection', (s: net.Socket) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const port = (server.address() as net.AddressInfo).port;
  t.teardown(async () => {
    for (const s of sockets) s.destroy();
    await new Promise<void>((resolve) => server.close(() => resolve()));
    rmSync(dir, { recursive: true, force: true });
  });
  return {
    port,
    serviceAccountDir: dir,
    env: { KUBERNETES_SERVICE_HOST: '127.0.0.1', KUBERNETES_SERVICE_PORT: String(port), FIPSCAN_K8S_SERVICEACCOUNT_DIR: dir },
    requests,
  };
}
