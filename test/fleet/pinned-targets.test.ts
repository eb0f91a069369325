/**
 * `name:port@address` targets: they parse to the name (host, SNI) plus the address to connect
 * to, and two addresses of one name are two endpoints everywhere endpoints are keyed: dedupe and
 * shard (CLI), merge and diff (reports). Without the address in the key, merging the shards of an
 * --all-addresses scan would silently keep one address per name.
 */
import t from 'tap';
import { parseTarget, pinnedTarget, TargetError } from '../../src/index.js';
import { diffReports, endpointKey, mergeDocuments } from '../../src/report/index.js';
import { pinnedAddressOf } from '../../src/report/merge.js';
import { selectShard } from '../../src/cli/shard.js';
import { reportOf } from '../cli/reportFixtures.js';
import { strictEndpoint } from '../report/factories.js';

t.test('name:port@address parses to the name with a pinned address', async (t) => {
  t.same(parseTarget('shop.example:8443@10.0.0.7'), { target: 'shop.example:8443@10.0.0.7', host: 'shop.example', port: 8443, address: '10.0.0.7' });
  t.same(parseTarget('shop.example@10.0.0.7'), { target: 'shop.example@10.0.0.7', host: 'shop.example', port: 443, address: '10.0.0.7' }, 'default port');
  t.same(parseTarget('localhost:8443@[::1]').address, '::1', 'bracketed IPv6');
  t.same(parseTarget('localhost:8443@::1').address, '::1', 'bare IPv6');
  t.same(parseTarget('[::1]:8443@::1'), { target: '[::1]:8443@::1', host: '::1', port: 8443, address: '::1' });
  t.equal(parseTarget('shop.example:8443').address, undefined, 'no @: no pinned address');
  t.equal(parseTarget('https://user@shop.example/').host, 'shop.example', 'in a URL @ is userinfo, not a pin');
  t.equal(parseTarget('https://user@shop.example/').address, undefined);
});

t.test('a pin that is not an IP address, or two pins, is a TargetError', async (t) => {
  t.throws(() => parseTarget('shop.example:443@gateway'), TargetError);
  t.throws(() => parseTarget('shop.example:443@10.0.0.1@10.0.0.2'), TargetError);
  t.throws(() => parseTarget('shop.example:443@'), TargetError);
  t.throws(() => parseTarget('@10.0.0.1'), TargetError);
});

t.test('pinnedTarget writes what parseTarget reads, IPv6 bracketed', async (t) => {
  t.equal(pinnedTarget('localhost', 8443, '::1'), 'localhost:8443@[::1]');
  t.equal(pinnedTarget('::1', 8443, '::1'), '[::1]:8443@[::1]');
  for (const [host, port, address] of [['a.example', 443, '192.0.2.1'], ['localhost', 1, 'fd00::2c1e']] as const) {
    const e = parseTarget(pinnedTarget(host, port, address));
    t.same([e.host, e.port, e.address], [host, port, address]);
  }
});

t.test('the endpoint key adds the normalized pinned address; without a pin it is host:port as before', async (t) => {
  t.equal(endpointKey({ host: 'Shop.Example', port: 443 }), 'shop.example:443');
  t.equal(endpointKey({ host: 'Shop.Example', port: 443, target: 'Shop.Example:443' }), 'shop.example:443');
  t.equal(endpointKey({ host: 'shop.example', port: 443, target: 'shop.example:443@10.0.0.7' }), 'shop.example:443@10.0.0.7');
  t.equal(endpointKey({ host: 'localhost', port: 1, target: 'localhost:1@::0001' }), 'localhost:1@[::1]', 'IPv6 compressed and bracketed');
  t.equal(endpointKey({ host: 'localhost', port: 1, target: 'localhost:1@[FD00::2C1E]' }), 'localhost:1@[fd00::2c1e]');
  t.equal(pinnedAddressOf('https://u@10.0.0.1'), null, 'URLs never pin');
  t.equal(pinnedAddressOf('host:1@999.1.1.1.1'), null);
});

t.test('two addresses of one name are two endpoints in merge and diff', async (t) => {
  const at = (address: string) => {
    const e = strictEndpoint();
    e.result.target = pinnedTarget('shop.example', 443, address);
    e.result.host = 'shop.example';
    e.result.port = 443;
    e.result.address = address;
    return e;
  };
  const shard0 = reportOf([at('10.0.0.7')], '2026-01-01T00:00:00.000Z');
  const shard1 = reportOf([at('fd00::7')], '2026-01-01T00:00:01.000Z');
  const { doc, conflicts } = mergeDocuments([{ name: 'a', doc: shard0 }, { name: 'b', doc: shard1 }], { name: 'fipscan', version: 'test' });
  t.same(conflicts, [], 'no conflict: different endpoints');
  t.same(doc.endpoints.map((e) => e.target), ['shop.example:443@10.0.0.7', 'shop.example:443@[fd00::7]']);
  const drift = diffReports(shard0, doc);
  t.same(drift.endpoints.map((e) => [e.target, e.change]), [['shop.example:443@[fd00::7]', 'appeared']], 'the second address appeared; the first is unchanged');
});

t.test('shards split the addresses of a pinned name by the full key', async (t) => {
  const endpoints = Array.from({ length: 64 }, (_, i) => parseTarget(`shop.example:443@10.0.${i >> 8}.${i & 255}`));
  const shards = [0, 1, 2, 3].map((index) => selectShard(endpoints, { index, count: 4 }));
  t.equal(shards.flat().length, 64, 'every address in exactly one shard');
  t.ok(shards.every((s) => s.length > 0), `spread: ${shards.map((s) => s.length).join(', ')}`);
});
