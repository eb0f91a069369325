/**
 * Headless Chromium (Debian's `chromium` package) for the HTML report's browser tests. Every run
 * gets a fresh profile directory and the flags that quiet Chromium's own background traffic.
 *
 * `loadPage` drives one page over the DevTools protocol (--remote-debugging-pipe): the DOM
 * after the page ran, with JavaScript on or off (--blink-settings=scriptEnabled=false; Chromium's
 * --dump-dom prints nothing then, which is why the protocol is needed), and every request the
 * page itself attempted, as the Network domain reports them for its tab, including those a CSP
 * blocked before they left. Chromium's own service traffic (component updates, sign-in) belongs
 * to no tab and is not counted there.
 *
 * The network path is closed as well: with a `RequestRecorder` as the browser's only proxy
 * (`--proxy-server`, `<-loopback>` so that 127.0.0.1 goes through it too) and name resolution
 * off (`--host-resolver-rules`), every request of any kind ends at the recorder, which serves the
 * page itself and records every request line; nothing leaves the machine. The recorder also sees
 * Chromium's own traffic (update checks, sign-in, a preconnect to the default search engine,
 * which the flags below do not all stop), so what it says of a page is what reached the page's
 * own server; what the page asked for elsewhere is loadPage's list.
 */
import { execFile, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import net from 'node:net';
import type { Readable, Writable } from 'node:stream';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const BINARY = 'chromium';

/** Why Chromium cannot run here (a tap skip reason), or undefined when it can. */
export function chromiumUnavailable(): Promise<string | undefined> {
  return new Promise((resolve) => {
    execFile(BINARY, ['--version'], { timeout: 10_000 }, (err) => resolve(err ? `no usable ${BINARY} (Debian package chromium): ${err.message}` : undefined));
  });
}

export interface RequestRecorder {
  /** The URL the page is served at: http://127.0.0.1:port/report.html. */
  pageUrl: string;
  proxy: string;
  /** Request lines seen since the last reset (`GET http://127.0.0.1:1234/report.html HTTP/1.1`, `CONNECT evil.example:443 HTTP/1.1`). */
  requests(): string[];
  /** TCP connections accepted since the last reset. */
  connections(): number;
  reset(): void;
  /** Serve this page from now on. */
  setPage(html: string): void;
  close(): Promise<void>;
}

/** A proxy and page server in one, recording every request made to it. */
export async function startRequestRecorder(): Promise<RequestRecorder> {
  let page = '';
  let requests: string[] = [];
  let connections = 0;
  const sockets = new Set<net.Socket>();
  const server = net.createServer((socket) => {
    connections++;
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => {});
    let head = '';
    socket.setEncoding('latin1');
    socket.on('data', (chunk: string) => {
      if (head.includes('\r\n\r\n')) return;
      head += chunk;
      if (!head.includes('\r\n\r\n')) return;
      const line = head.slice(0, head.indexOf('\r\n'));
      requests.push(line);
      const isPage = /^GET \S+\/report\.html HTTP\/1\.[01]$/.test(line);
      const body = Buffer.from(isPage ? page : 'not here\n', 'utf8');
      const status = isPage ? '200 OK' : line.startsWith('CONNECT ') ? '403 Forbidden' : '404 Not Found';
      socket.end(`HTTP/1.1 ${status}\r\nContent-Type: text/html; charset=utf-8\r\nContent-Length: ${body.length}\r\nConnection: close\r\n\r\n${body.toString('latin1')}`, 'latin1');
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', resolve);
  });
  const { port } = server.address() as net.AddressInfo;
  return {
    pageUrl: `http://127.0.0.1:${port}/report.html`,
    proxy: `http://127.0.0.1:${port}`,
    requests: () => [...requests],
    connections: () => connections,
    reset: () => {
      requests = [];
      connections = 0;
    },
    setPage: (html) => (page = html),
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        for (const s of sockets) s.destroy();
      }),
  };
}

