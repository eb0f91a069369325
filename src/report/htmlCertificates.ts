/**
 * The certificates of one endpoint in the HTML report. A server usually sends the same chain
 * for every version, so identical chains (same fingerprints in the same order) are shown once
 * with the versions they were seen in. Each certificate: subject, issuer, every SAN, key,
 * signature, validity (with a note when it had expired or was not yet valid when the run started) and
 * the SHA-256 fingerprint. Subjects, issuers and SANs come from the server: they are text.
 */
import type { JsonCertificate, JsonCertificateChain, JsonEndpoint } from './json.js';
import { html, type Html } from './htmlEscape.js';
import { dateOf, plural } from './htmlParts.js';

interface SeenChain {
  chain: JsonCertificate[];
  seenIn: string[];
}

/** The distinct chains, each with the versions (and how: our own probe or node:tls) it was seen in. */
function distinctChains(chains: readonly JsonCertificateChain[]): SeenChain[] {
  const byKey = new Map<string, SeenChain>();
  for (const c of chains) {
    const key = c.chain.map((x) => x.fingerprintSha256).join(' ');
    const seen = byKey.get(key) ?? { chain: c.chain, seenIn: [] };
    seen.seenIn.push(c.protocol);
    byKey.set(key, seen);
  }
  return [...byKey.values()];
}

function key(c: JsonCertificate): string {
  if (c.keyType === 'unknown') return 'unknown (fipscan could not read the key)';
  return `${c.keyType} ${c.keyBits} bits${c.curve ? ` (${c.curve})` : ''}`;
}

/** The validity window, with what it meant at the time of the scan. */
function validity(c: JsonCertificate, scannedAt: string): Html {
  const from = Date.parse(c.notBefore);
  const to = Date.parse(c.notAfter);
  const at = Date.parse(scannedAt);
  let note: Html = html``;
  if (!Number.isNaN(to) && !Number.isNaN(at) && to < at) note = html` <span class="flag">expired when the run started</span>`;
  else if (!Number.isNaN(from) && !Number.isNaN(at) && from > at) note = html` <span class="flag">not yet valid when the run started</span>`;
  return html`${dateOf(c.notBefore) || '?'} to ${dateOf(c.notAfter) || '?'}${note}`;
}

function certificate(c: JsonCertificate, position: number, scannedAt: string): Html {
  const role = position === 0 ? 'leaf' : `chain certificate ${position + 1}`;
  const sans = c.subjectAltNames.length === 0 ? html`<span class="muted">none</span>` : html`${c.subjectAltNames.map((s) => html`<span class="item">${s}</span>`)}`;
  const signature = `${c.signatureAlgorithm}${c.signatureHash ? ` (${c.signatureHash})` : ''}`;
  return html`<div class="cert"><p class="cert-role">${role}</p><dl class="kv">
<dt>subject</dt><dd class="dn">${c.subject === '' ? html`<span class="muted">(empty subject)</span>` : c.subject}</dd>
<dt>issuer</dt><dd class="dn">${c.issuer === '' ? html`<span class="muted">(empty issuer)</span>` : c.issuer}</dd>
<dt>SANs</dt><dd>${sans}</dd>
<dt>key</dt><dd>${key(c)}</dd>
<dt>signature</dt><dd>${signature}</dd>
<dt>valid</dt><dd>${validity(c, scannedAt)}</dd>
<dt>SHA-256</dt><dd><code class="hash">${c.fingerprintSha256}</code></dd>
</dl></div>`;
}

/** Every distinct chain of the endpoint; nothing when the server sent none. */
export function renderCertificates(e: JsonEndpoint, scannedAt: string): Html {
  const chains = distinctChains(e.certificates);
  if (chains.length === 0) return html``;
  return html`${chains.map(
    (c) => html`<h4>Certificate chain seen in ${c.seenIn.join(', ')} (${plural(c.chain.length, 'certificate')})</h4><div class="certs">${c.chain.map((cert, i) => certificate(cert, i, scannedAt))}</div>`,
  )}`;
}
