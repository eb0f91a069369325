/**
 * The evidence of one endpoint in the HTML report: what the scan found, each item with the
 * policy's word on it (an SSH endpoint's offer: htmlSsh.ts). Protocol versions, each not
 * offered with how that was decided, then the accepted cipher suites of each version in the
 * server's order (with the ones the scan could not settle), groups, DH parameters, the
 * signature schemes, the TLS features and what a default client negotiated. Fields a newer
 * fipscan/v1 writer adds to a protocol, a DH entry or the endpoint are shown as plain text
 * rather than dropped.
 */
import type { JsonEndpoint, JsonProtocol, JsonViolation } from './json.js';
import { html, type Html } from './htmlEscape.js';
import { extraKeys, fieldLabel, isSsh, kv, mark, plainValue, plural, table, tri, type Mark } from './htmlParts.js';
import { plaintextWords, sidecarWords } from './describe.js';
import { renderSshEvidence, sshEvidenceSummary } from './htmlSsh.js';

const PROTOCOL_KEYS = new Set(['name', 'offered', 'reason', 'reasonCode', 'serverOrder', 'allowed', 'ciphers', 'inconclusiveCiphers', 'signatureSchemes', 'signatureSchemesComplete', 'inconclusiveSignatureSchemes', 'workarounds']);
const DH_KEYS = new Set(['protocol', 'primeBits', 'group', 'modpGroup', 'safePrime']);
const ENDPOINT_KEYS = new Set([
  'target', 'pod', 'service', 'host', 'port', 'address', 'sni', 'verdict', 'error', 'protocols', 'groups', 'dhParameters', 'certificates',
  'features', 'negotiated', 'ssh', 'plaintext', 'violations', 'warnings', 'inconclusive', 'probes', 'durationMs',
]);

/** Whether the warnings name this item (`TLSv1.0`, or an item ending in its code: `... (0x009c)`). */
function warned(warnings: readonly JsonViolation[], protocol: string | null, item: string): boolean {
  return warnings.some((w) => (protocol === null || w.protocol === protocol) && (w.item === item || (w.item?.endsWith(`(${item})`) ?? false)));
}

/** The mark of an accepted item: allowed, allowed with a warning, or denied. */
function policyMark(allowed: boolean, isWarned: boolean): Mark {
  return !allowed ? 'denied' : isWarned ? 'warned' : 'allowed';
}

/** How a version not offered (or inconclusive) was decided, with its catalogue code, under its status. */
function decided(p: JsonProtocol): Html {
  if (p.reason === undefined && p.reasonCode === undefined) return html``;
  const code = p.reasonCode === undefined ? '' : html` <code>${p.reasonCode}</code>`;
  return html`<span class="note decided">${p.reason ?? ''}${code}</span>`;
}

function protocolRow(e: JsonEndpoint, p: JsonProtocol): Html {
  const status =
    p.offered === null ? mark('unknown', 'inconclusive')
    : p.offered ? mark(policyMark(p.allowed, warned(e.warnings, p.name, p.name)), 'offered')
    : html`<span class="muted">not offered</span>`;
  const offered = html`${status}${decided(p)}`;
  const order = p.offered ? tri(p.serverOrder) : html``;
  const suites = p.offered || p.inconclusiveCiphers.length > 0 ? html`${p.ciphers.length}${p.inconclusiveCiphers.length > 0 ? ` (+${p.inconclusiveCiphers.length} unsettled)` : ''}` : html``;
  return html`<tr><th scope="row">${p.name}</th><td>${offered}</td><td>${p.allowed ? 'allowed' : 'denied'}</td><td>${order}</td><td class="num">${suites}</td></tr>`;
}

/** Each version: offered or not (or inconclusive), what the policy says, server order, suites accepted. */
function protocols(e: JsonEndpoint): Html {
  return table('Protocol versions', ['version', 'found', 'policy', 'server order', 'suites'], e.protocols.map((p) => protocolRow(e, p)), 'protocols');
}

