/**
 * Kubernetes objects to scan targets, for `--k8s <file>` and `--k8s-discover`: the JSON of
 * `kubectl get services,endpointslices -A -o json` (a List), an API server's ServiceList or
 * EndpointSliceList, or a single Service or EndpointSlice. Pure: the caller reads the file or the
 * API. Every target is named by its service's cluster DNS name, `<service>.<namespace>.svc.<domain>`,
 * which is also the SNI sent, and is connected to without a DNS lookup where the object says where:
 *
 * - a Service with a cluster IP: one target `name:port` per TCP port, at the cluster IP
 *   (each of `spec.clusterIPs` with allAddresses, as `name:port@ip`);
 * - a headless Service (`clusterIP: None`): its pods, from its EndpointSlices when those were
 *   given, else its name, to be resolved to every address (which DNS gives as the ready pods);
 * - an EndpointSlice of a headless Service (or of any Service with `endpoints`, or when no Service
 *   object was given): `name:port@podIP` for each ready address and TCP port (the pod's port,
 *   not the Service's);
 * - ExternalName Services point outside the cluster and are skipped; UDP and SCTP ports are
 *   skipped and counted.
 *
 * Every TCP port is a target, whatever its name: in a mesh the sidecar wraps every port in TLS
 * (STRICT) or takes both TLS and plaintext (PERMISSIVE), so only the port's first answer says
 * what it speaks. Names and appProtocols only order the work (`looksLikeTls` ports first) and
 * tell the plaintext check to send the HTTP/2 preface to a gRPC or h2c port. The input is
 * untrusted JSON: anything of the wrong shape is skipped with a note rather than trusted.
 */
import { isIP } from 'node:net';
import { pinnedTarget, type Endpoint } from '../index.js';

/** A service port or endpoint-slice port, as the API has it. */
export interface K8sPort {
  name?: unknown;
  protocol?: unknown;
  port?: unknown;
  appProtocol?: unknown;
}

/** Names and appProtocols that say the port speaks TLS (Istio's `<protocol>[-<suffix>]` names). */
const TLS_PROTOCOLS = new Set(['https', 'tls', 'h2', 'grpcs', 'wss']);
/** appProtocols beyond those: Kubernetes' own names for protocols over TLS. */
const TLS_APP_PROTOCOLS = new Set([...TLS_PROTOCOLS, 'kubernetes.io/wss']);
/** Names that declare cleartext HTTP, gRPC or HTTP/2 (Istio, Kubernetes), which a TLS port number does not override. */
const CLEARTEXT_PROTOCOLS = new Set(['http', 'http2', 'h2c', 'grpc', 'grpc-web']);
/** Port numbers conventionally used for TLS in a cluster: HTTPS, alternative HTTPS, admission webhooks. */
const TLS_PORT_NUMBERS: readonly number[] = [443, 8443, 9443];

function text(v: unknown): string | undefined {
  return typeof v === 'string' && v.length > 0 ? v : undefined;
}

function portNumber(v: unknown): number | undefined {
  return typeof v === 'number' && Number.isInteger(v) && v >= 1 && v <= 65535 ? v : undefined;
}

/** The protocol a port name declares by Istio's convention: the part before the first `-`. */
function namedProtocol(name: string): string {
  const lower = name.toLowerCase();
  for (const p of [...CLEARTEXT_PROTOCOLS, ...TLS_PROTOCOLS]) if (lower === p || lower.startsWith(`${p}-`)) return p;
  return lower.split('-')[0]!;
}

/**
 * Whether a TCP port looks like it serves TLS:
 * 1. its `appProtocol`, when set, decides alone: https, tls, h2, grpcs, wss or kubernetes.io/wss;
 * 2. else its name is one of https, tls, h2, grpcs, wss, or starts with one followed by `-`
 *    (`https-admin`, `tls-passthrough`: Istio's port naming);
 * 3. else its number is 443, 8443 or 9443, unless its name declares cleartext
 *    (http, http2, h2c, grpc, grpc-web, with or without a `-suffix`).
 * gRPC and `http2` are cleartext by these conventions (TLS comes from a mesh sidecar, which
 * makes every port TLS: hence every port is scanned, this only orders the work). UDP and SCTP
 * ports never match.
 */
export function looksLikeTls(port: K8sPort): boolean {
  if ((text(port.protocol) ?? 'TCP') !== 'TCP') return false;
  const appProtocol = text(port.appProtocol)?.toLowerCase();
  if (appProtocol !== undefined) return TLS_APP_PROTOCOLS.has(appProtocol);
  const name = text(port.name);
  const declared = name === undefined ? undefined : namedProtocol(name);
  if (declared !== undefined && TLS_PROTOCOLS.has(declared)) return true;
  if (declared !== undefined && CLEARTEXT_PROTOCOLS.has(declared)) return false;
  const n = portNumber(port.port);
  return n !== undefined && TLS_PORT_NUMBERS.includes(n);
}

