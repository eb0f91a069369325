/**
 * Sharding a fleet scan over several processes (`--shard i/n`, or a Kubernetes Indexed Job):
 * each shard scans the targets whose normalized `host:port` (plus `@address` when the target
 * pins one) hashes (32-bit FNV-1a over UTF-8) to `i` modulo `n`. The choice depends on the
 * target alone, never on its position in the list, so the shards of one list are disjoint and
 * together complete however each pod happens to read or order it, and a target stays in the same
 * shard as the list grows.
 */
import type { Endpoint } from '../index.js';
import { endpointKey } from '../report/merge.js';
import { CliError } from './exit.js';

export interface Shard {
  /** 0-based. */
  index: number;
  count: number;
}

/**
 * The key targets are deduplicated and sharded by: lowercase host (IPv6 bracketed) and port,
 * plus `@address` for a target pinned to an address; the same key `fipscan merge` and
 * `fipscan diff` match endpoints by.
 */
export const targetKey: (e: Pick<Endpoint, 'host' | 'port'> & { target?: string }) => string = endpointKey;

/** 32-bit FNV-1a of the UTF-8 bytes of `s`. */
export function fnv1a32(s: string): number {
  let hash = 0x811c9dc5;
  for (const byte of Buffer.from(s, 'utf8')) {
    hash ^= byte;
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash;
}

/** The shard (0-based) a target belongs to among `count`. */
export function shardOf(e: Pick<Endpoint, 'host' | 'port'> & { target?: string }, count: number): number {
  return fnv1a32(targetKey(e)) % count;
}

/** The targets of one shard, in their input order. */
export function selectShard<T extends Pick<Endpoint, 'host' | 'port'> & { target?: string }>(endpoints: readonly T[], shard: Shard): T[] {
  return endpoints.filter((e) => shardOf(e, shard.count) === shard.index);
}

const MAX_SHARDS = 100000;

function wholeNumber(text: string, what: string): number {
  if (!/^\d{1,6}$/.test(text)) throw new CliError(`${what}: expected a whole number, got '${text}'`);
  return Number(text);
}

function checked(index: number, count: number, what: string): Shard {
  if (count < 1 || count > MAX_SHARDS) throw new CliError(`${what}: the number of shards must be 1 to ${MAX_SHARDS}, got ${count}`);
  if (index >= count) throw new CliError(`${what}: shard index ${index} is not below the number of shards ${count} (indexes are 0-based)`);
  return { index, count };
}

/** Parses `--shard i/n` (0-based i); exit 64 with one line when malformed or out of range. */
export function parseShard(value: string): Shard {
  const m = /^\s*(\d+)\s*\/\s*(\d+)\s*$/.exec(value);
  if (!m) throw new CliError(`--shard: expected i/n (0-based shard index / number of shards, e.g. 0/4), got '${value}'`);
  return checked(wholeNumber(m[1]!, '--shard'), wholeNumber(m[2]!, '--shard'), '--shard');
}

/**
 * The shard to scan: --shard when given; else FIPSCAN_SHARDS (the number of shards) with
 * JOB_COMPLETION_INDEX (set by a Kubernetes Indexed Job) as the index; else none (all
 * targets). JOB_COMPLETION_INDEX alone selects nothing: every Indexed Job pod has it.
 */
export function resolveShard(flag: Shard | undefined, env: NodeJS.ProcessEnv): Shard | undefined {
  if (flag) return flag;
  const shards = env.FIPSCAN_SHARDS?.trim();
  if (shards === undefined || shards === '') return undefined;
  const count = wholeNumber(shards, 'FIPSCAN_SHARDS');
  const index = env.JOB_COMPLETION_INDEX?.trim();
  if (index === undefined || index === '') throw new CliError('FIPSCAN_SHARDS is set but JOB_COMPLETION_INDEX is not: give --shard i/n, or run as a Kubernetes Indexed Job');
  return checked(wholeNumber(index, 'JOB_COMPLETION_INDEX'), count, 'FIPSCAN_SHARDS/JOB_COMPLETION_INDEX');
}
