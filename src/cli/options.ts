/**
 * The `fipscan scan` options as one declarative table that feeds commander, so the help text,
 * defaults and validation of every flag live side by side. Parsers throw CliError (exit 64)
 * with a one-line message naming the flag.
 */
import type { Option } from 'commander';
import { STARTTLS_PROTOCOLS, parseProxy } from '../index.js';
import { CliError } from './exit.js';
import type { ReachCliOptions } from './identity.js';
import { parseShard, type Shard } from './shard.js';
import { commanderOption, type OptionSpec } from './subcommand.js';

export type Format = 'table' | 'json' | 'jsonl' | 'junit' | 'prom' | 'html';

export interface ScanCliOptions extends ReachCliOptions {
  policy?: string;
  targetsFile?: string;
  sni?: string;
  alpn?: string[];
  timeout: number;
  deadline: number;
  concurrency: number;
  perHost: number;
  format: Format;
  output?: string;
  quiet: boolean;
  color: boolean;
  shard?: Shard;
  /** Fleet targets (src/cli/targets.ts). */
  allAddresses: boolean;
  k8s?: string;
  k8sDiscover: boolean;
  k8sAllPorts: boolean;
  k8sEndpoints: boolean;
  k8sNamespace?: string;
  k8sClusterDomain: string;
  k8sServiceaccountDir?: string;
  /** Scan this network namespace's own listening ports and inspect their processes. */
  inspectLocal: boolean;
  /** A port that answers plaintext fails (a STRICT mTLS audit). */
  requireTls: boolean;
}

function integer(flag: string, min: number, max: number): (value: string) => number {
  return (value) => {
    if (!/^\d+$/.test(value)) throw new CliError(`${flag}: expected a whole number, got '${value}'`);
    const n = Number(value);
    if (n < min || n > max) throw new CliError(`${flag}: expected ${min} to ${max}, got ${n}`);
    return n;
  };
}

function alpnList(value: string): string[] {
  const list = value.split(',').map((s) => s.trim()).filter((s) => s.length > 0);
  if (list.length === 0 || list.some((p) => Buffer.byteLength(p) > 255)) throw new CliError(`--alpn: expected a comma-separated list of protocol names, got '${value}'`);
  return list;
}

function proxyUrl(value: string): string {
  try {
    parseProxy(value);
  } catch (err) {
    throw new CliError(`--proxy: ${(err as Error).message}`);
  }
  return value;
}

export const SCAN_OPTIONS: readonly OptionSpec[] = [
  { flags: '-p, --policy <name|file>', description: 'policy: a built-in profile (see `fipscan policies`) or a JSON policy file', env: 'FIPSCAN_POLICY' },
  { flags: '-f, --targets-file <file|->', description: 'read targets from a file (or - for stdin): one per line, # comments' },
  { flags: '--sni <name>', description: 'server_name to send (default: the target host when it is a name)' },
  { flags: '--alpn <list>', description: 'ALPN protocols to offer, comma-separated (e.g. h2,http/1.1)', parse: alpnList },
  { flags: '-t, --timeout <ms>', description: 'per-connection timeout in milliseconds', default: 5000, parse: integer('--timeout', 100, 600000) },
  { flags: '--deadline <ms>', description: 'per-endpoint deadline in milliseconds', default: 120000, parse: integer('--deadline', 1000, 3600000) },
  { flags: '-c, --concurrency <n>', description: 'endpoints scanned at once', default: 8, parse: integer('--concurrency', 1, 1024) },
  { flags: '--per-host <n>', description: 'connections at once to one endpoint', default: 2, parse: integer('--per-host', 1, 64) },
  { flags: '--format <format>', description: 'output format (html: one self-contained page for an auditor, with -o)', default: 'table', choices: ['table', 'json', 'jsonl', 'junit', 'prom', 'html'] },
  { flags: '-o, --output <file>', description: 'write the report to a file (atomically) instead of stdout' },
  { flags: '-q, --quiet', description: 'no progress or diagnostics on stderr', default: false },
  { flags: '--shard <i/n>', description: 'scan only shard i (0-based) of n: a stable share of the targets by host:port (default: FIPSCAN_SHARDS with JOB_COMPLETION_INDEX)', parse: parseShard },
  { flags: '--no-color', description: 'no colors (also NO_COLOR=1; colors are only used on a terminal anyway)' },
  { flags: '--starttls <protocol>', description: 'speak the protocol and upgrade with STARTTLS before every handshake', choices: [...STARTTLS_PROTOCOLS] },
  { flags: '--proxy <url>', description: 'reach the targets through an HTTP CONNECT proxy (http://host:port)', parse: proxyUrl },
  { flags: '--cert <pem>', description: 'client certificate (chain) for the full handshakes, with --key' },
  { flags: '--key <pem>', description: 'private key of --cert' },
  { flags: '--ca <pem>', description: "CA certificates to check the server's chain against (reported, never enforced)" },
  { flags: '--spiffe <dir>', description: 'client identity from an Istio/SPIFFE workload directory (cert-chain.pem, key.pem, root-cert.pem)' },
  { flags: '--all-addresses', description: 'scan a name at every address it resolves to (A and AAAA), each as its own endpoint name:port@address', default: false },
  { flags: '--k8s <file|->', description: 'scan every TCP port of the Kubernetes services and endpoint slices in this JSON (kubectl get services,endpointslices -A -o json)' },
  { flags: '--k8s-discover', description: "list services and endpoint slices from the Kubernetes API with the pod's service account, and scan every TCP port", default: false },
  { flags: '--k8s-all-ports', description: 'no longer needed: every TCP port is probed by default (accepted so older command lines still run)', default: false, hidden: true },
  { flags: '--k8s-endpoints', description: 'with --k8s/--k8s-discover: every ready pod address from the endpoint slices, also behind services with a cluster IP', default: false },
  { flags: '--k8s-namespace <ns>', description: 'with --k8s/--k8s-discover: only this namespace (--k8s-discover then needs only a namespaced Role)' },
  { flags: '--k8s-cluster-domain <domain>', description: 'cluster DNS domain for the service names', default: 'cluster.local', env: 'FIPSCAN_K8S_CLUSTER_DOMAIN' },
  { flags: '--require-tls', description: 'a STRICT mTLS audit: a port that answers plaintext (only, or beside TLS) fails; without it such a port is reported as not TLS, or passes with a warning', default: false },
  { flags: '--inspect-local', description: "inside a pod: scan its own listening TCP ports (/proc/net/tcp, tcp6) and inspect the processes behind them, one verdict per workload", default: false },
  { flags: '--k8s-serviceaccount-dir <dir>', description: 'where the service account token and ca.crt are', env: 'FIPSCAN_K8S_SERVICEACCOUNT_DIR', hidden: true },
];

/** Commander Option objects for the table (the fleet benchmark parses scan's options with them). */
export function scanOptions(): Option[] {
  return SCAN_OPTIONS.map(commanderOption);
}