export interface BrowserOptions {
  /** Every request through this recorder; without it Chromium gets no proxy. */
  recorder?: RequestRecorder;
  javascript?: boolean;
  /** Kill Chromium after this long. Default 15 s. */
  timeoutMs?: number;
}

function flags(o: BrowserOptions, profile: string): string[] {
  return [
    '--headless',
    '--no-sandbox',
    '--disable-gpu',
    '--disable-quic',
    '--no-first-run',
    '--disable-background-networking',
    '--disable-component-update',
    '--disable-sync',
    '--disable-features=NetworkTimeServiceQuerying',
    `--user-data-dir=${profile}`,
    ...(o.recorder ? [`--proxy-server=${o.recorder.proxy}`, '--proxy-bypass-list=<-loopback>', '--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1'] : []),
    ...(o.javascript === false ? ['--blink-settings=scriptEnabled=false'] : []),
  ];
}

/** A PNG screenshot of `url` in a window `width` x `height` CSS pixels (Chromium's --screenshot). */
export function screenshot(url: string, file: string, width: number, height: number, o: BrowserOptions = {}): Promise<void> {
  const profile = mkdtempSync(join(tmpdir(), 'fipscan-chromium-'));
  const args = [...flags(o, profile), `--screenshot=${file}`, `--window-size=${width},${height}`, url];
  return new Promise<void>((resolve, reject) => {
    execFile(BINARY, args, { timeout: o.timeoutMs ?? 15_000 }, (err, _stdout, stderr) => {
      rmSync(profile, { recursive: true, force: true });
      if (err) reject(new Error(`chromium --screenshot failed: ${err.message}\n${stderr.slice(-2000)}`));
      else resolve();
    });
  });
}

export interface LoadedPage {
  /** The serialized DOM after the load event (and a short settle for late requests). */
  dom: string;
  /** The values of the `evaluate` steps, in order (run after the DOM was read). */
  evaluated: unknown[];
  /** URLs the page's tab requested or tried to, the document first; `(blocked: csp)` appended when blocked. */
  requests: string[];
}

interface CdpMessage {
  id?: number;
  method?: string;
  sessionId?: string;
  params?: Record<string, any>;
  result?: Record<string, any>;
  error?: { message: string };
}

/** A DevTools protocol connection over Chromium's pipe (fd 3 in, fd 4 out, messages ended by NUL). */
class Cdp {
  private nextId = 0;
  private buffer = '';
  private readonly pending = new Map<number, { resolve: (m: CdpMessage) => void; reject: (e: Error) => void }>();
  readonly events: CdpMessage[] = [];
  private readonly listeners = new Set<(m: CdpMessage) => void>();

  constructor(private readonly input: Writable, output: Readable) {
    output.setEncoding('utf8');
    output.on('data', (chunk: string) => {
      this.buffer += chunk;
      for (let end = this.buffer.indexOf('\0'); end >= 0; end = this.buffer.indexOf('\0')) {
        const message = JSON.parse(this.buffer.slice(0, end)) as CdpMessage;
        this.buffer = this.buffer.slice(end + 1);
        const waiter = message.id === undefined ? undefined : this.pending.get(message.id);
        if (waiter) {
          this.pending.delete(message.id!);
          if (message.error) waiter.reject(new Error(`CDP: ${message.error.message}`));
          else waiter.resolve(message);
        } else {
          this.events.push(message);
          for (const l of this.listeners) l(message);
        }
      }
    });
  }

  send(method: string, params: Record<string, unknown> = {}, sessionId?: string): Promise<Record<string, any>> {
    const id = ++this.nextId;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve: (m) => resolve(m.result ?? {}), reject });
      this.input.write(`${JSON.stringify({ id, method, params, ...(sessionId ? { sessionId } : {}) })}\0`);
    });
  }

  /** Resolves at the first event `method` of `sessionId` (also one already received). */
  once(method: string, sessionId: string): Promise<void> {
    return new Promise((resolve) => {
      const seen = (m: CdpMessage) => m.method === method && m.sessionId === sessionId;
      if (this.events.some(seen)) return resolve();
      const listener = (m: CdpMessage): void => {
        if (!seen(m)) return;
        this.listeners.delete(listener);
        resolve();
      };
      this.listeners.add(listener);
    });
  }
}

