/**
 * `--shard i/n` and the Indexed Job variables: the shards of a target list are disjoint,
 * together complete, and the same however the list is ordered; bad values are one line and
 * exit 64.
 */
import t from 'tap';
import { CliError } from '../../src/cli/exit.js';
import { fnv1a32, parseShard, resolveShard, selectShard, shardOf, targetKey } from '../../src/cli/shard.js';
import { closedPort, runCli, type Report } from '../helpers/cli.js';
import { mulberry32 } from '../helpers/random.js';

const TARGETS = Array.from({ length: 100 }, (_, i) => ({ host: i % 3 === 0 ? `10.0.${i >> 4}.${i}` : `svc-${i}.ns-${i % 5}.svc.cluster.local`, port: 443 + (i % 4) * 1000 }));

/** A deterministic shuffle (mulberry32), so a failure can be replayed. */
function shuffled<T>(items: readonly T[], seed: number): T[] {
  const out = [...items];
  const random = mulberry32(seed);
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [out[i], out[j]] = [out[j]!, out[i]!];
  }
  return out;
}

const keys = (list: readonly { host: string; port: number }[]) => list.map(targetKey).sort();

t.test('FNV-1a 32 matches the published test vectors', async (t) => {
  t.equal(fnv1a32(''), 0x811c9dc5);
  t.equal(fnv1a32('a'), 0xe40c292c);
  t.equal(fnv1a32('foobar'), 0xbf9cf968);
});

t.test('for 100 targets the shards are disjoint and complete for every shard count', async (t) => {
  for (const count of [1, 2, 3, 4, 7, 10, 100, 1000]) {
    const shards = Array.from({ length: count }, (_, index) => selectShard(TARGETS, { index, count }));
    t.equal(shards.reduce((n, s) => n + s.length, 0), TARGETS.length, `n=${count}: sizes add up`);
    t.same(keys(shards.flat()), keys(TARGETS), `n=${count}: every target in exactly one shard`);
  }
  const four = Array.from({ length: 4 }, (_, index) => selectShard(TARGETS, { index, count: 4 }).length);
  t.ok(four.every((n) => n >= 10), `n=4 spreads the targets: ${four.join(', ')}`);
});

t.test('a target stays in its shard however the list is ordered, and keeps input order within it', async (t) => {
  for (const seed of [1, 2, 3]) {
    const order = shuffled(TARGETS, seed);
    for (let index = 0; index < 4; index++) {
      const shard = selectShard(order, { index, count: 4 });
      t.same(keys(shard), keys(selectShard(TARGETS, { index, count: 4 })), `seed ${seed}, shard ${index}/4`);
      t.same(shard, order.filter((e) => shard.includes(e)), 'input order kept');
    }
  }
});

t.test('the key is host (case-insensitive) and port, as targets are deduplicated', async (t) => {
  t.equal(targetKey({ host: 'API.Example', port: 443 }), 'api.example:443');
  t.equal(targetKey({ host: '::1', port: 8443 }), '[::1]:8443');
  t.equal(shardOf({ host: 'API.Example', port: 443 }, 7), shardOf({ host: 'api.example', port: 443 }, 7));
});

t.test('--shard parses i/n with a 0-based index and refuses the rest with one line', async (t) => {
  t.same(parseShard('0/1'), { index: 0, count: 1 });
  t.same(parseShard('3/4'), { index: 3, count: 4 });
  for (const bad of ['4/4', '1/0', '0/0', 'a/b', '1', '-1/2', '1/2/3', '']) {
    t.throws(() => parseShard(bad), CliError, `'${bad}'`);
  }
  t.throws(() => parseShard('4/4'), { message: '--shard: shard index 4 is not below the number of shards 4 (indexes are 0-based)', exitCode: 64 });
});

