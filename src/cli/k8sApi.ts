/**
 * `--k8s-discover`: lists Services and EndpointSlices from the Kubernetes API server the way a pod
 * does it, with its service account: the bearer token and CA bundle mounted at
 * /var/run/secrets/kubernetes.io/serviceaccount, the API server at KUBERNETES_SERVICE_HOST and
 * KUBERNETES_SERVICE_PORT. node:https only, the CA pinned, lists paged with `limit`/`continue`
 * like kubectl does. Needs get/list on services and endpointslices (deploy/rbac.yaml); without
 * the EndpointSlice permission, headless services fall back to DNS.
 */
import { readFile } from 'node:fs/promises';
import https from 'node:https';
import { join } from 'node:path';
import { CliError } from './exit.js';
import { TOOL_VERSION } from './version.js';

const DEFAULT_SERVICEACCOUNT_DIR = '/var/run/secrets/kubernetes.io/serviceaccount';

/** Items per page, as kubectl asks (`--chunk-size` 500). */
const PAGE_SIZE = 500;
/** A page larger than this is not a list we asked for. */
const MAX_PAGE_BYTES = 64 * 1024 * 1024;
const REQUEST_TIMEOUT_MS = 30_000;

export interface DiscoverOptions {
  /** Where token, ca.crt (and namespace) are; default the service account mount. */
  serviceAccountDir?: string;
  /** Only this namespace (needs only a namespaced Role); undefined: the whole cluster. */
  namespace?: string;
  env: NodeJS.ProcessEnv;
}

export interface Discovered {
  /** The lists as the API server returned them (ServiceList, EndpointSliceList pages). */
  documents: unknown[];
  /** Things the caller should say on stderr (a list that was not allowed, ...). */
  warnings: string[];
}

/** An API request that failed, with the HTTP status (0: no answer). */
class ApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

interface ApiServer {
  host: string;
  port: number;
  token: string;
  ca: Buffer;
  agent: https.Agent;
}

function unavailable(message: string): CliError {
  return new CliError(`--k8s-discover: ${message}`, 'EK8S');
}

async function apiServer(o: DiscoverOptions): Promise<ApiServer> {
  const host = o.env.KUBERNETES_SERVICE_HOST?.trim();
  const portText = (o.env.KUBERNETES_SERVICE_PORT_HTTPS ?? o.env.KUBERNETES_SERVICE_PORT)?.trim();
  if (!host || !portText) throw unavailable('KUBERNETES_SERVICE_HOST and KUBERNETES_SERVICE_PORT are not set: not running in a Kubernetes pod (outside one, use --k8s with the output of kubectl get services,endpointslices -A -o json)');
  const port = Number(portText);
  if (!/^\d{1,5}$/.test(portText) || port < 1 || port > 65535) throw unavailable(`KUBERNETES_SERVICE_PORT is not a port: '${portText}'`);
  const dir = o.serviceAccountDir ?? DEFAULT_SERVICEACCOUNT_DIR;
  let token: string;
  let ca: Buffer;
  try {
    token = (await readFile(join(dir, 'token'), 'utf8')).trim();
    ca = await readFile(join(dir, 'ca.crt'));
  } catch (err) {
    throw unavailable(`cannot read the service account token and CA in ${dir} (automountServiceAccountToken off?): ${(err as Error).message}`);
  }
  if (token.length === 0) throw unavailable(`the service account token in ${dir} is empty`);
  return { host: host.replace(/^\[(.*)\]$/, '$1'), port, token, ca, agent: new https.Agent({ keepAlive: true, maxSockets: 1 }) };
}

/**
 * A finished response as an answer: the parsed JSON body of a 200; anything else throws an
 * ApiError that says why (a Status object explains refusals: "services is forbidden: User ...
 * cannot list ...").
 */
function answerOf(status: number | undefined, body: string, where: string): unknown {
  let json: unknown;
  try {
    json = JSON.parse(body);
  } catch {
    json = undefined;
  }
  if (status === 200 && json !== undefined) return json;
  const refusal = json as { message?: unknown } | undefined;
  const why = typeof refusal?.message === 'string' ? refusal.message : body.slice(0, 200).trim() || 'no body';
  throw new ApiError(status ?? 0, `${where}: HTTP ${status ?? '?'}: ${why}`);
}

/** GET one path; resolves to the parsed JSON body of a 200, rejects with ApiError otherwise. */
function get(api: ApiServer, path: string): Promise<unknown> {
  return new Promise((resolve, reject) => {
    const where = `https://${api.host.includes(':') ? `[${api.host}]` : api.host}:${api.port}${path}`;
    const headers = { authorization: `Bearer ${api.token}`, accept: 'application/json', 'user-agent': `fipscan/${TOOL_VERSION}` };
    const req = https.request({ host: api.host, port: api.port, path, method: 'GET', ca: api.ca, agent: api.agent, headers, timeout: REQUEST_TIMEOUT_MS }, (res) => {
      const chunks: Buffer[] = [];
      let size = 0;
      res.on('data', (chunk: Buffer) => {
        size += chunk.length;
        if (size > MAX_PAGE_BYTES) {
          req.destroy(new ApiError(0, `${where}: answer larger than ${MAX_PAGE_BYTES} bytes`));
          return;
        }
        chunks.push(chunk);
      });
      res.on('error', reject);
      res.on('end', () => {
        try {
          resolve(answerOf(res.statusCode, Buffer.concat(chunks).toString('utf8'), where));
        } catch (err) {
          reject(err);
        }
      });
    });
    req.on('timeout', () => req.destroy(new ApiError(0, `${where}: no answer within ${REQUEST_TIMEOUT_MS} ms`)));
    req.on('error', (err) => reject(err instanceof ApiError ? err : new ApiError(0, `${where}: ${err.message}`)));
    req.end();
  });
}

/** Every page of one list: `?limit=500`, then `&continue=<token>` until the server gives none. */
async function listAll(api: ApiServer, base: string): Promise<unknown[]> {
  const pages: unknown[] = [];
  let token: string | undefined;
  do {
    const query = `limit=${PAGE_SIZE}${token === undefined ? '' : `&continue=${encodeURIComponent(token)}`}`;
    const page = await get(api, `${base}?${query}`);
    pages.push(page);
    const next = (page as { metadata?: { continue?: unknown } } | null)?.metadata?.continue;
    token = typeof next === 'string' && next.length > 0 ? next : undefined;
  } while (token !== undefined);
  return pages;
}

/** Lists the Services and EndpointSlices the service account may see. */
export async function discover(o: DiscoverOptions): Promise<Discovered> {
  const api = await apiServer(o);
  const scope = o.namespace === undefined ? '' : `/namespaces/${encodeURIComponent(o.namespace)}`;
  const warnings: string[] = [];
  try {
    let services: unknown[];
    try {
      services = await listAll(api, `/api/v1${scope}/services`);
    } catch (err) {
      throw unavailable(`cannot list services: ${(err as Error).message}`);
    }
    let slices: unknown[] = [];
    try {
      slices = await listAll(api, `/apis/discovery.k8s.io/v1${scope}/endpointslices`);
    } catch (err) {
      // Forbidden, or a cluster older than discovery.k8s.io/v1 (1.21): services alone still work.
      if (!(err instanceof ApiError) || (err.status !== 403 && err.status !== 404)) throw unavailable(`cannot list endpointslices: ${(err as Error).message}`);
      warnings.push(`cannot list endpointslices (${err.message}); headless services are resolved by DNS instead`);
    }
    return { documents: [...services, ...slices], warnings };
  } finally {
    api.agent.destroy();
  }
}