export interface K8sOptions {
  /** Every ready pod address from the EndpointSlices, also behind Services with a cluster IP. */
  endpoints: boolean;
  /** Each of a dual-stack Service's cluster IPs as its own target. */
  allAddresses: boolean;
  /** Only this namespace; undefined: all. */
  namespace?: string;
  /** The cluster DNS domain. */
  clusterDomain: string;
}

/** A target found in the objects; `resolveAll` asks the caller to scan every address of the name. */
export interface K8sTarget {
  endpoint: Endpoint;
  resolveAll: boolean;
  /** Its port looks like TLS by name, appProtocol or number: scanned first. */
  likelyTls?: boolean;
}

export interface K8sTargets {
  targets: K8sTarget[];
  /** Counts and reasons for the summary line on stderr. */
  services: number;
  endpointSlices: number;
  /** UDP and SCTP ports left out (fipscan speaks TLS over TCP). */
  nonTcpPorts: number;
  skipped: string[];
}

interface Meta {
  name: string;
  namespace: string;
  labels: Record<string, unknown>;
}

function record(v: unknown): Record<string, unknown> | undefined {
  return typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Record<string, unknown>) : undefined;
}

function list(v: unknown): unknown[] {
  return Array.isArray(v) ? v : [];
}

function meta(obj: Record<string, unknown>): Meta | undefined {
  const m = record(obj.metadata);
  const name = text(m?.name);
  if (name === undefined) return undefined;
  return { name, namespace: text(m?.namespace) ?? 'default', labels: record(m?.labels) ?? {} };
}

/**
 * The objects in a parsed document, each with its kind: a List (kubectl), a typed list
 * (ServiceList, EndpointSliceList: the API server's items carry no kind), or one object.
 */
export function k8sObjects(doc: unknown): { kind: string; obj: Record<string, unknown> }[] {
  const top = record(doc);
  if (top === undefined) return [];
  const kind = text(top.kind) ?? '';
  if (kind === 'List' || kind.endsWith('List')) {
    const itemKind = kind === 'List' ? undefined : kind.slice(0, -'List'.length);
    return list(top.items).flatMap((item) => {
      const obj = record(item);
      const k = text(obj?.kind) ?? itemKind;
      return obj && k ? [{ kind: k, obj }] : [];
    });
  }
  return kind ? [{ kind, obj: top }] : [];
}

const serviceKey = (namespace: string, name: string): string => `${namespace}/${name}`;

/** The Service an EndpointSlice belongs to, by its `kubernetes.io/service-name` label. */
const sliceOwner = (m: Meta): string | undefined => text(m.labels['kubernetes.io/service-name']);

/** The cluster DNS name of a service, which is also the SNI sent. */
const dnsName = (name: string, namespace: string, o: K8sOptions): string => `${name}.${namespace}.svc.${o.clusterDomain}`;

const inScope = (m: Meta, o: K8sOptions): boolean => o.namespace === undefined || m.namespace === o.namespace;

/** The ports to scan of a Service's or slice's `ports`: every TCP one; UDP and SCTP ones are counted in `out`. */
function wantedPorts(ports: unknown, out: K8sTargets): K8sPort[] {
  const all = list(ports).map((p) => record(p) ?? {});
  const tcp = all.filter((p) => (text(p.protocol) ?? 'TCP') === 'TCP');
  out.nonTcpPorts += all.length - tcp.length;
  return tcp;
}

/**
 * What the port declares it speaks, for the plaintext check: its appProtocol, else the protocol
 * its name declares by Istio's convention (`grpc-api` declares grpc).
 */
function declaredProtocol(p: K8sPort): string | undefined {
  const appProtocol = text(p.appProtocol);
  if (appProtocol !== undefined) return appProtocol;
  const name = text(p.name);
  const named = name === undefined ? undefined : namedProtocol(name);
  return named !== undefined && (CLEARTEXT_PROTOCOLS.has(named) || TLS_PROTOCOLS.has(named)) ? named : undefined;
}

/** The target of one port of `host` (pinned to `address` when given). */
function portTarget(host: string, port: number, p: K8sPort, address: string | undefined, resolveAll: boolean, pin: boolean): K8sTarget {
  const appProtocol = declaredProtocol(p);
  const endpoint: Endpoint = { target: pin && address !== undefined ? pinnedTarget(host, port, address) : `${host}:${port}`, host, port, ...(address !== undefined ? { address } : {}), ...(appProtocol !== undefined ? { appProtocol } : {}) };
  return { endpoint, resolveAll, likelyTls: looksLikeTls(p) };
}

/** What the pass over the Services found, for the pass over the slices. */
interface Services {
  /** Services (namespace/name) some given EndpointSlice belongs to. */
  sliced: ReadonlySet<string>;
  /** Every Service given. */
  seen: Set<string>;
  /** Services whose pods the slices cover: headless ones, or all of them with `endpoints`. */
  viaSlices: Set<string>;
}