/** Time after the load event in which a late request (a timer, an onload handler) would still be seen. */
const SETTLE_MS = 300;

/** An expression to run in the page as DevTools runs it, under the CSS media given (screen by default). */
export interface EvaluateStep {
  media?: 'print' | 'screen';
  expression: string;
}

/**
 * Loads `url` in a new tab; resolves to its DOM and the requests the tab made. The `evaluate`
 * steps then run in the page (say, to click the page's controls, or to measure it as printed).
 */
export async function loadPage(url: string, o: BrowserOptions & { evaluate?: readonly EvaluateStep[] } = {}): Promise<LoadedPage> {
  const profile = mkdtempSync(join(tmpdir(), 'fipscan-chromium-'));
  const child = spawn(BINARY, [...flags(o, profile), '--remote-debugging-pipe'], { stdio: ['ignore', 'ignore', 'pipe', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr!.setEncoding('utf8').on('data', (chunk: string) => (stderr = (stderr + chunk).slice(-4000)));
  const exited = new Promise<void>((resolve) => child.once('close', () => resolve()));
  const killer = setTimeout(() => child.kill('SIGKILL'), o.timeoutMs ?? 15_000);
  try {
    const cdp = new Cdp(child.stdio[3] as Writable, child.stdio[4] as Readable);
    const failed = new Promise<never>((_, reject) => child.once('close', (code) => reject(new Error(`chromium exited (${code}) before the page was read\n${stderr}`))));
    failed.catch(() => {}); // after a success the close is expected
    const steps = async (): Promise<LoadedPage> => {
      const { targetId } = await cdp.send('Target.createTarget', { url: 'about:blank' });
      const { sessionId } = await cdp.send('Target.attachToTarget', { targetId, flatten: true });
      await cdp.send('Network.enable', {}, sessionId);
      await cdp.send('Page.enable', {}, sessionId);
      const loaded = cdp.once('Page.loadEventFired', sessionId);
      await cdp.send('Page.navigate', { url }, sessionId);
      await loaded;
      await new Promise((resolve) => setTimeout(resolve, SETTLE_MS));
      const { root } = await cdp.send('DOM.getDocument', { depth: -1 }, sessionId);
      const { outerHTML } = await cdp.send('DOM.getOuterHTML', { nodeId: root.nodeId }, sessionId);
      const blocked = new Map(cdp.events.filter((e) => e.sessionId === sessionId && e.method === 'Network.loadingFailed').map((e) => [e.params!.requestId, e.params!.blockedReason]));
      const requests = cdp.events
        .filter((e) => e.sessionId === sessionId && (e.method === 'Network.requestWillBeSent' || e.method === 'Network.webSocketCreated'))
        .map((e) => `${e.params!.request?.url ?? e.params!.url}${blocked.get(e.params!.requestId) ? ` (blocked: ${blocked.get(e.params!.requestId)})` : ''}`);
      const evaluated: unknown[] = [];
      for (const step of o.evaluate ?? []) {
        await cdp.send('Emulation.setEmulatedMedia', { media: step.media ?? 'screen' }, sessionId);
        evaluated.push((await cdp.send('Runtime.evaluate', { expression: step.expression, returnByValue: true }, sessionId)).result?.value);
      }
      await cdp.send('Browser.close').catch(() => {});
      return { dom: outerHTML as string, requests, evaluated };
    };
    return await Promise.race([steps(), failed]);
  } finally {
    clearTimeout(killer);
    if (child.exitCode === null) child.kill('SIGKILL');
    await exited;
    rmSync(profile, { recursive: true, force: true });
  }
}
