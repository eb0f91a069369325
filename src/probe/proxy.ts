/**
 * HTTP CONNECT (RFC 9110 §9.3.6) through a forward proxy: every probe asks the proxy for a
 * tunnel to the target and then speaks TLS through it. The proxy resolves the target's name,
 * as it would for any client in its network (a cluster's egress or debugging proxy).
 */
import { PreambleError, quoted, type Conversation, type Preamble } from './preamble.js';

/** A proxy as `--proxy http://host:port` gives it. */
export interface ProxyAddress {
  host: string;
  port: number;
}

/** Header lines of a CONNECT answer we read at most. */
const MAX_HEADER_LINES = 100;

/** Parses `http://host:port` (or `host:port`); IPv6 hosts in brackets. Throws a RangeError naming what is wrong. */
export function parseProxy(text: string): ProxyAddress {
  const withScheme = /^[a-z][a-z0-9+.-]*:\/\//i.test(text) ? text : `http://${text}`;
  let url: URL;
  try {
    url = new URL(withScheme);
  } catch {
    throw new RangeError(`'${text}' is not a proxy URL (http://host:port)`);
  }
  if (url.protocol !== 'http:') throw new RangeError(`'${text}': only http:// proxies (HTTP CONNECT) are supported`);
  if (url.username || url.password) throw new RangeError(`'${text}': proxy credentials are not supported`);
  if ((url.pathname !== '/' && url.pathname !== '') || url.search || url.hash) throw new RangeError(`'${text}': a proxy URL has no path`);
  const host = url.hostname.replace(/^\[(.*)\]$/, '$1');
  if (!host) throw new RangeError(`'${text}': no proxy host`);
  return { host, port: url.port ? Number(url.port) : 80 };
}

function authority(host: string, port: number): string {
  return `${host.includes(':') ? `[${host}]` : host}:${port}`;
}

/** The CONNECT dialogue to `host:port`: a 2xx status line and its headers, then the tunnel. */
export async function httpConnect(c: Conversation, host: string, port: number): Promise<void> {
  const target = authority(host, port);
  c.write(`CONNECT ${target} HTTP/1.1\r\nHost: ${target}\r\nUser-Agent: fipscan\r\n\r\n`);
  const status = await c.readLine();
  const m = /^HTTP\/1\.[01] (\d{3})(?: (.*))?$/.exec(status);
  if (!m) throw new PreambleError(`expected an HTTP status line, got ${quoted(status)}`);
  for (let i = 0; ; i++) {
    if (i > MAX_HEADER_LINES) throw new PreambleError(`over ${MAX_HEADER_LINES} header lines in the CONNECT answer`);
    if ((await c.readLine()) === '') break;
  }
  const code = Number(m[1]);
  if (code < 200 || code > 299) throw new PreambleError(`the proxy refused the tunnel: ${code}${m[2] ? ` ${quoted(m[2])}` : ''}`);
}

/** The preamble step that opens a tunnel to `host:port` through the proxy the connection goes to. */
export function proxyPreamble(host: string, port: number): Preamble {
  return { kind: 'PROXY', name: `HTTP CONNECT to ${authority(host, port)} via proxy`, run: (c) => httpConnect(c, host, port) };
}