/** The services that have an EndpointSlice among the objects. */
function slicedServices(objects: readonly { kind: string; obj: Record<string, unknown> }[]): Set<string> {
  const sliced = new Set<string>();
  for (const { kind, obj } of objects) {
    const m = kind === 'EndpointSlice' ? meta(obj) : undefined;
    const owner = m && sliceOwner(m);
    if (m && owner) sliced.add(serviceKey(m.namespace, owner));
  }
  return sliced;
}

/** One target per port at the Service's cluster IP (each of them with allAddresses), or by name to resolve when it has none. */
function clusterIpTargets(host: string, ports: readonly K8sPort[], clusterIPs: readonly string[], o: K8sOptions): K8sTarget[] {
  const headless = clusterIPs.includes('None');
  const ips = clusterIPs.filter((ip) => isIP(ip));
  return ports.flatMap((p): K8sTarget[] => {
    const port = portNumber(p.port);
    if (port === undefined) return [];
    if (headless || ips.length === 0) return [portTarget(host, port, p, undefined, true, false)];
    if (o.allAddresses && ips.length > 1) return ips.map((ip) => portTarget(host, port, p, ip, false, true));
    return [portTarget(host, port, p, ips[0]!, false, false)];
  });
}

/** A Service's targets, unless its slices (headless, or with `endpoints`) will give its pods instead. */
function addService(obj: Record<string, unknown>, o: K8sOptions, services: Services, out: K8sTargets): void {
  const m = meta(obj);
  if (!m) {
    out.skipped.push('a Service without metadata.name');
    return;
  }
  if (!inScope(m, o)) return;
  out.services++;
  const key = serviceKey(m.namespace, m.name);
  services.seen.add(key);
  const spec = record(obj.spec) ?? {};
  if (spec.type === 'ExternalName') {
    out.skipped.push(`${key}: ExternalName (outside the cluster)`);
    return;
  }
  const ports = wantedPorts(spec.ports, out);
  const clusterIPs = [...new Set([text(spec.clusterIP), ...list(spec.clusterIPs).map(text)].filter((ip): ip is string => ip !== undefined))];
  const headless = clusterIPs.includes('None');
  if ((headless || o.endpoints) && services.sliced.has(key)) {
    services.viaSlices.add(key);
    return;
  }
  if (o.endpoints && !headless && ports.length > 0) out.skipped.push(`${key}: no EndpointSlice given, scanned at its cluster IP`);
  out.targets.push(...clusterIpTargets(dnsName(m.name, m.namespace, o), ports, clusterIPs, o));
}

/** An EndpointSlice's targets: each ready pod address at each wanted port, named by the slice's service. */
function addEndpointSlice(obj: Record<string, unknown>, o: K8sOptions, services: Services, out: K8sTargets): void {
  const m = meta(obj);
  if (!m || !inScope(m, o)) return;
  out.endpointSlices++;
  const owner = sliceOwner(m);
  if (owner === undefined) {
    out.skipped.push(`${m.namespace}/${m.name}: EndpointSlice without a kubernetes.io/service-name label`);
    return;
  }
  const key = serviceKey(m.namespace, owner);
  // A Service given and scanned at its cluster IP already covers its pods.
  if (services.seen.has(key) && !services.viaSlices.has(key)) return;
  if (obj.addressType !== 'IPv4' && obj.addressType !== 'IPv6') {
    out.skipped.push(`${m.namespace}/${m.name}: addressType ${String(obj.addressType)}`);
    return;
  }
  const host = dnsName(owner, m.namespace, o);
  const ports = wantedPorts(obj.ports, out);
  for (const address of readyAddresses(obj)) {
    for (const p of ports) {
      const port = portNumber(p.port);
      if (port !== undefined) out.targets.push(portTarget(host, port, p, address, false, true));
    }
  }
}

/** The IP addresses of a slice's ready endpoints, in order. */
function readyAddresses(slice: Record<string, unknown>): string[] {
  return list(slice.endpoints).flatMap((e) => {
    const endpoint = record(e) ?? {};
    // ready: null means unknown, which the API says consumers should treat as ready.
    if (record(endpoint.conditions)?.ready === false) return [];
    return list(endpoint.addresses)
      .map(text)
      .filter((address): address is string => address !== undefined && isIP(address) !== 0);
  });
}

/** The targets to scan in the given documents (see the module comment for the rules). */
export function k8sTargets(docs: readonly unknown[], o: K8sOptions): K8sTargets {
  const objects = docs.flatMap(k8sObjects);
  const out: K8sTargets = { targets: [], services: 0, endpointSlices: 0, nonTcpPorts: 0, skipped: [] };
  // Services first: whether a slice's pods are scanned depends on its Service, wherever it stands.
  const services: Services = { sliced: slicedServices(objects), seen: new Set(), viaSlices: new Set() };
  for (const { kind, obj } of objects) if (kind === 'Service') addService(obj, o, services, out);
  for (const { kind, obj } of objects) if (kind === 'EndpointSlice') addEndpointSlice(obj, o, services, out);
  // The ports that look like TLS first (a stable sort): with a deadline or an interruption, they are the ones judged.
  out.targets.sort((a, b) => Number(b.likelyTls === true) - Number(a.likelyTls === true));
  return out;
}
