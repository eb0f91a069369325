/**
 * Target strings as users write them: `host`, `host:port`, `[ipv6]:port`, a bare IPv6 address,
 * or a URL (`https://host:port/path`, the implicit-TLS schemes with their ports, and
 * `ssh://host[:port]` for an SSH server, port 22 by default; a user name in a URL is ignored,
 * nothing logs in; another scheme is an error). The default port is 443. A non-URL target may pin the
 * address to connect to, `name:port@address` (address an IP, IPv6 bracketed or not): the name
 * stays the SNI and the report's host, the address is not looked up. That is how one name with
 * several addresses becomes several endpoints (`--all-addresses`, Kubernetes endpoint slices).
 * Bad input is a TargetError with a one-line message naming the target.
 */
import { isIP } from 'node:net';
import type { Endpoint } from './scan.js';

export class TargetError extends Error {
  readonly code = 'EBADTARGET';
  constructor(message: string) {
    super(message);
    this.name = 'TargetError';
  }
}

const DEFAULT_PORT = 443;

/**
 * URL schemes a target may use, with their IANA default ports: `ssh` is scanned as SSH, the rest
 * speak TLS from the first byte (RFC 8314 for submissions and the mail protocols, RFC 4513 for
 * ldaps, RFC 4217 for ftps).
 */
const SCHEMES: Readonly<Record<string, { port: number; service: 'tls' | 'ssh' }>> = {
  'https:': { port: 443, service: 'tls' },
  'ssh:': { port: 22, service: 'ssh' },
  'ldaps:': { port: 636, service: 'tls' },
  'imaps:': { port: 993, service: 'tls' },
  'pop3s:': { port: 995, service: 'tls' },
  'smtps:': { port: 465, service: 'tls' },
  'ftps:': { port: 990, service: 'tls' },
};
const HOSTNAME = /^(?=.{1,253}$)([a-zA-Z0-9_]([a-zA-Z0-9_-]{0,61}[a-zA-Z0-9_])?)(\.[a-zA-Z0-9_]([a-zA-Z0-9_-]{0,61}[a-zA-Z0-9_])?)*\.?$/;

function port(text: string, target: string): number {
  if (!/^\d{1,5}$/.test(text)) throw new TargetError(`${target}: port '${text}' is not a number`);
  const n = Number(text);
  if (n < 1 || n > 65535) throw new TargetError(`${target}: port ${n} is out of range 1-65535`);
  return n;
}

/**
 * Node's IPv6 pattern costs milliseconds to compile on its first use, a tenth of a one-endpoint
 * scan's CPU: it is only asked about strings that could be IPv6 literals (two colons or more).
 */
function isIPv6Literal(text: string): boolean {
  return text.indexOf(':') !== text.lastIndexOf(':') && isIP(text) === 6;
}

function checkHost(host: string, target: string): string {
  if (HOSTNAME.test(host) || isIP(host)) return host;
  throw new TargetError(`${target}: '${host}' is not a host name or IP address`);
}

/** `host:port@address`, the target of `host:port` pinned to one of its addresses (IPv6 bracketed). */
export function pinnedTarget(host: string, port: number, address: string): string {
  const bracket = (ip: string): string => (isIP(ip) === 6 ? `[${ip}]` : ip);
  return `${bracket(host)}:${port}@${bracket(address)}`;
}

/** Parses one target string. */
export function parseTarget(input: string): Endpoint {
  const target = input.trim();
  if (target.length === 0) throw new TargetError('empty target');
  const isUrl = /^[a-z][a-z0-9+.-]*:\/\//i.test(target);
  const at = target.lastIndexOf('@');
  if (!isUrl && at !== -1) {
    const address = target.slice(at + 1).replace(/^\[(.*)\]$/, '$1');
    if (!isIP(address)) throw new TargetError(`${target}: '${target.slice(at + 1)}' after @ is not an IP address (name:port@address pins the address to connect to)`);
    const named = parseTarget(target.slice(0, at));
    if (named.address !== undefined) throw new TargetError(`${target}: more than one pinned address`);
    return { target, host: named.host, port: named.port, address };
  }
  if (isUrl) {
    let url: URL;
    try {
      url = new URL(target);
    } catch {
      throw new TargetError(`${target}: not a valid URL`);
    }
    const scheme = SCHEMES[url.protocol];
    if (!scheme) throw new TargetError(`${target}: unknown scheme '${url.protocol.slice(0, -1)}' (use host:port, or one of ${Object.keys(SCHEMES).map((s) => s.slice(0, -1)).join(', ')})`);
    const host = url.hostname.replace(/^\[(.*)\]$/, '$1');
    const endpoint: Endpoint = { target, host: checkHost(host, target), port: url.port ? port(url.port, target) : scheme.port };
    return scheme.service === 'ssh' ? { ...endpoint, service: 'ssh' } : endpoint;
  }
  const bracketed = /^\[([^\]]+)\](?::(.*))?$/.exec(target);
  if (bracketed) {
    const host = bracketed[1]!;
    if (isIP(host) !== 6) throw new TargetError(`${target}: '${host}' is not an IPv6 address`);
    return { target, host, port: bracketed[2] !== undefined ? port(bracketed[2], target) : DEFAULT_PORT };
  }
  if (isIPv6Literal(target)) return { target, host: target, port: DEFAULT_PORT };
  const colon = target.lastIndexOf(':');
  if (colon === -1) return { target, host: checkHost(target, target), port: DEFAULT_PORT };
  return { target, host: checkHost(target.slice(0, colon), target), port: port(target.slice(colon + 1), target) };
}
