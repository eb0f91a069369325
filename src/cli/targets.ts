/**
 * The endpoints one `fipscan scan` process scans: targets from the arguments, --targets-file,
 * --k8s and --k8s-discover, parsed, deduplicated by endpoint key (input order kept), cut to this
 * process's shard, and only then expanded to every address of a name (--all-addresses, headless
 * Kubernetes services). Sharding before resolving means each shard resolves only its own names,
 * and a name's addresses all land in one shard even when two pods' resolvers order them
 * differently.
 */
import { readFile } from 'node:fs/promises';
import { isIP } from 'node:net';
import pLimit from 'p-limit';
import { parseTarget, pinnedTarget, TargetError, type Endpoint, type Resolver } from '../index.js';
import { CliError } from './exit.js';
import { readStdin, readTargetsFile } from './files.js';
import { k8sTargets, type K8sTarget } from './k8s.js';
import { discover } from './k8sApi.js';
import { shardOf, targetKey, type Shard } from './shard.js';

/** The scan options that choose targets. */
export interface TargetOptions {
  targetsFile?: string;
  allAddresses?: boolean;
  k8s?: string;
  k8sDiscover?: boolean;
  k8sAllPorts?: boolean;
  k8sEndpoints?: boolean;
  k8sNamespace?: string;
  k8sClusterDomain?: string;
  k8sServiceaccountDir?: string;
}

export interface TargetDeps {
  resolver: Resolver;
  env: NodeJS.ProcessEnv;
  /** One line of progress or warning (stderr in the CLI); not called with quiet. */
  note: (line: string) => void;
}

/** A target before expansion: `resolveAll` asks for one endpoint per address of the name. */
type Listed = K8sTarget;

const RESOLVE_CONCURRENCY = 8;

function parsed(text: string): Endpoint {
  try {
    return parseTarget(text);
  } catch (err) {
    if (err instanceof TargetError) throw new CliError(`bad target: ${err.message}`, err.code);
    throw err;
  }
}

function dedupe(list: readonly Listed[]): Listed[] {
  const seen = new Set<string>();
  return list.filter(({ endpoint }) => {
    const key = targetKey(endpoint);
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

async function readK8sFile(path: string): Promise<unknown> {
  let text: string;
  try {
    text = path === '-' ? await readStdin() : await readFile(path, 'utf8');
  } catch (err) {
    throw new CliError(`--k8s: cannot read ${path}: ${(err as Error).message}`, 'EREADFILE');
  }
  try {
    return JSON.parse(text.replace(/^\uFEFF/, '')) as unknown;
  } catch (err) {
    throw new CliError(`--k8s: ${path} is not JSON (give the output of kubectl get services,endpointslices -A -o json): ${(err as Error).message}`);
  }
}

/** Targets from --k8s and --k8s-discover, with a summary line. */
async function kubernetesTargets(o: TargetOptions, deps: TargetDeps): Promise<Listed[]> {
  const documents: unknown[] = [];
  if (o.k8s !== undefined) documents.push(await readK8sFile(o.k8s));
  if (o.k8sDiscover) {
    const found = await discover({ serviceAccountDir: o.k8sServiceaccountDir, namespace: o.k8sNamespace, env: deps.env });
    for (const w of found.warnings) deps.note(`k8s: ${w}`);
    documents.push(...found.documents);
  }
  const r = k8sTargets(documents, {
    endpoints: o.k8sEndpoints === true,
    allAddresses: o.allAddresses === true,
    namespace: o.k8sNamespace,
    clusterDomain: o.k8sClusterDomain ?? 'cluster.local',
  });
  const skipped = r.skipped.length === 0 ? '' : `; skipped ${r.skipped.length}: ${r.skipped.slice(0, 5).join('; ')}${r.skipped.length > 5 ? '; ...' : ''}`;
  const nonTcp = r.nonTcpPorts === 0 ? '' : `; ${r.nonTcpPorts} UDP/SCTP port${r.nonTcpPorts === 1 ? '' : 's'} skipped`;
  deps.note(`k8s: ${r.targets.length} TCP ports from ${r.services} services and ${r.endpointSlices} endpoint slices${nonTcp}${skipped}`);
  return r.targets;
}

/**
 * One endpoint per address of each target that asks for it (`name:port@address`, the name kept
 * as host and SNI). A name that does not resolve stays one endpoint, which the scan then reports
 * as an error (ENOTFOUND): a fleet scan never drops a target silently.
 */
export async function expandAddresses(list: readonly Listed[], resolver: Resolver, note: (line: string) => void = () => {}): Promise<Endpoint[]> {
  const limit = pLimit(RESOLVE_CONCURRENCY);
  const expanded = await Promise.all(
    list.map(({ endpoint, resolveAll }) =>
      limit(async (): Promise<Endpoint[]> => {
        if (!resolveAll || endpoint.address !== undefined || isIP(endpoint.host)) return [endpoint];
        let addresses: string[];
        try {
          addresses = await resolver(endpoint.host);
        } catch (err) {
          note(`${endpoint.target}: ${(err as Error).message}`);
          return [endpoint];
        }
        if (addresses.length === 0) return [endpoint];
        return addresses.map((address) => ({ ...endpoint, target: pinnedTarget(endpoint.host, endpoint.port, address), address }));
      }),
    ),
  );
  return expanded.flat();
}

/** The endpoints this process scans, in input order (see the module comment). */
export async function collectFleet(args: readonly string[], o: TargetOptions, shard: Shard | undefined, deps: TargetDeps): Promise<Endpoint[]> {
  const kubernetes = o.k8s !== undefined || o.k8sDiscover === true;
  if (o.k8s === '-' && o.targetsFile === '-') throw new CliError('--k8s - and --targets-file - cannot both read stdin');
  const raw = [...args, ...(o.targetsFile ? await readTargetsFile(o.targetsFile) : [])];
  if (raw.length === 0 && !kubernetes) throw new CliError('no targets: give host[:port] arguments, --targets-file, --k8s or --k8s-discover');
  const listed: Listed[] = raw.map((text) => {
    const endpoint = parsed(text);
    return { endpoint, resolveAll: o.allAddresses === true };
  });
  if (kubernetes) listed.push(...(await kubernetesTargets(o, deps)));
  const all = dedupe(listed);
  const mine = shard ? all.filter(({ endpoint }) => shardOf(endpoint, shard.count) === shard.index) : all;
  if (shard) deps.note(`shard ${shard.index}/${shard.count}: ${mine.length} of ${all.length} targets`);
  const endpoints = dedupe((await expandAddresses(mine, deps.resolver, deps.note)).map((endpoint) => ({ endpoint, resolveAll: false }))).map((l) => l.endpoint);
  if (endpoints.length !== mine.length) deps.note(`${mine.length} targets are ${endpoints.length} endpoints, one per address`);
  return endpoints;
}