/** One version's accepted suites in the server's order, then the ones neither confirmed nor refused. */
function suites(e: JsonEndpoint, p: JsonProtocol): Html {
  const rows = [
    ...p.ciphers.map(
      (c, i) =>
        html`<tr><td class="num">${i + 1}</td><td><code>${c.id}</code></td><td class="name">${c.iana ?? 'unknown suite'}${c.openssl !== null && c.openssl !== c.iana ? html`<span class="alias">${c.openssl}</span>` : ''}</td><td>${c.kx === 'ANY' ? 'any' : (c.kx ?? '?')}</td><td>${c.encryption ?? '?'}</td><td class="num">${c.bits ?? '?'}</td><td>${mark(policyMark(c.allowed, warned(e.warnings, p.name, c.id)))}</td></tr>`,
    ),
    ...p.inconclusiveCiphers.map((id) => html`<tr class="unsettled"><td></td><td><code>${id}</code></td><td colspan="4">could not tell whether the server accepts it</td><td>${mark('unknown')}</td></tr>`),
  ];
  const order = p.serverOrder === true ? "in the server's order" : p.serverOrder === false ? "in the order offered (the server follows the client's order)" : 'order unknown';
  const workarounds = p.workarounds.length > 0 ? html`<p class="note">The scan needed workarounds for this version: ${p.workarounds.join(', ')}.</p>` : html``;
  return html`${table(html`${p.name} cipher suites, ${order}`, ['#', 'code', 'name (IANA, then OpenSSL)', 'key exchange', 'encryption', 'bits', 'policy'], rows, 'suites')}${workarounds}`;
}

/** Key-exchange groups with the versions that accepted them. */
function groups(e: JsonEndpoint): Html {
  if (e.groups.length === 0) return html``;
  const rows = e.groups.map((g) => html`<tr><td class="name">${g.name ?? 'unknown group'}</td><td><code>${g.id}</code></td><td>${g.protocols.join(', ')}</td><td>${mark(policyMark(g.allowed, warned(e.warnings, null, g.id)))}</td></tr>`);
  return table('Key-exchange groups', ['group', 'code', 'accepted in', 'policy'], rows, 'groups');
}

/** What a DHE prime is: an RFC 7919 group, an RFC 3526 MODP group, or a server's own (safe or not). */
function dhGroup(d: JsonEndpoint['dhParameters'][number]): string {
  if (d.group !== null) return `${d.group} (RFC 7919)`;
  if (d.modpGroup !== undefined && d.modpGroup !== null) return `MODP group ${d.modpGroup} (RFC 3526)`;
  const safe = d.safePrime === true ? 'a safe prime' : d.safePrime === false ? 'not a safe prime' : 'safety not checked';
  return `the server's own prime: ${safe}`;
}

/** DHE primes seen, named, and any further fields a newer writer records per entry. */
function dhParameters(e: JsonEndpoint): Html {
  if (e.dhParameters.length === 0) return html``;
  const extra = [...new Set(e.dhParameters.flatMap((d) => extraKeys(d, DH_KEYS)))];
  const rows = e.dhParameters.map((d) => {
    const fields = d as unknown as Record<string, unknown>;
    return html`<tr><td>${d.protocol}</td><td class="num">${d.primeBits}</td><td>${dhGroup(d)}</td>${extra.map((k) => html`<td>${plainValue(fields[k])}</td>`)}</tr>`;
  });
  return table('DHE parameters', ['version', 'prime bits', 'group', ...extra.map(fieldLabel)], rows, 'dh');
}

/** The schemes each version signs its handshake with, with the certificate that signed (by fingerprint). */
function signatureSchemes(e: JsonEndpoint): Html {
  const enumerated = e.protocols.filter((p) => p.signatureSchemes !== undefined);
  if (enumerated.length === 0) return html``;
  const leaf = new Map(e.certificates.flatMap((c) => (c.chain[0] ? [[c.chain[0].fingerprintSha256, `${c.chain[0].keyType} ${c.chain[0].keyBits}`] as const] : [])));
  const rows = enumerated.flatMap((p) => [
    ...(p.signatureSchemes ?? []).map(
      (s) => html`<tr><td>${p.name}</td><td><code>${s.id}</code></td><td class="name">${s.name ?? 'unknown scheme'}</td><td>${typeof s.certificate !== 'string' ? '' : (leaf.get(s.certificate) ?? s.certificate.slice(0, 16))}</td><td>${mark(policyMark(s.allowed, warned(e.warnings, p.name, s.id)))}</td></tr>`,
    ),
    ...(p.inconclusiveSignatureSchemes ?? []).map((id) => html`<tr class="unsettled"><td>${p.name}</td><td><code>${id}</code></td><td colspan="2">could not tell whether the server signs with it</td><td>${mark('unknown')}</td></tr>`),
    ...((p.signatureSchemes ?? []).length === 0 && (p.inconclusiveSignatureSchemes ?? []).length === 0 ? [html`<tr><td>${p.name}</td><td colspan="4" class="muted">none: the server signs nothing (no (EC)DHE suite)</td></tr>`] : []),
  ]);
  return table('Signature schemes the server signs its handshake with', ['version', 'code', 'scheme', 'key', 'policy'], rows, 'schemes');
}

/** A key-value row when there is something to say. */
function optionalRow(key: string, value: string | null): [string, string][] {
  return value === null ? [] : [[key, value]];
}

