/**
 * The pod's own listening TCP ports and the processes behind them, for `scan --inspect-local`:
 * LISTEN sockets from /proc/net/tcp and /proc/net/tcp6 (the network namespace fipscan runs
 * in, which inside a pod is the pod's), then each socket inode mapped to the processes holding
 * it through the `socket:[inode]` links in /proc/<pid>/fd. Bounded: at most MAX_PROCESSES
 * processes and MAX_FDS descriptors each are looked at. Processes fipscan may not look into
 * (another user's, without CAP_SYS_PTRACE) are skipped, and their sockets have no pid.
 */
import { endianness } from 'node:os';
import { readdirSync, readlinkSync } from 'node:fs';
import { join } from 'node:path';
import { parseNetTcp, TCP_LISTEN, type TcpSocket } from './procfs.js';
import { readText } from './rootFiles.js';

const MAX_PROCESSES = 65536;
const MAX_FDS = 65536;

export interface Listener {
  family: 4 | 6;
  /** The bound address: `0.0.0.0`, `::`, `127.0.0.1`, ... */
  address: string;
  port: number;
  inode: number;
  uid: number;
  /** Processes holding the socket (several after a fork); empty when none could be seen. */
  pids: number[];
}

/** Listening TCP sockets under `root` (default `/`), each with its owning processes. */
export function discoverListeners(root = '/'): Listener[] {
  const littleEndian = endianness() === 'LE';
  const sockets: TcpSocket[] = [
    ...parseNetTcp(readText(join(root, 'proc/net/tcp')) ?? '', 4, littleEndian),
    ...parseNetTcp(readText(join(root, 'proc/net/tcp6')) ?? '', 6, littleEndian),
  ].filter((s) => s.state === TCP_LISTEN && s.inode !== 0);
  const byInode = new Map<number, Listener>();
  for (const s of sockets) if (!byInode.has(s.inode)) byInode.set(s.inode, { family: s.family, address: s.address, port: s.port, inode: s.inode, uid: s.uid, pids: [] });
  if (byInode.size === 0) return [];
  for (const pid of processIds(root)) {
    let fds: string[];
    try {
      fds = readdirSync(join(root, 'proc', String(pid), 'fd')).slice(0, MAX_FDS);
    } catch {
      continue;
    }
    for (const fd of fds) {
      let link: string;
      try {
        link = readlinkSync(join(root, 'proc', String(pid), 'fd', fd));
      } catch {
        continue;
      }
      const m = /^socket:\[(\d+)\]$/.exec(link);
      const listener = m ? byInode.get(Number(m[1])) : undefined;
      if (listener && !listener.pids.includes(pid)) listener.pids.push(pid);
    }
  }
  return [...byInode.values()].sort((a, b) => a.port - b.port || a.family - b.family);
}

function processIds(root: string): number[] {
  try {
    return readdirSync(join(root, 'proc'))
      .filter((name) => /^\d+$/.test(name))
      .map(Number)
      .sort((a, b) => a - b)
      .slice(0, MAX_PROCESSES);
  } catch {
    return [];
  }
}

/**
 * The address to scan a listener at: wildcard binds on the matching loopback address, a
 * v4-mapped address as plain IPv4, IPv6 in brackets. Always `host:port` for `parseTarget`.
 */
export function scanTarget(listener: Pick<Listener, 'family' | 'address' | 'port'>): string {
  const { address, port } = listener;
  if (address === '0.0.0.0') return `127.0.0.1:${port}`;
  if (address === '::') return `[::1]:${port}`;
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/.exec(address);
  if (mapped) return `${mapped[1]}:${port}`;
  return listener.family === 6 ? `[${address}]:${port}` : `${address}:${port}`;
}
