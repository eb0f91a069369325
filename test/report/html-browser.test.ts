/**
 * The HTML report in a real browser. A TLS server on 127.0.0.1 presents a certificate made at
 * test time whose subject and SANs are markup (`<script>`, `<img onerror>`, `"><svg onload>`,
 * each setting the page title to a number if it ran); the CLI scans it to an HTML file, which
 * headless Chromium loads with JavaScript on and off (test/helpers/chromium.ts).
 *
 * No request may leave the page: the DevTools Network domain lists every request the page's tab
 * made or tried (a CSP-blocked one included), and it must be the document alone; and the page is
 * served by a recorder that is also the browser's only proxy, whose server must see the page
 * requested once and nothing else (a relative URL would come to it). A control page with images
 * on other hosts and a relative one shows both instruments see such requests.
 *
 * Then: the verdict is in the DOM, the payloads are text and none is an element, the title is
 * untouched, the page's own script runs only with JavaScript on (so the CSP lets it through) and
 * its filter, unfold and sort controls work; as printed, the folded evidence shows and every
 * endpoint starts a page; a screenshot 1280 CSS pixels wide is not blank. A page of SSH
 * endpoints requests nothing either, and prints its folded KEXINIT.
 * FIPSCAN_SCREENSHOTS=<dir> keeps it, one 400 pixels wide and the page, for a look.
 */
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import tls from 'node:tls';
import t, { type Test } from 'tap';
import { chromiumUnavailable, loadPage, screenshot, startRequestRecorder, type RequestRecorder } from '../helpers/chromium.js';
import { runCli } from '../helpers/cli.js';
import { HOSTILE_SANS, HOSTILE_SUBJECT, makeHostileCertificate } from '../helpers/hostileCert.js';
import { decodePng, distinctColours } from '../helpers/png.js';
import { renderHtml } from '../../src/report/html.js';
import { toJsonDocument } from '../../src/report/json.js';
import { sshGoldenRun } from './sshFactories.js';

const skip = process.env.CI ? false : ((await chromiumUnavailable()) ?? false);

/** Text as the DOM serializes a text node: `&`, `<`, `>` (and no-break space) escaped, quotes kept. */
function serializedText(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/** A Node TLS server configured like the fips-strict ECDSA shape, presenting `chain`. */
async function startServer(chain: string, key: string): Promise<{ port: number; close(): Promise<void> }> {
  const sockets = new Set<net.Socket>();
  const server = tls.createServer(
    {
      cert: chain,
      key,
      minVersion: 'TLSv1.2',
      maxVersion: 'TLSv1.3',
      ciphers: 'TLS_AES_256_GCM_SHA384:TLS_AES_128_GCM_SHA256:ECDHE-ECDSA-AES256-GCM-SHA384:ECDHE-ECDSA-AES128-GCM-SHA256',
      ecdhCurve: 'P-256',
      honorCipherOrder: true,
    },
    (socket) => {
      socket.on('error', () => {});
      socket.on('data', () => {});
      socket.on('end', () => socket.end());
    },
  );
  server.on('connection', (raw: net.Socket) => {
    sockets.add(raw);
    raw.on('close', () => sockets.delete(raw));
  });
  server.on('tlsClientError', () => {});
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: (server.address() as net.AddressInfo).port,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        for (const s of sockets) s.destroy();
      }),
  };
}

interface Fixture {
  dir: string;
  page: string;
  title: string;
  recorder: RequestRecorder;
}

let fixture: Promise<Fixture> | undefined;

/** Once for the file: the certificate, the server, the scan to HTML, the recorder serving the page. */
function setUp(): Promise<Fixture> {
  fixture ??= (async () => {
    const dir = mkdtempSync(join(tmpdir(), 'fipscan-browser-'));
    t.teardown(() => rmSync(dir, { recursive: true, force: true }));
    const { chain, key } = await makeHostileCertificate(dir);
    const server = await startServer(chain, key);
    t.teardown(() => server.close());
    const out = join(dir, 'report.html');
    const scan = await runCli(['scan', '--format', 'html', '-o', out, '-q', `127.0.0.1:${server.port}`]);
    if (scan.code !== 0) throw new Error(`the scan exited ${scan.code}: ${scan.stderr}`);
    const page = readFileSync(out, 'utf8');
    const recorder = await startRequestRecorder();
    t.teardown(() => recorder.close());
    recorder.setPage(page);
    return { dir, page, title: /<title>([^<]*)<\/title>/.exec(page)![1]!, recorder };
  })();
  return fixture;
}