function features(e: JsonEndpoint): Html {
  const f = e.features;
  const cas = f.clientCertificateCAs.length > 0 ? f.clientCertificateCAs : null;
  return html`<h4>TLS features</h4>${kv([
    ['extended master secret', html`supported: ${tri(f.extendedMasterSecret.supported)}, required: ${tri(f.extendedMasterSecret.required)}`],
    ['secure renegotiation', tri(f.secureRenegotiation)],
    ['ALPN', f.alpn === null ? html`<span class="muted">none</span>` : html`<code>${f.alpn}</code>`],
    ['client certificate', html`requested: ${tri(f.clientCertificateRequested)}, required: ${tri(f.clientCertificateRequired)}`],
    ...(cas ? ([['client certificate CAs', html`${cas.map((ca) => html`<span class="item">${ca}</span>`)}`]] as const) : []),
    ...optionalRow('sidecar', sidecarWords(f)),
    ...optionalRow('plaintext', e.plaintext ? plaintextWords(e.plaintext) : null),
  ])}`;
}

function negotiated(e: JsonEndpoint): Html {
  const n = e.negotiated;
  if (n === null) return html``;
  const cipher = n.cipher === null ? html`` : html`, ${n.cipher.iana ?? n.cipher.id} ${mark(n.cipher.allowed ? 'allowed' : 'denied')}`;
  const group = n.group === null ? html`` : html`, ${n.group.name ?? n.group.id} ${mark(n.group.allowed ? 'allowed' : 'denied')}`;
  const rows: [string, Html | string][] = [['handshake', n.protocol === null ? html`<span class="muted">none</span>` : html`${n.protocol}${cipher}${group}`]];
  if (n.alpn !== null) rows.push(['ALPN', html`<code>${n.alpn}</code>`]);
  if (n.clientIdentity) rows.push(['client certificate', html`accepted: ${tri(n.clientCertificateAccepted)}`]);
  if (n.serverChainVerified !== null || n.serverChainError !== null) rows.push(['server chain', html`verified against the given CA: ${tri(n.serverChainVerified)}${n.serverChainError ? ` (${n.serverChainError})` : ''}`]);
  if (n.error !== null) rows.push(['error', html`<code>${n.error.code}</code> ${n.error.message}`]);
  return html`<h4>What a default client negotiated${n.clientIdentity ? ', with the client certificate' : ''}</h4>${kv(rows)}`;
}

/** Fields of protocols and of the endpoint this version of fipscan does not know, as text. */
function extras(e: JsonEndpoint): Html {
  const rows: [string, Html][] = [];
  for (const p of e.protocols) {
    const fields = p as unknown as Record<string, unknown>;
    for (const k of extraKeys(p, PROTOCOL_KEYS)) rows.push([`${p.name} ${fieldLabel(k)}`, plainValue(fields[k])]);
  }
  const fields = e as unknown as Record<string, unknown>;
  for (const k of extraKeys(e, ENDPOINT_KEYS)) rows.push([fieldLabel(k), plainValue(fields[k])]);
  return rows.length === 0 ? html`` : html`<h4>Further findings</h4>${kv(rows)}`;
}

/** Whether the scan found anything to show (an unreachable endpoint has nothing). */
export function hasEvidence(e: JsonEndpoint): boolean {
  if (isSsh(e)) return Boolean(e.ssh);
  return e.protocols.some((p) => p.offered !== null || p.inconclusiveCiphers.length > 0) || e.certificates.length > 0;
}

/** A one-line account of the evidence, for the summary of its <details>. */
export function evidenceSummary(e: JsonEndpoint): string {
  if (e.ssh) return sshEvidenceSummary(e.ssh);
  const offered = e.protocols.filter((p) => p.offered === true).map((p) => p.name);
  const suites = e.protocols.reduce((n, p) => n + p.ciphers.length, 0);
  const certs = new Set(e.certificates.flatMap((c) => c.chain.map((x) => x.fingerprintSha256))).size;
  return `${offered.length === 0 ? 'no version offered' : offered.join(', ')}; ${plural(suites, 'suite')}, ${plural(e.groups.length, 'group')}, ${plural(certs, 'certificate')}`;
}

/** Everything but the certificates, in reading order. */
export function renderEvidence(e: JsonEndpoint): Html {
  if (e.ssh) return html`${renderSshEvidence(e.ssh)}${extras(e)}`;
  const tables = e.protocols.filter((p) => p.offered === true || p.inconclusiveCiphers.length > 0).map((p) => suites(e, p));
  return html`${protocols(e)}${tables}${groups(e)}${dhParameters(e)}${signatureSchemes(e)}${features(e)}${negotiated(e)}${extras(e)}`;
}
