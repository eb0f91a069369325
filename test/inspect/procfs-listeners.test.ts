import net from 'node:net';
import t from 'tap';
import type { Subject } from '../../src/model/inspect.js';
import { discoverListeners, scanTarget } from '../../src/inspect/listeners.js';
import { decodeProcAddress, mappedFiles, parseEnviron, parseNetTcp } from '../../src/inspect/procfs.js';
import { combineWorkloads, workloadPids } from '../../src/inspect/workload.js';
import { fakeRoot } from './fakeRoot.js';

const TCP = `  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode
   0: 0100007F:1F90 00000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 5555 1 0000000000000000 100 0 0 10 0
   1: 00000000:01BB 00000000:0000 0A 00000000:00000000 00:00000000 00000000  1000        0 6666 1 0000000000000000 100 0 0 10 0
   2: 0100007F:1F90 0100007F:C350 01 00000000:00000000 00:00000000 00000000     0        0 7777 1 0000000000000000 20 4 30 10 -1
`;
const TCP6 = `  sl  local_address                         remote_address                        st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode
   0: 00000000000000000000000000000000:2382 00000000000000000000000000000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 8888 1 0000000000000000 100 0 0 10 0
   1: 0000000000000000FFFF00000100007F:2383 00000000000000000000000000000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 9999 1 0000000000000000 100 0 0 10 0
   2: 00000000000000000000000001000000:2384 00000000000000000000000000000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 1234 1 0000000000000000 100 0 0 10 0
   3: garbage line
`;

t.test('/proc/net/tcp and tcp6 lines decode to addresses, ports, states and inodes', async (t) => {
  t.same(parseNetTcp(TCP, 4).map((s) => [s.address, s.port, s.state, s.uid, s.inode]), [
    ['127.0.0.1', 8080, 0x0a, 0, 5555],
    ['0.0.0.0', 443, 0x0a, 1000, 6666],
    ['127.0.0.1', 8080, 0x01, 0, 7777],
  ]);
  t.same(parseNetTcp(TCP6, 6).map((s) => [s.address, s.port]), [['::', 9090], ['::ffff:127.0.0.1', 9091], ['::1', 9092]]);
  t.equal(decodeProcAddress('0100007F', true), '127.0.0.1');
  t.equal(decodeProcAddress('7F000001', false), '127.0.0.1', 'big-endian hosts print the word the other way');
  t.equal(decodeProcAddress('B80D0120000000000000000001000000', true), '2001:db8::1');
  t.equal(decodeProcAddress('xyz', true), null);
});

t.test('maps and environ', async (t) => {
  const maps = [
    '55d0-55d1 r--p 00000000 08:01 1 /usr/bin/envoy',
    '7f00-7f01 r-xp 00000000 08:01 2 /usr/lib/x86_64-linux-gnu/libcrypto.so.3',
    '7f01-7f02 r--p 00001000 08:01 2 /usr/lib/x86_64-linux-gnu/libcrypto.so.3',
    '7f02-7f03 r--p 00000000 08:01 3 /usr/lib/old/libssl.so.3 (deleted)',
    '7ffd-7ffe rw-p 00000000 00:00 0 [stack]',
    '7ffe-7fff rw-p 00000000 00:00 0',
  ].join('\n');
  t.same(mappedFiles(maps), ['/usr/bin/envoy', '/usr/lib/x86_64-linux-gnu/libcrypto.so.3', '/usr/lib/old/libssl.so.3']);
  t.same(parseEnviron('A=1\0OPENSSL_CONF=/etc/x.cnf\0A=2\0junk\0=x\0EMPTY=\0'), { A: '1', OPENSSL_CONF: '/etc/x.cnf', EMPTY: '' });
});

t.test('listeners in a fake root are mapped to their processes through /proc/<pid>/fd', async (t) => {
  const r = fakeRoot(t, 'empty');
  r.write('/proc/net/tcp', TCP);
  r.write('/proc/net/tcp6', TCP6);
  r.symlink('/proc/100/fd/3', 'socket:[5555]');
  r.symlink('/proc/100/fd/4', 'socket:[8888]');
  r.symlink('/proc/100/fd/5', '/dev/null');
  r.symlink('/proc/200/fd/7', 'socket:[6666]');
  r.symlink('/proc/201/fd/7', 'socket:[6666]');
  r.write('/proc/self/status', 'not a pid directory');
  const listeners = discoverListeners(r.root);
  t.same(listeners.map((l) => [scanTarget(l), l.pids]), [
    ['0.0.0.0:443'.replace('0.0.0.0', '127.0.0.1'), [200, 201]],
    ['127.0.0.1:8080', [100]],
    ['[::1]:9090', [100]],
    ['127.0.0.1:9091', []],
    ['[::1]:9092', []],
  ]);
  t.same(workloadPids(listeners), [200, 100]);
  const processes = new Map<number, Subject>([
    [100, { kind: 'process', name: 'pid 100', path: '/x', pid: 100, facts: [], error: null, checks: [{ id: 'go.crypto', subject: '/x', status: 'ok', evidence: [], message: '' }] }],
    [200, { kind: 'process', name: 'pid 200', path: '/y', pid: 200, facts: [], error: null, checks: [{ id: 'go.crypto', subject: '/y', status: 'fail', evidence: [], message: '' }] }],
  ]);
  const outcomes = new Map([
    ['127.0.0.1:8080', { verdict: 'pass', note: null }],
    ['[::1]:9090', { verdict: 'not-tls', note: 'HTTP' }],
    ['127.0.0.1:443', { verdict: 'pass', note: null }],
    ['127.0.0.1:9091', { verdict: 'pass', note: null }],
  ] as const);
  const workloads = combineWorkloads(listeners, outcomes, processes);
  t.same(workloads.map((w) => [w.pid, w.endpoints.map((e) => `${e.target}=${e.verdict}`), w.verdict]), [
    [200, ['127.0.0.1:443=pass'], 'fail'],
    [100, ['127.0.0.1:8080=pass', '[::1]:9090=not-tls'], 'pass'],
    [null, ['127.0.0.1:9091=pass', '[::1]:9092=error'], 'error'],
  ]);
  t.match(workloads[2]?.error, /not visible from here.*uid 0/, 'sockets without a visible owner say why, with the owner uid');
  t.equal(workloads[1]?.error, null, 'a fully judged workload has no error');
  const onlyHttp = combineWorkloads(listeners.slice(1, 3), new Map([['127.0.0.1:8080', { verdict: 'not-tls', note: 'HTTP' }], ['[::1]:9090', { verdict: 'not-tls', note: 'SSH' }]] as const), processes);
  t.same(onlyHttp.map((w) => [w.pid, w.verdict]), [[100, 'n/a']], 'a workload with no TLS port is n/a, whatever its process');
});

t.test('a real listening socket of this process is found, with this pid', async (t) => {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  t.teardown(() => new Promise<void>((resolve) => server.close(() => resolve())));
  const { port } = server.address() as net.AddressInfo;
  const mine = discoverListeners().find((l) => l.port === port && l.address === '127.0.0.1');
  t.ok(mine, `127.0.0.1:${port} listed`);
  t.ok(mine?.pids.includes(process.pid), 'owned by this process');
  t.equal(mine && scanTarget(mine), `127.0.0.1:${port}`);
});