/** What must hold of the DOM whether scripts ran or not. */
function checkDom(t: Test, dom: string, f: Fixture): void {
  t.equal(/<title>([^<]*)<\/title>/.exec(dom)?.[1], f.title, 'the title is the page\'s own: no payload ran');
  t.notMatch(dom, /<title>10\d\d<\/title>/);
  t.match(dom, /<section class="endpoint pass" id="ep-1" data-verdict="pass"/, 'the endpoint\'s section, judged pass');
  t.match(dom, /<span aria-hidden="true">✓<\/span> PASS<\/span>/, 'the verdict is in the DOM as text');
  t.match(dom, /The endpoint passes fips-strict/);
  // Node quotes a SAN with a `"` in it (DNS:"\"><svg ...>"): the markup part is what must show.
  for (const san of HOSTILE_SANS) t.ok(dom.includes(serializedText(san.slice(san.indexOf('<')))), `the SAN ${san} is shown as text`);
  for (const value of Object.values(HOSTILE_SUBJECT)) {
    const payload = /document\.title=\d+/.exec(value)![0];
    t.ok(dom.includes(payload), `the subject's ${payload} is shown`);
  }
  // Text `<` is serialized as &lt;: every `<` left is a real element.
  t.notMatch(dom, /<img[\s>]/, 'no img element');
  t.same(dom.match(/<svg[^>]*>/g), ['<svg class="bar" viewBox="0 0 1000 20" preserveAspectRatio="none" role="img" aria-label="0 fail, 0 error, 1 pass">'], 'one svg element: the summary bar');
  t.notMatch(dom, /<[^>]*\son\w+=/, 'no element with an event handler attribute');
  t.equal(dom.match(/<script/g)?.length, 1, 'one script element, the page\'s own');
}

/**
 * Uses the page's controls as a reader would: filter to failing endpoints (the passing one's row
 * and section hide), back to all, unfold all evidence, sort by target.
 */
const USE_CONTROLS = `(() => {
  try {
    const click = (selector) => document.querySelector(selector).click();
    const hidden = () => [document.querySelector('tr[data-verdict]').hidden, document.getElementById('ep-1').hidden];
    click('button[data-filter=fail]');
    const failOnly = hidden();
    click('button[data-filter=all]');
    const all = hidden();
    click('button[data-action=expand]');
    const unfolded = [...document.querySelectorAll('details.evidence')].every((d) => d.open);
    document.querySelectorAll('table.list th')[1].querySelector('button').click();
    return { failOnly, all, unfolded, sorted: document.querySelectorAll('table.list th')[1].getAttribute('aria-sort'), error: null };
  } catch (err) {
    return { error: String(err) };
  }
})()`;

/**
 * The page measured as printed (print media, and no beforeprint script: the CSS alone): the
 * folded evidence of the passing endpoint takes room, the controls none; the break rules hold.
 */
const AS_PRINTED = `(() => {
  const evidence = document.querySelector('details.evidence:not([open]) table');
  return {
    evidenceShown: evidence !== null && evidence.getBoundingClientRect().height > 0,
    controlsShown: document.querySelector('.controls').getBoundingClientRect().height > 0,
    endpointBreak: getComputedStyle(document.getElementById('ep-1')).breakBefore,
    rowBreak: getComputedStyle(document.querySelector('tr')).breakInside,
  };
})()`;

/** The request lines the recorder got for its own server, the one serving the page. */
function ownServerTraffic(recorder: RequestRecorder): string[] {
  const origin = new URL(recorder.pageUrl).origin;
  return recorder.requests().filter((line) => line.split(' ')[1]!.startsWith(`${origin}/`));
}

t.test('the instruments see a request a page makes to another host or its own, and one the CSP blocks', { skip }, async (t) => {
  const f = await setUp();
  f.recorder.setPage(
    `<!DOCTYPE html><meta http-equiv="Content-Security-Policy" content="img-src 'self' http://leak.example https://leak-tls.example"><title>control</title>` +
      '<img src="http://leak.example/pixel.png"><img src="https://leak-tls.example/pixel.png"><img src="relative.png"><img src="http://blocked.example/pixel.png">',
  );
  f.recorder.reset();
  let loaded;
  try {
    loaded = await loadPage(f.recorder.pageUrl, { recorder: f.recorder });
  } finally {
    f.recorder.setPage(f.page);
  }
  const relative = f.recorder.pageUrl.replace('report.html', 'relative.png');
  for (const url of ['http://leak.example/pixel.png', 'https://leak-tls.example/pixel.png', relative, 'http://blocked.example/pixel.png (blocked: csp)']) {
    t.ok(loaded.requests.includes(url), `the tab lists ${url}`, { requests: loaded.requests });
  }
  const seen = f.recorder.requests();
  t.ok(seen.includes('GET http://leak.example/pixel.png HTTP/1.1'), 'the recorder sees a plain http request to another host', { seen });
  t.ok(seen.some((r) => r.startsWith('CONNECT leak-tls.example:443 ')), 'and an https one as its CONNECT', { seen });
  t.ok(ownServerTraffic(f.recorder).includes(`GET ${relative} HTTP/1.1`), 'and a relative one at the page\'s own server');
  t.notOk(seen.some((r) => r.includes('blocked.example')), 'the one the CSP blocked never reached the network');
});

