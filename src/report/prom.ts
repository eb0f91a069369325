/**
 * The Prometheus report (--format prom): text exposition format 0.0.4, for node_exporter's
 * textfile collector (write it with --output, which renames atomically as the collector needs).
 * Every metric is a gauge, rendered from the fipscan/v1 document so `scan` and `merge` share it.
 *
 * Per endpoint (labels target, policy): compliant 0/1, verdict as a state set (one sample per
 * verdict, 1 for the endpoint's), violations, probes, scan duration; per offered-or-refused
 * protocol `fipscan_protocol_offered` 1/0, an inconclusive protocol has no sample (absent is
 * how Prometheus says "unknown", and a -1 would poison sum() and max()). Per run (label policy,
 * and shard when the scan was one shard of several, so shards on one node do not collide):
 * endpoints by verdict, the run's duration, and the time it completed, left out when the run
 * was interrupted, so `time() - fipscan_last_complete_scan_timestamp_seconds` measures how
 * stale the last whole scan is. A `scan --inspect-local` run adds `fipscan_workload_verdict`, a
 * state set per workload (labels pid, executable, policy) over pass, fail, error and n/a. A run
 * with SSH endpoints adds, per SSH endpoint whose offer was read, its identification line as an
 * info metric and the names it offers per KEXINIT category by what the policy says of them.
 */
import type { Verdict } from '../model/verdict.js';
import type { JsonDocument, JsonEndpoint } from './json.js';
import { jsonSshMark, type JsonSsh, type JsonSshAlgorithm } from './sshJson.js';
import { sanitize } from './sanitize.js';
import { SSH_CATEGORIES, type SshListKey, type SshNameMark } from './sshNames.js';

export interface PromOptions {
  /** The shard this run scanned (`--shard i/n`), added as a `shard="i/n"` label on run metrics. */
  shard?: { index: number; count: number };
}

type Labels = readonly (readonly [string, string])[];

interface Sample {
  labels: Labels;
  value: number;
}

interface Family {
  name: string;
  help: string;
  samples: Sample[];
}

const VERDICTS: readonly Verdict[] = ['pass', 'fail', 'error', 'not-tls'];
const WORKLOAD_VERDICTS = ['pass', 'fail', 'error', 'n/a'] as const;

/** A label value escaped as the exposition format says: backslash, double quote, line feed. */
export function escapeLabelValue(value: string): string {
  return value.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n');
}

function sampleLine(name: string, s: Sample): string {
  const labels = s.labels.map(([k, v]) => `${k}="${escapeLabelValue(v)}"`).join(',');
  return `${name}${labels === '' ? '' : `{${labels}}`} ${String(s.value)}`;
}

function familyLines(f: Family): string[] {
  return [`# HELP ${f.name} ${f.help}`, `# TYPE ${f.name} gauge`, ...f.samples.map((s) => sampleLine(f.name, s))];
}

/** Per endpoint (labels target, policy): its verdict, violations, probes, duration and protocols. */
function endpointFamilies(doc: JsonDocument): Family[] {
  // An --inspect-local endpoint is its pod's: two pods' 127.0.0.1:8443 are two series.
  const labels = (e: JsonEndpoint): Labels => [
    ['target', e.target],
    ...(e.pod === undefined ? [] : ([['pod', e.pod]] as const)),
    ['policy', doc.policy.id],
  ];
  return [
    {
      name: 'fipscan_endpoint_compliant',
      help: '1 when the endpoint passed the policy, 0 when it failed or could not be judged.',
      samples: doc.endpoints.map((e) => ({ labels: labels(e), value: e.verdict === 'pass' ? 1 : 0 })),
    },
    {
      name: 'fipscan_endpoint_verdict',
      help: "The endpoint's verdict as a state set: 1 for its verdict (pass, fail, error or not-tls), 0 for the others.",
      samples: doc.endpoints.flatMap((e) => VERDICTS.map((v) => ({ labels: [...labels(e), ['verdict', v] as const], value: e.verdict === v ? 1 : 0 }))),
    },
    {
      name: 'fipscan_endpoint_violations',
      help: 'Policy violations found on the endpoint.',
      samples: doc.endpoints.map((e) => ({ labels: labels(e), value: e.violations.length })),
    },
    {
      name: 'fipscan_endpoint_probes',
      help: 'TCP connections the scan of the endpoint opened.',
      samples: doc.endpoints.map((e) => ({ labels: labels(e), value: e.probes })),
    },
    {
      name: 'fipscan_endpoint_scan_duration_seconds',
      help: 'Time the scan of the endpoint took.',
      samples: doc.endpoints.map((e) => ({ labels: labels(e), value: e.durationMs / 1000 })),
    },
    {
      name: 'fipscan_protocol_offered',
      help: '1 when the endpoint accepts the protocol version, 0 when it proved it refuses it; no sample when inconclusive.',
      samples: doc.endpoints.flatMap((e) =>
        e.protocols.flatMap((p) => (p.offered === null ? [] : [{ labels: [...labels(e), ['protocol', p.name] as const], value: p.offered ? 1 : 0 }])),
      ),
    },
  ];
}

