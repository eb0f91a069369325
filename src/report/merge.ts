/**
 * Merging fipscan/v1 reports (`fipscan merge`): the shards of a fleet scan, or scans of the
 * same fleet at different times, become one document as if one run had scanned them all.
 * Endpoints are matched by their normalized host:port (plus the pinned address of a
 * `name:port@address` target); when two reports hold the same one, the
 * report that started later wins (its scan is the newer evidence) and the caller is told. Only
 * reports judged against the same policy (id and version) merge: a verdict means nothing
 * without its policy. Pure: the CLI reads the files and prints the conflicts.
 */
import { jsonSummary, type JsonDocument, type JsonEndpoint } from './json.js';

/** The reports cannot be merged (policies differ, or nothing to merge); one-line message. */
export class MergeError extends Error {
  readonly code = 'EMERGE';
  constructor(message: string) {
    super(message);
    this.name = 'MergeError';
  }
}

/** One report to merge, with the name (file) messages call it by. */
export interface NamedDocument {
  name: string;
  doc: JsonDocument;
}

/** Two reports held the same endpoint; `kept` names the one whose result (and target) was kept. */
export interface MergeConflict {
  key: string;
  target: string;
  kept: string;
  dropped: string;
}

export interface MergeResult {
  doc: JsonDocument;
  conflicts: MergeConflict[];
}

/**
 * The address a target is pinned to (`name:port@address`, see probe/target.ts), normalized
 * (IPv6 bracketed, lowercase, compressed), or null. URLs never pin: their `@` is userinfo.
 */
export function pinnedAddressOf(target: string): string | null {
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(target)) return null;
  const m = /@\[?([0-9A-Fa-f:.]+)\]?$/.exec(target.trim());
  if (!m) return null;
  const address = m[1]!;
  if (!address.includes(':')) return /^\d{1,3}(\.\d{1,3}){3}$/.test(address) ? address : null;
  try {
    return new URL(`http://[${address}]/`).host;
  } catch {
    return null;
  }
}

/**
 * The key endpoints are matched by, as the CLI dedupes and shards targets: lowercase host (IPv6
 * bracketed) and port, plus `@address` when the target pins one (one name scanned at each of its
 * addresses is that many endpoints), after the pod of an --inspect-local report (`ns/name 127.0.0.1:8443`).
 */
export function endpointKey(e: Pick<JsonEndpoint, 'host' | 'port'> & { target?: string; pod?: string }): string {
  const host = e.host.toLowerCase();
  const key = `${host.includes(':') ? `[${host}]` : host}:${e.port}`;
  const pinned = e.target === undefined ? null : pinnedAddressOf(e.target);
  const address = pinned === null ? key : `${key}@${pinned}`;
  // --inspect-local in many pods: every pod's 127.0.0.1:PORT is its own endpoint.
  return e.pod === undefined ? address : `${e.pod} ${address}`;
}

/** Refuses reports judged against different policies (id and version): a verdict means nothing without its policy. */
function checkOnePolicy(inputs: readonly NamedDocument[], first: NamedDocument): void {
  for (const { name, doc } of inputs) {
    if (doc.policy.id !== first.doc.policy.id || doc.policy.version !== first.doc.policy.version) {
      throw new MergeError(
        `${name} was judged against policy ${doc.policy.id} ${doc.policy.version} but ${first.name} against ${first.doc.policy.id} ${first.doc.policy.version}: only reports of the same policy merge`,
      );
    }
  }
}

/** Each endpoint once, in order of first appearance, from the report that started later (`starts[i]`), with the conflicts. */
function latestEndpoints(inputs: readonly NamedDocument[], starts: readonly number[]): { endpoints: JsonEndpoint[]; conflicts: MergeConflict[] } {
  const byKey = new Map<string, { endpoint: JsonEndpoint; input: number }>();
  const conflicts: MergeConflict[] = [];
  inputs.forEach(({ doc }, input) => {
    for (const endpoint of doc.endpoints) {
      const key = endpointKey(endpoint);
      const held = byKey.get(key);
      if (held === undefined) {
        byKey.set(key, { endpoint, input });
        continue;
      }
      const newer = starts[input]! >= starts[held.input]!;
      const [kept, dropped] = newer ? [input, held.input] : [held.input, input];
      conflicts.push({ key, target: (newer ? endpoint : held.endpoint).target, kept: inputs[kept]!.name, dropped: inputs[dropped]!.name });
      // Map.set on an existing key keeps its insertion position: first appearance orders the list.
      if (newer) byKey.set(key, { endpoint, input });
    }
  });
  return { endpoints: [...byKey.values()].map((v) => v.endpoint), conflicts };
}

function sameCommand(a: readonly string[] | undefined, b: readonly string[]): boolean {
  return a !== undefined && a.length === b.length && a.every((arg, i) => arg === b[i]);
}

/**
 * The command line every report shares, or undefined. The shards of one Indexed Job share their
 * command line; reports of different runs do not, and then no single command line made the
 * merged document.
 */
function commonCommand(inputs: readonly NamedDocument[], first: NamedDocument): string[] | undefined {
  const command = first.doc.command;
  return command !== undefined && inputs.every(({ doc }) => sameCommand(doc.command, command)) ? [...command] : undefined;
}

/**
 * The reports as one document: endpoints in order of first appearance, deduplicated (the later
 * `startedAt` wins; on a tie the later report in `inputs`), the summary recounted, `startedAt`
 * the earliest and `durationMs` the span to the last report's end. `tool` is the merging tool;
 * `command` is kept only when every report has the same one.
 */
export function mergeDocuments(inputs: readonly NamedDocument[], tool: JsonDocument['tool']): MergeResult {
  const first = inputs[0];
  if (first === undefined) throw new MergeError('no reports to merge');
  checkOnePolicy(inputs, first);
  const starts = inputs.map(({ doc }) => Date.parse(doc.startedAt));
  const ends = inputs.map(({ doc }, i) => starts[i]! + doc.durationMs);
  const earliest = starts.indexOf(Math.min(...starts));
  const { endpoints, conflicts } = latestEndpoints(inputs, starts);
  const command = commonCommand(inputs, first);
  const doc: JsonDocument = {
    schema: first.doc.schema,
    tool: { name: tool.name, version: tool.version },
    policy: { ...first.doc.policy },
    startedAt: inputs[earliest]!.doc.startedAt,
    durationMs: Math.max(...ends) - starts[earliest]!,
    ...(command ? { command } : {}),
    summary: jsonSummary(endpoints.map((e) => e.verdict)),
    endpoints,
  };
  // Workloads (scan --inspect-local) belong to the pod each report came from: all are kept.
  const workloads = inputs.flatMap(({ doc }) => doc.workloads ?? []);
  if (inputs.some(({ doc }) => doc.workloads !== undefined)) doc.workloads = workloads;
  return { doc, conflicts };
}