for (const javascript of [true, false]) {
  t.test(`with JavaScript ${javascript ? 'on' : 'off'}: the verdict is in the DOM, the hostile names are text, no payload ran, no request but the page`, { skip }, async (t) => {
    const f = await setUp();
    f.recorder.reset();
    const steps = javascript ? [{ media: 'print' as const, expression: AS_PRINTED }, { expression: USE_CONTROLS }] : [];
    const { dom, requests, evaluated } = await loadPage(f.recorder.pageUrl, { recorder: f.recorder, javascript, evaluate: steps });
    checkDom(t, dom, f);
    t.same(requests, [f.recorder.pageUrl], 'the page\'s tab requested nothing but the page, and tried nothing the CSP had to stop');
    t.same(ownServerTraffic(f.recorder), [`GET ${f.recorder.pageUrl} HTTP/1.1`], 'the page\'s server saw the page requested once, and nothing else');
    if (javascript) {
      t.match(dom, /<html lang="en" data-js="on">/, 'the page\'s own script ran: the CSP allows it');
      t.match(dom, /<div class="controls"><span>Show<\/span>/, 'the script showed the sort and filter controls');
      t.same(evaluated[0], { evidenceShown: true, controlsShown: false, endpointBreak: 'page', rowBreak: 'avoid' }, 'printed: the folded evidence shows, the controls do not, the endpoint starts a page, rows are not cut');
      t.same(evaluated[1], { failOnly: [true, true], all: [false, false], unfolded: true, sorted: 'ascending', error: null }, 'filtering, unfolding and sorting work in the page');
    } else {
      t.match(dom, /<html lang="en">/, 'no script ran');
      t.match(dom, /<div class="controls" hidden="">/, 'the controls stay hidden without the script');
      t.match(dom, /<details class="evidence">[\s\S]*Protocol versions[\s\S]*Certificate chain seen in/, 'the evidence is in the page, folded, complete');
    }
  });
}

t.test('a screenshot at 1280 CSS pixels is not blank, and painted with the page\'s style sheet', { skip }, async (t) => {
  const f = await setUp();
  const wide = join(f.dir, 'report-1280.png');
  await screenshot(`file://${join(f.dir, 'report.html')}`, wide, 1280, 2000);
  const png = decodePng(readFileSync(wide));
  t.equal(png.width, 1280);
  t.ok(distinctColours(png) > 50, `the page has ${distinctColours(png)} colours`);
  const pass = [0x1a, 0x7f, 0x37, 0xff];
  let found = false;
  for (let i = 0; i < png.rgba.length && !found; i += 4) found = pass.every((v, k) => png.rgba[i + k] === v);
  t.ok(found, 'the pass green of the summary bar is painted: the style sheet applied under the CSP');
  const keep = process.env.FIPSCAN_SCREENSHOTS;
  if (keep) {
    // For a look by eye, also the narrow view: headless windows are at least 500 px wide, so the page goes in a 400 px frame.
    const narrow = join(f.dir, 'report-400.png');
    writeFileSync(join(f.dir, 'narrow.html'), '<!DOCTYPE html><style>body{margin:0}iframe{border:0;width:400px;height:2000px}</style><iframe src="report.html"></iframe>');
    await screenshot(`file://${join(f.dir, 'narrow.html')}`, narrow, 500, 2000);
    mkdirSync(keep, { recursive: true });
    for (const file of ['report-1280.png', 'report-400.png', 'report.html']) copyFileSync(join(f.dir, file), join(keep, file));
  }
});

/** An SSH endpoint's evidence in the page: its tables, and whether the folded KEXINIT shows when printed. */
const SSH_EVIDENCE = `(() => ({
  sshTables: document.querySelectorAll('table.ssh').length,
  kexinitPrinted: document.querySelector('details.kexinit code').getBoundingClientRect().height > 0,
}))()`;

t.test('a page with SSH endpoints also requests nothing but itself; printed, its folded KEXINIT shows', { skip }, async (t) => {
  const f = await setUp();
  const sshPage = renderHtml(toJsonDocument(sshGoldenRun()));
  f.recorder.setPage(sshPage);
  f.recorder.reset();
  let loaded;
  try {
    loaded = await loadPage(f.recorder.pageUrl, { recorder: f.recorder, evaluate: [{ media: 'print', expression: SSH_EVIDENCE }] });
  } finally {
    f.recorder.setPage(f.page);
  }
  t.same(loaded.requests, [f.recorder.pageUrl], 'the tab requested nothing but the page');
  t.match(loaded.dom, /<html lang="en" data-js="on">/, 'its script ran under its CSP');
  t.match(loaded.dom, /<caption>Ciphers, client to server, in the server's order<\/caption>/);
  t.same(loaded.evaluated[0], { sshTables: 18, kexinitPrinted: true });
});
