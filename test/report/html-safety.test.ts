/**
 * The HTML report is safe to open whatever the servers sent: a document whose every string
 * (certificate names, SANs, ALPN, error text, targets, policy, command line, even verdicts and
 * unknown extra fields) carries script, event-handler and attribute-breaking payloads renders to
 * markup made only of the renderer's own tags and attributes, with the payloads as text; the
 * Content-Security-Policy allows exactly the page's inline style and script by hash; and the
 * page holds no URL to load or send anything to.
 */
import { createHash } from 'node:crypto';
import t from 'tap';
import { renderHtml } from '../../src/report/html.js';
import { sanitize } from '../../src/report/sanitize.js';
import { toJsonDocument, type JsonDocument } from '../../src/report/json.js';
import { goldenRun, hostileEndpoint, hostileErrorEndpoint, legacyEndpoint, run } from './factories.js';
import { decodeEntities, inlineResources, tagsOf, textOf } from './htmlMarkup.js';
import { SSH_POLICY, sshApplianceEndpoint, sshDebianEndpoint } from './sshFactories.js';

const PAYLOAD = `<script>document.title='PWNED'</script><img src=x onerror="document.title='PWNED'">"><svg onload="document.title='PWNED'"><a href="https://evil.example/">'&amp;\u202e\x1b[31m`;
/** The payload as the page must show it: as text, controls made visible. */
const PAYLOAD_SHOWN = sanitize(PAYLOAD);

/** A report with everything a renderer can be handed: violations with sources, extras, workloads, a command line. */
function fullDocument(): JsonDocument {
  const endpoints = [...goldenRun().endpoints, legacyEndpoint(), hostileEndpoint(), hostileErrorEndpoint(), sshDebianEndpoint(), sshApplianceEndpoint()];
  const doc = toJsonDocument({ ...run(endpoints, SSH_POLICY), command: ['fipscan', 'scan', '-f', 'targets.txt'] });
  doc.policy.sha256 = 'ab'.repeat(32);
  doc.endpoints[1]!.violations[0]!.source = 'NIST SP 800-52 Rev. 2 §3.1';
  Object.assign(doc.endpoints[1]!.protocols[5]!, { signatureSchemes: ['rsa_pss_rsae_sha256', { name: 'ecdsa_secp256r1_sha256', allowed: true }] });
  Object.assign(doc.endpoints[0]!.dhParameters[0]!, { generator: 2 });
  Object.assign(doc.endpoints[0]!, { futureField: { note: 'x' } });
  doc.workloads = [
    {
      pid: 7,
      verdict: 'fail',
      error: 'a workload error',
      endpoints: [{ target: doc.endpoints[0]!.target, verdict: 'pass', note: null }, { target: '127.0.0.1:9090', verdict: 'not-tls', note: 'HTTP' }],
      process: { kind: 'process', name: 'pid 7 (/app)', path: '/app', pid: 7, verdict: 'fail', error: null, facts: [{ name: 'exe', value: '/app' }], checks: [{ id: 'go.crypto', subject: '/app', status: 'fail', message: 'standard Go crypto', evidence: [{ source: '/app', detail: 'no _goboringcrypto_ symbols' }] }] },
    },
  ];
  return doc;
}

/** The value with the payload appended to every string in it, at any depth. */
function poisoned<T>(value: T): T {
  if (typeof value === 'string') return `${value}${PAYLOAD}` as T;
  if (Array.isArray(value)) return value.map(poisoned) as T;
  if (value !== null && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, poisoned(v)])) as T;
  return value;
}

const TAGS = new Set([
  'html', 'head', 'meta', 'title', 'style', 'body', 'main', 'header', 'footer', 'section', 'div', 'p', 'h1', 'h2', 'h3', 'h4', 'span', 'strong',
  'code', 'time', 'a', 'table', 'caption', 'thead', 'tbody', 'tr', 'th', 'td', 'dl', 'dt', 'dd', 'ol', 'ul', 'li', 'details', 'summary', 'svg',
  'rect', 'button', 'script',
]);
const ATTRIBUTES = new Set([
  'lang', 'charset', 'http-equiv', 'content', 'name', 'class', 'id', 'href', 'datetime', 'role', 'scope', 'type', 'hidden', 'open', 'colspan',
  'viewBox', 'preserveAspectRatio', 'x', 'y', 'width', 'height', 'data-verdict', 'data-v', 'data-sort', 'data-filter', 'data-action',
  'aria-label', 'aria-labelledby', 'aria-hidden', 'aria-pressed',
]);

