/**
 * Parsers for the /proc files fipscan reads (proc(5)): a process's memory maps (which shared
 * objects it has loaded, e.g. libcrypto.so.3 and ossl-modules/fips.so), its environment and
 * command line (NUL-separated), and the kernel's TCP socket tables /proc/net/tcp and tcp6
 * (listening sockets and their inodes). Pure: text in, records out; malformed lines are skipped.
 */

export interface MapsEntry {
  start: string;
  end: string;
  perms: string;
  inode: number;
  path: string;
}

/** Lines of /proc/<pid>/maps that map a file (pseudo entries like [heap] and anonymous maps are left out). */
function parseMaps(text: string): MapsEntry[] {
  const out: MapsEntry[] = [];
  for (const line of text.split('\n')) {
    const m = /^([0-9a-f]+)-([0-9a-f]+)\s+(\S+)\s+\S+\s+\S+\s+(\d+)\s+(\/.*)$/.exec(line);
    if (!m) continue;
    out.push({ start: m[1]!, end: m[2]!, perms: m[3]!, inode: Number(m[4]), path: m[5]!.replace(/ \(deleted\)$/, '') });
  }
  return out;
}

/** The distinct file paths a process has mapped, in first-seen order. */
export function mappedFiles(text: string): string[] {
  return [...new Set(parseMaps(text).map((e) => e.path))];
}

/** NUL-separated strings (cmdline, environ). */
export function splitNul(text: string): string[] {
  return text.split('\0').filter((s) => s !== '');
}

/** /proc/<pid>/environ as a record; the first definition of a name wins, as getenv() does. */
export function parseEnviron(text: string): Record<string, string> {
  const env: Record<string, string> = {};
  for (const entry of splitNul(text)) {
    const eq = entry.indexOf('=');
    if (eq <= 0) continue;
    const name = entry.slice(0, eq);
    if (!(name in env)) env[name] = entry.slice(eq + 1);
  }
  return env;
}

export interface TcpSocket {
  family: 4 | 6;
  address: string;
  port: number;
  /** Kernel socket state; 0x0a is LISTEN. */
  state: number;
  uid: number;
  inode: number;
}

export const TCP_LISTEN = 0x0a;

/** A 32-bit word of /proc/net/tcp, printed in host byte order, as its four address bytes. */
function wordBytes(hex: string, littleEndian: boolean): number[] {
  const v = parseInt(hex, 16);
  const bytes = [(v >>> 24) & 0xff, (v >>> 16) & 0xff, (v >>> 8) & 0xff, v & 0xff];
  return littleEndian ? bytes.reverse() : bytes;
}

/** `7F000001` (little-endian host) -> `127.0.0.1`; 32 hex digits -> a compressed IPv6 address. */
export function decodeProcAddress(hex: string, littleEndian: boolean): string | null {
  if (hex.length === 8) return wordBytes(hex, littleEndian).join('.');
  if (hex.length !== 32) return null;
  const bytes = [0, 8, 16, 24].flatMap((i) => wordBytes(hex.slice(i, i + 8), littleEndian));
  // ::ffff:a.b.c.d stays in its dotted form, as the kernel and `ss` show it.
  if (bytes.slice(0, 10).every((b) => b === 0) && bytes[10] === 0xff && bytes[11] === 0xff) return `::ffff:${bytes.slice(12).join('.')}`;
  const groups = [0, 2, 4, 6, 8, 10, 12, 14].map((i) => ((bytes[i]! << 8) | bytes[i + 1]!).toString(16));
  let best = { at: -1, length: 0 };
  for (let i = 0; i < 8; ) {
    if (groups[i] !== '0') {
      i++;
      continue;
    }
    let j = i;
    while (j < 8 && groups[j] === '0') j++;
    if (j - i > best.length && j - i > 1) best = { at: i, length: j - i };
    i = j;
  }
  if (best.at < 0) return groups.join(':');
  return `${groups.slice(0, best.at).join(':')}::${groups.slice(best.at + best.length).join(':')}`;
}

/** The sockets of /proc/net/tcp (family 4) or tcp6 (family 6). */
export function parseNetTcp(text: string, family: 4 | 6, littleEndian = true): TcpSocket[] {
  const out: TcpSocket[] = [];
  for (const line of text.split('\n').slice(1)) {
    const fields = line.trim().split(/\s+/);
    if (fields.length < 10) continue;
    const local = /^([0-9A-Fa-f]+):([0-9A-Fa-f]{4})$/.exec(fields[1]!);
    if (!local) continue;
    const address = decodeProcAddress(local[1]!, littleEndian);
    const inode = Number(fields[9]);
    if (address === null || !Number.isSafeInteger(inode)) continue;
    out.push({ family, address, port: parseInt(local[2]!, 16), state: parseInt(fields[3]!, 16), uid: Number(fields[7]), inode });
  }
  return out;
}
