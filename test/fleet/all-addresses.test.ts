/**
 * `--all-addresses`: a name with several addresses is scanned at each, every address its own
 * endpoint `name:port@address` with the name kept as host and SNI. This machine's /etc/hosts
 * gives `localhost` only 127.0.0.1, so the two-address case uses an injected resolver (the
 * second address, ::1, served by a relay in front of the same server), and the CLI runs once for
 * real with the system resolver on `localhost`.
 */
import t from 'tap';
import { resolveAll, scanEndpoint, type Endpoint } from '../../src/index.js';
import { collectFleet, expandAddresses } from '../../src/cli/targets.js';
import type { Resolver } from '../../src/probe/resolve.js';
import { reportErrors, runCli, strictServer, type Report } from '../helpers/cli.js';
import { startTcpProxy } from '../helpers/tcpProxy.js';

const listed = (target: string, host: string, port: number) => ({ endpoint: { target, host, port } as Endpoint, resolveAll: true });

t.test('each address of a name becomes an endpoint name:port@address; IPs and pinned targets stay as they are', async (t) => {
  const asked: string[] = [];
  const resolver: Resolver = async (host) => {
    asked.push(host);
    if (host === 'multi.test') return ['192.0.2.10', '2001:db8::10'];
    throw Object.assign(new Error(`${host}: name does not resolve (ENOTFOUND)`), { code: 'ENOTFOUND' });
  };
  const notes: string[] = [];
  const out = await expandAddresses(
    [
      listed('multi.test:8443', 'multi.test', 8443),
      listed('192.0.2.99:443', '192.0.2.99', 443),
      { endpoint: { target: 'multi.test:9443@192.0.2.11', host: 'multi.test', port: 9443, address: '192.0.2.11' }, resolveAll: true },
      listed('missing.test:443', 'missing.test', 443),
      { endpoint: { target: 'single.test:443', host: 'single.test', port: 443 }, resolveAll: false },
    ],
    resolver,
    (line) => notes.push(line),
  );
  t.same(out, [
    { target: 'multi.test:8443@192.0.2.10', host: 'multi.test', port: 8443, address: '192.0.2.10' },
    { target: 'multi.test:8443@[2001:db8::10]', host: 'multi.test', port: 8443, address: '2001:db8::10' },
    { target: '192.0.2.99:443', host: '192.0.2.99', port: 443 },
    { target: 'multi.test:9443@192.0.2.11', host: 'multi.test', port: 9443, address: '192.0.2.11' },
    { target: 'missing.test:443', host: 'missing.test', port: 443 },
    { target: 'single.test:443', host: 'single.test', port: 443 },
  ]);
  t.same(asked.sort(), ['missing.test', 'multi.test'], 'only names that ask for it are resolved');
  t.match(notes, [/missing\.test:443: .*ENOTFOUND/], 'a name that does not resolve stays one endpoint (scanned as an error), and is said');
});

t.test('the fleet is sharded before it is expanded, so a name and all its addresses share a shard', async (t) => {
  const resolver: Resolver = async (host) => [`192.0.2.${host.length}`, `198.51.100.${host.length}`];
  const deps = { resolver, env: {}, note: () => {} };
  const names = Array.from({ length: 12 }, (_, i) => `svc-${i}.example:443`);
  const shards = await Promise.all([0, 1, 2].map((index) => collectFleet(names, { allAddresses: true }, { index, count: 3 }, deps)));
  t.equal(shards.flat().length, 24, 'every address of every name, once');
  for (const name of names) {
    const holders = shards.filter((s) => s.some((e) => e.target.startsWith(`${name}@`)));
    t.equal(holders.length, 1, `${name}: both addresses in one shard`);
  }
  const all = await collectFleet([...names, 'svc-0.example:443@192.0.2.13'], { allAddresses: true }, undefined, deps);
  t.equal(all.length, 24, 'an explicitly pinned target equal to an expanded one is scanned once');
});

t.test('localhost at 127.0.0.1 and ::1: two endpoints, one server, SNI localhost on both', async (t) => {
  const server = await strictServer(t);
  // The fixture servers listen on 127.0.0.1 only; a relay on ::1 at the same port is the second address.
  const v6 = await startTcpProxy({ host: '::1', port: server.port, targetPort: server.port }).catch(() => null);
  if (v6 === null) {
    t.plan(0, `::1 port ${server.port} is taken; cannot give localhost a second address`);
    return;
  }
  t.teardown(() => v6.close());
  const endpoints = await expandAddresses([listed(`localhost:${server.port}`, 'localhost', server.port)], async () => ['127.0.0.1', '::1']);
  t.same(endpoints.map((e) => e.target), [`localhost:${server.port}@127.0.0.1`, `localhost:${server.port}@[::1]`]);
  const results = await Promise.all(endpoints.map((e) => scanEndpoint(e, { timeoutMs: 3000 })));
  for (const r of results) {
    t.equal(r.error, null, `${r.target} scanned`);
    t.equal(r.host, 'localhost');
    t.equal(r.sni, 'localhost', 'the SNI stays the name');
    t.same(r.protocols.filter((p) => p.offered === true).map((p) => p.protocol), ['TLSv1.2', 'TLSv1.3']);
  }
  t.same(results.map((r) => r.address), ['127.0.0.1', '::1'], 'each connected to its own address');
  t.ok(v6.connections() > 0 && v6.connections() === results[1]!.probes, `every probe of the ::1 endpoint went to ::1 (${v6.connections()})`);
});

t.test('the real resolver: localhost resolves through /etc/hosts to loopback only', async (t) => {
  const addresses = await resolveAll('localhost');
  t.ok(addresses.length > 0 && addresses.every((a) => a === '127.0.0.1' || a === '::1'), `localhost -> ${addresses.join(', ')}`);
  t.same(await resolveAll('::1'), ['::1'], 'an IP is its own only address');
});

t.test('fipscan scan --all-addresses localhost:port reports one endpoint per address of localhost', async (t) => {
  const server = await strictServer(t);
  const addresses = await resolveAll('localhost');
  const run = await runCli(['scan', '--all-addresses', '--format', 'json', `localhost:${server.port}`]);
  const report = JSON.parse(run.stdout) as Omit<Report, 'endpoints'> & { endpoints: (Report['endpoints'][number] & { address: string | null; sni: string | null })[] };
  t.same(reportErrors(report), [], 'a valid fipscan/v1 report');
  t.same(
    report.endpoints.map((e) => [e.target, e.host, e.address, e.sni]),
    addresses.map((a) => [`localhost:${server.port}@${a.includes(':') ? `[${a}]` : a}`, 'localhost', a, 'localhost']),
  );
  // ::1 is not in this machine's /etc/hosts; if it were, nothing listens there and that endpoint is an error.
  if (addresses.length === 1) t.equal(run.code, 0, 'the one address passes', { stderr: run.stderr });
});