t.test('a document whose every string is hostile renders to the renderer\'s own tags and attributes only', async (t) => {
  const page = renderHtml(poisoned(fullDocument()));
  const tags = tagsOf(page);
  t.same([...new Set(tags.map((tag) => tag.name))].filter((name) => !TAGS.has(name)), [], 'no tag but the renderer\'s');
  const attributes = new Set(tags.flatMap((tag) => Object.keys(tag.attributes)));
  t.same([...attributes].filter((a) => !ATTRIBUTES.has(a)), [], 'no attribute but the renderer\'s: no on* handler, no src, no style');
  t.same(tags.filter((tag) => tag.name === 'a' && !tag.closing && !/^#[\w-]+$/.test(tag.attributes.href ?? '')).length, 0, 'links only to the page\'s own sections');
  t.equal(tags.filter((tag) => tag.name === 'script' && !tag.closing).length, 1, 'one script element: the page\'s own');
  t.notOk(/<(img|svg onload|a href="h)/i.test(page), 'no payload element in the markup');
});

t.test('the hostile text is shown as text, everywhere it came in', async (t) => {
  const doc = fullDocument();
  const page = renderHtml(poisoned(doc));
  const text = textOf(page);
  const occurrences = text.split(PAYLOAD_SHOWN).length - 1;
  t.ok(occurrences > 100, `the payload is shown as text (${occurrences} times)`);
  const hostile = doc.endpoints[5]!;
  for (const value of [hostile.certificates[0]!.chain[0]!.subject, hostile.certificates[0]!.chain[0]!.subjectAltNames[0]!, hostile.features.alpn!, doc.endpoints[6]!.error!.message]) {
    t.ok(text.includes(sanitize(`${value}${PAYLOAD}`)), `shown: ${JSON.stringify(value.slice(0, 30))}...`);
  }
  const ssh = doc.endpoints[8]!.ssh!;
  for (const value of [ssh.identification, ssh.preamble[1]!, ssh.cipher.clientToServer[1]!.name, ssh.kexinitHex]) {
    t.ok(text.includes(sanitize(`${value}${PAYLOAD}`)), `SSH: shown: ${JSON.stringify(value.slice(0, 30))}...`);
  }
  t.notOk(page.includes('\x1b') || page.includes('\u202e'), 'no raw control or bidi character in the page');
});

t.test('the Content-Security-Policy allows the page\'s inline style and script by hash, and nothing else', async (t) => {
  const page = renderHtml(fullDocument());
  const attribute = /<meta http-equiv="Content-Security-Policy" content="([^"]*)">/.exec(page)?.[1];
  const csp = attribute === undefined ? undefined : decodeEntities(attribute);
  t.ok(csp, 'a CSP meta tag');
  t.ok(page.indexOf('Content-Security-Policy') < page.indexOf('<style>'), 'before the style and script it governs');
  const directives = new Map(csp!.split(';').map((d) => d.trim().split(/\s+/)).map(([name, ...values]) => [name!, values]));
  const { style, script } = inlineResources(page);
  const hash = (text: string) => `'sha256-${createHash('sha256').update(text).digest('base64')}'`;
  t.same(directives.get('default-src'), ["'none'"]);
  t.same(directives.get('style-src'), [hash(style)], 'the style element by its hash');
  t.same(directives.get('script-src'), [hash(script)], 'the script element by its hash');
  for (const d of ['img-src', 'font-src', 'connect-src', 'base-uri', 'form-action']) t.same(directives.get(d), ["'none'"], d);
  t.notOk(/unsafe|\*|'self'|https?:|data:/.test(csp!), 'no unsafe-inline, wildcard, self, scheme or data: source');
});

t.test('the page holds no URL: no link, source, import or url() leaves it', async (t) => {
  for (const doc of [toJsonDocument(goldenRun()), fullDocument()]) {
    const page = renderHtml(doc);
    const values = tagsOf(page).flatMap((tag) => Object.values(tag.attributes));
    t.notOk(values.some((v) => /:\/\/|^\/\/|^(data|javascript|file|blob):/i.test(decodeEntities(v))), 'no URL in any attribute (a SAN such as spiffe://... is text)');
    const { style, script } = inlineResources(page);
    t.notOk(/url\(|@import|image-set|:\/\//i.test(style), 'the style loads nothing');
    t.notOk(/fetch|XMLHttpRequest|import\(|\.src\b|location|open\(|WebSocket|sendBeacon|innerHTML|eval|:\/\//.test(script), 'the script loads nothing and writes no markup');
    t.ok(tagsOf(page).every((tag) => tag.attributes.href === undefined || /^#[\w-]+$/.test(tag.attributes.href)), 'every href is a fragment of the page');
  }
});