/** `scan --inspect-local`: each workload's verdict as a state set (labels pid, executable, policy); none without workloads. */
function workloadFamilies(doc: JsonDocument): Family[] {
  if (!doc.workloads) return [];
  return [
    {
      name: 'fipscan_workload_verdict',
      help: "A workload's combined verdict (its TLS ports and its process) as a state set: 1 for its verdict (pass, fail, error or n/a), 0 for the others.",
      samples: doc.workloads.flatMap((w) =>
        WORKLOAD_VERDICTS.map((v) => ({
          labels: [['pid', w.pid === null ? '' : String(w.pid)], ['executable', w.process?.path ?? ''], ['policy', doc.policy.id], ['verdict', v]] as const,
          value: w.verdict === v ? 1 : 0,
        })),
      ),
    },
  ];
}

/** The `category` label of each KEXINIT category. */
const SSH_CATEGORY_LABEL: Readonly<Record<SshListKey, string>> = { kex: 'kex', hostKey: 'host_key', cipher: 'cipher', mac: 'mac', compression: 'compression' };

/** The `disposition` label of what the policy says of a name; a marker is not judged, as compression is. */
const SSH_DISPOSITIONS = ['allowed', 'warned', 'denied', 'not_judged'] as const;
const SSH_DISPOSITION_OF: Readonly<Record<SshNameMark, (typeof SSH_DISPOSITIONS)[number]>> = { allow: 'allowed', warn: 'warned', deny: 'denied', marker: 'not_judged', 'not-judged': 'not_judged' };

/** The names a category offers, both directions counted once. */
function offeredNames(ssh: JsonSsh, key: SshListKey): JsonSshAlgorithm[] {
  const lists = ssh[key];
  const all = Array.isArray(lists) ? lists : [...lists.clientToServer, ...lists.serverToClient];
  return [...new Map(all.map((a) => [a.name, a])).values()];
}

/** SSH endpoints whose offer was read (labels target, policy): the identification, and the names per category and disposition; none without them. */
function sshFamilies(doc: JsonDocument): Family[] {
  const read = doc.endpoints.flatMap((e): { e: JsonEndpoint; ssh: JsonSsh }[] => (e.ssh ? [{ e, ssh: e.ssh }] : []));
  if (read.length === 0) return [];
  const labels = (target: string): Labels => [
    ['target', target],
    ['policy', doc.policy.id],
  ];
  const counts = ({ e, ssh }: { e: JsonEndpoint; ssh: JsonSsh }): Sample[] =>
    SSH_CATEGORIES.flatMap((c) => {
      const marks = offeredNames(ssh, c.key).map((a) => SSH_DISPOSITION_OF[jsonSshMark(a)]);
      return SSH_DISPOSITIONS.map((d) => ({ labels: [...labels(e.target), ['category', SSH_CATEGORY_LABEL[c.key]], ['disposition', d]] as const, value: marks.filter((m) => m === d).length }));
    });
  return [
    {
      name: 'fipscan_ssh_server_info',
      help: "An SSH endpoint's identification line (label identification), always 1: which SSH software answers where.",
      samples: read.map(({ e, ssh }) => ({ labels: [...labels(e.target), ['identification', sanitize(ssh.identification)]], value: 1 })),
    },
    {
      name: 'fipscan_ssh_algorithms',
      help: 'Algorithms an SSH endpoint offers per KEXINIT category (kex, host_key, cipher, mac, compression; both directions counted once) by what the policy says: allowed, warned, denied, not_judged (markers, compression).',
      samples: read.flatMap(counts),
    },
  ];
}

/** Per run (label policy, and shard): endpoints by verdict, duration, and when it completed unless interrupted. */
function runFamilies(doc: JsonDocument, opts: PromOptions): Family[] {
  const labels: [string, string][] = [['policy', doc.policy.id]];
  if (opts.shard) labels.push(['shard', `${opts.shard.index}/${opts.shard.count}`]);
  const completed = (Date.parse(doc.startedAt) + doc.durationMs) / 1000;
  const interrupted = doc.endpoints.some((e) => e.error?.code === 'EINTERRUPTED');
  return [
    {
      name: 'fipscan_scan_endpoints',
      help: 'Endpoints in the last run by verdict.',
      samples: VERDICTS.map((v) => ({ labels: [...labels, ['verdict', v] as const], value: doc.endpoints.filter((e) => e.verdict === v).length })),
    },
    {
      name: 'fipscan_scan_duration_seconds',
      help: 'Time the last run took, first endpoint started to last finished.',
      samples: [{ labels, value: doc.durationMs / 1000 }],
    },
    {
      name: 'fipscan_last_complete_scan_timestamp_seconds',
      help: 'Unix time the last run that was not interrupted completed.',
      samples: interrupted || Number.isNaN(completed) ? [] : [{ labels, value: completed }],
    },
  ];
}

/** The run as Prometheus text exposition (0.0.4), ending with a newline. */
export function renderProm(doc: JsonDocument, opts: PromOptions = {}): string {
  const families = [...endpointFamilies(doc), ...sshFamilies(doc), ...workloadFamilies(doc), ...runFamilies(doc, opts)];
  return `${families.flatMap(familyLines).join('\n')}\n`;
}