t.test('without --shard, FIPSCAN_SHARDS with JOB_COMPLETION_INDEX selects the shard', async (t) => {
  t.equal(resolveShard(undefined, {}), undefined, 'nothing set: all targets');
  t.equal(resolveShard(undefined, { JOB_COMPLETION_INDEX: '2' }), undefined, 'an Indexed Job alone does not shard');
  t.same(resolveShard(undefined, { FIPSCAN_SHARDS: '4', JOB_COMPLETION_INDEX: '2' }), { index: 2, count: 4 });
  t.same(resolveShard({ index: 0, count: 2 }, { FIPSCAN_SHARDS: '4', JOB_COMPLETION_INDEX: '2' }), { index: 0, count: 2 }, '--shard wins');
  t.throws(() => resolveShard(undefined, { FIPSCAN_SHARDS: '4' }), CliError, 'FIPSCAN_SHARDS without an index');
  t.throws(() => resolveShard(undefined, { FIPSCAN_SHARDS: '4', JOB_COMPLETION_INDEX: '4' }), CliError, 'index out of range');
  t.throws(() => resolveShard(undefined, { FIPSCAN_SHARDS: 'four', JOB_COMPLETION_INDEX: '0' }), CliError, 'not a number');
});

t.test('the CLI refuses a bad --shard or bad job variables with one line and exit 64', async (t) => {
  for (const [args, env] of [
    [['--shard', '2/2'], {}],
    [['--shard', 'half'], {}],
    [[], { FIPSCAN_SHARDS: '3', JOB_COMPLETION_INDEX: '3' }],
    [[], { FIPSCAN_SHARDS: '3', JOB_COMPLETION_INDEX: undefined }],
  ] as const) {
    const run = await runCli(['scan', ...args, '127.0.0.1:1'], { env });
    t.equal(run.code, 64, `${args.join(' ')} ${JSON.stringify(env)}: exit 64`);
    t.match(run.stderr, /^fipscan: [^\n]*(shard|SHARDS)[^\n]*\n$/, 'one line naming the problem');
    t.equal(run.stdout, '');
  }
});

t.test('the Indexed Job variables split a scan into disjoint, complete shards', async (t) => {
  const ports: number[] = [];
  for (let i = 0; i < 6; i++) ports.push(await closedPort());
  const targets = ports.map((p) => `127.0.0.1:${p}`);
  const scanned: string[][] = [];
  for (const index of ['0', '1']) {
    const run = await runCli(['scan', '--format', 'json', '--timeout', '1000', ...targets], { env: { FIPSCAN_SHARDS: '2', JOB_COMPLETION_INDEX: index } });
    const report = JSON.parse(run.stdout) as Report;
    scanned.push(report.endpoints.map((e) => e.target));
    const expected = targets.filter((_, i) => shardOf({ host: '127.0.0.1', port: ports[i]! }, 2) === Number(index));
    t.same(scanned.at(-1), expected, `shard ${index}/2 scans its targets, in input order`);
    t.match(run.stderr, new RegExp(`fipscan: shard ${index}/2: ${expected.length} of 6 targets\\n`));
    t.equal(run.code, expected.length > 0 ? 2 : 0, 'exit code of the shard (refused connections are errors)');
  }
  t.same([...scanned[0]!, ...scanned[1]!].sort(), [...targets].sort(), 'together, every target once');
});

t.test('a shard that gets no targets writes an empty report and exits 0', async (t) => {
  const target = { host: '127.0.0.1', port: 1 };
  const other = shardOf(target, 2) === 0 ? '1/2' : '0/2';
  const run = await runCli(['scan', '--shard', other, '--format', 'json', '-q', '127.0.0.1:1']);
  t.equal(run.code, 0, 'exit 0', { stderr: run.stderr });
  t.same((JSON.parse(run.stdout) as Report).summary, { endpoints: 0, pass: 0, fail: 0, error: 0, 'not-tls': 0 });
  t.equal(run.stderr, '', '-q: not even the shard line');
});
