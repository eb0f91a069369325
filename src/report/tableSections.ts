/**
 * The sections of one TLS endpoint in the terminal report, top to bottom: header, protocols, a
 * cipher suite table per protocol, groups, DH parameters, certificates, features, verdict (an
 * SSH endpoint's are in tableSsh.ts). Each section is a function returning lines no wider than
 * `width`; every string that came from the server (or from a file the user passed) goes
 * through `sanitize` first.
 */
import { describeDhParameters, groupDisposition, protocolDisposition, signatureSchemeDisposition, suiteDisposition } from '../policy/evaluate.js';
import { signatureSchemeById } from '../registry/signatureSchemes.js';
import type { Disposition } from '../policy/types.js';
import type { CertificateChain, CertificateInfo, ProtocolName, ProtocolResult, ScanResult } from '../model/scan.js';
import { PROTOCOL_NAMES, describeSuite, groupHex, groupName, plaintextWords, sidecarWords, triWord } from './describe.js';
import { borderless, borderlessOverhead, fitWidths, widest, type Column } from './grid.js';
import type { EndpointReport } from './model.js';
import { sanitize } from './sanitize.js';
import { BODY, SECTION, header, labelledFlow, mark, verdict, type SectionContext } from './tableParts.js';
import { sshSections } from './tableSsh.js';
import { displayWidth, padEnd, truncateEnd, truncateMiddle, wrap } from './text.js';

/** `key  value` lines, the value wrapped under itself when it does not fit. */
function keyValues(rows: readonly (readonly [string, string])[], keyWidth: number, width: number): string[] {
  const hang = ' '.repeat(BODY.length + keyWidth);
  return rows.flatMap(([k, v]) => wrap(v, width, `${BODY}${padEnd(k, keyWidth)}`, hang));
}

const POLICY_WORD: Readonly<Record<Disposition, string>> = { allow: 'allowed', warn: 'warned', deny: 'denied' };

/** Why a version is inconclusive: its catalogue code (for `fipscan explain`), then the reason in words. */
function inconclusiveNote(p: ProtocolResult | undefined): string {
  const code = p?.reasonCode ? sanitize(p.reasonCode) : '';
  const reason = p?.reason ? sanitize(p.reason) : '';
  return code !== '' && reason !== '' ? `${code}: ${reason}` : code || reason;
}

/** Each version offered / not offered / inconclusive, and what the policy says of that. */
function protocols(result: ScanResult, ctx: SectionContext): string[] {
  const byName = new Map(result.protocols.map((p) => [p.protocol, p]));
  const rows = PROTOCOL_NAMES.map((name) => {
    const p = byName.get(name);
    const offered = p?.offered ?? null;
    const disposition = protocolDisposition(ctx.policy, name);
    const required = name === 'TLSv1.3' && ctx.policy.require.tls13;
    const word = required ? 'required' : POLICY_WORD[disposition];
    let verdictMark: string;
    if (offered === true) verdictMark = mark(disposition, ctx.paint);
    else if (offered === false) verdictMark = mark(required ? 'deny' : 'allow', ctx.paint);
    else verdictMark = mark('unknown', ctx.paint);
    const status = offered === true ? 'offered' : offered === false ? 'not offered' : 'inconclusive';
    const note = offered === null ? inconclusiveNote(p) : '';
    return [name, status, `${verdictMark} ${word}`, note];
  });
  const columns: Column[] = [
    { head: 'protocol', width: 8 },
    { head: 'offered', width: 12 },
    { head: 'policy', width: 10 },
  ];
  // The reason a version is inconclusive gets whatever room is left, wrapped.
  if (rows.some((r) => r[3] !== '')) {
    const room = ctx.width - borderlessOverhead(4, BODY) - columns.reduce((a, c) => a + c.width, 0);
    columns.push({ head: 'note', width: Math.max(10, room), wrap: true });
  } else {
    for (const r of rows) r.pop();
  }
  return [`${SECTION}Protocols`, ...borderless(columns, rows, BODY)];
}

/** IANA names are shown only when this many columns are left for them. */
const IANA_MIN = 20;

/** The suites of one version, in the server's order, then the ones not determined. */
function cipherTable(p: ProtocolResult, ctx: SectionContext): string[] {
  const entries = [
    ...p.suites.map((id) => ({ id, kind: suiteDisposition(ctx.policy, p.protocol, id) as Disposition | 'unknown' })),
    ...p.inconclusiveSuites.map((id) => ({ id, kind: 'unknown' as const })),
  ];
  const rows = entries.map(({ id, kind }) => {
    const s = describeSuite(p.protocol, id);
    return {
      mark: mark(kind, ctx.paint),
      code: s.hex,
      name: s.openssl ?? s.iana ?? 'unknown',
      kx: s.kx === null ? '?' : s.kx === 'ANY' ? 'any' : s.kx,
      encryption: s.encryption ?? '?',
      bits: s.bits === null ? '?' : String(s.bits),
      iana: s.iana ?? '',
    };
  });
  const heads = { mark: '', code: 'code', name: 'OpenSSL name', kx: 'kx', encryption: 'encryption', bits: 'bits', iana: 'IANA name' };
  const keys = ['mark', 'code', 'name', 'kx', 'encryption', 'bits'] as const;
  const wants = keys.map((k) => {
    const ideal = widest([heads[k], ...rows.map((r) => r[k])]);
    const min = k === 'name' ? Math.min(ideal, 16) : k === 'encryption' ? Math.min(ideal, 11) : k === 'kx' ? Math.min(ideal, 5) : ideal;
    return { ideal, min };
  });
  // TLS 1.3 suites have one name (OpenSSL uses the IANA one): no second column for them.
  const ianaUseful = rows.some((r) => r.iana !== '' && r.iana !== r.name);
  const room = ctx.width - borderlessOverhead(keys.length, BODY);
  // Cut the OpenSSL name first, then the encryption label, then the key exchange.
  const widths = fitWidths(wants, room, [2, 4, 3]);
  const used = widths.reduce((a, b) => a + b, 0);
  const ianaRoom = room - used - 2;
  const ianaIdeal = widest([heads.iana, ...rows.map((r) => r.iana)]);
  const showIana = ianaUseful && ianaRoom >= Math.min(IANA_MIN, ianaIdeal);
  if (ianaUseful && !showIana) ctx.droppedIanaNames = true;
  const columns: Column[] = keys.map((k, i) => ({ head: heads[k], width: widths[i]!, align: k === 'bits' ? 'right' : 'left' }));
  if (showIana) columns.push({ head: heads.iana, width: Math.min(ianaIdeal, ianaRoom) });
  const cells = rows.map((r) => {
    const row = keys.map((k, i) => (k === 'mark' ? r.mark : truncateMiddle(r[k], widths[i]!)));
    if (showIana) row.push(ianaCell(r.iana, Math.min(ianaIdeal, ianaRoom)));
    return row;
  });
  const lines = [`${SECTION}${p.protocol} cipher suites (server order: ${triWord(p.serverOrder)})`, ...borderless(columns, cells, BODY)];
  if (p.offered === true && !p.suitesComplete) lines.push(...wrap('the list may be incomplete: not every candidate got an answer', ctx.width, BODY, BODY));
  if (p.workarounds.length > 0) lines.push(...wrap(`workarounds needed: ${p.workarounds.map(sanitize).join(', ')}`, ctx.width, BODY, BODY));
  return lines;
}

/** An IANA name cut to fit: the TLS_ prefix goes first, then the middle. */
function ianaCell(iana: string, width: number): string {
  return displayWidth(iana) <= width ? iana : truncateMiddle(iana.replace(/^TLS_/, ''), width);
}

/** Groups per version, each with its mark; the undetermined ones with '?'. */
function groups(result: ScanResult, ctx: SectionContext): string[] {
  const lines: string[] = [];
  for (const p of result.protocols) {
    const items = [
      ...p.groups.map((id) => `${mark(groupDisposition(ctx.policy, id), ctx.paint)} ${groupName(id) ?? groupHex(id)}`),
      ...p.inconclusiveGroups.map((id) => `${mark('unknown', ctx.paint)} ${groupName(id) ?? groupHex(id)}`),
    ];
    if (items.length === 0) continue;
    lines.push(...labelledFlow(p.protocol, 9, items, ctx.width));
  }
  return lines.length === 0 ? [] : [`${SECTION}Groups`, ...lines];
}

/** DHE primes: the group they belong to (RFC 7919, RFC 3526) or a custom one, marked against the policy's size and group rules. */
function dhParameters(result: ScanResult, ctx: SectionContext): string[] {
  const { dhMinBits, dhNamedGroupsOnly } = ctx.policy;
  const lines = result.protocols.flatMap((p) =>
    p.dhParameters.map((dh) => {
      const named = dh.namedGroup !== null || (dh.modpGroup ?? null) !== null;
      const ok = dh.primeBits >= dhMinBits && (named || !dhNamedGroupsOnly);
      return `${BODY}${padEnd(p.protocol, 9)}${mark(ok ? 'allow' : 'deny', ctx.paint)} ${describeDhParameters(dh)}`;
    }),
  );
  return lines.length === 0 ? [] : [`${SECTION}DH parameters`, ...lines];
}

/** The schemes each version signs its handshake with, each marked, with the key type that signed. */
function signatureSchemes(result: ScanResult, ctx: SectionContext): string[] {
  const keyOf = new Map(result.certificates.flatMap((c) => (c.chain[0] ? [[c.chain[0].fingerprintSha256, keyText(c.chain[0])] as const] : [])));
  const lines: string[] = [];
  for (const p of result.protocols) {
    if (p.signatureSchemes === undefined) continue;
    const items = [
      ...p.signatureSchemes.map((u) => `${mark(signatureSchemeDisposition(ctx.policy, u.scheme), ctx.paint)} ${signatureSchemeById(u.scheme)?.name ?? groupHex(u.scheme)}${u.certificate && keyOf.has(u.certificate) ? ` (${keyOf.get(u.certificate)})` : ''}`),
      ...(p.inconclusiveSignatureSchemes ?? []).map((id) => `${mark('unknown', ctx.paint)} ${signatureSchemeById(id)?.name ?? groupHex(id)}`),
    ];
    if (items.length === 0) items.push(p.signatureSchemesComplete === false ? 'not enumerated' : 'none: no (EC)DHE suite, the server signs nothing');
    lines.push(...labelledFlow(p.protocol, 9, items, ctx.width));
  }
  return lines.length === 0 ? [] : [`${SECTION}Signature schemes`, ...lines];
}

/** The subject's common name, or the whole subject when it has none. */
function commonName(subject: string): string {
  const cn = /(?:^|, )CN=([^,]*)/.exec(subject);
  if (cn?.[1]) return cn[1];
  return subject === '' ? '(empty subject)' : subject;
}

function keyText(c: CertificateInfo): string {
  if (c.keyType === 'EC') return `EC ${c.curve ?? 'unknown curve'} (${c.keyBits} bits)`;
  if (c.keyType === 'Ed25519' || c.keyType === 'Ed448') return c.keyType;
  return `${c.keyType} ${c.keyBits} bits`;
}

function dateText(iso: string): string {
  return /^\d{4}-\d{2}-\d{2}T/.test(iso) ? iso.slice(0, 10) : iso === '' ? 'unknown' : iso;
}

/** One block per distinct leaf certificate, naming the versions it was served with. */
function certificates(result: ScanResult, ctx: SectionContext): string[] {
  const byLeaf = new Map<string, { leaf: CertificateInfo; chain: CertificateChain; protocols: ProtocolName[] }>();
  for (const chain of result.certificates) {
    const leaf = chain.chain[0];
    if (leaf === undefined) continue;
    const versions = chain.protocols ?? [chain.protocol];
    const seen = byLeaf.get(leaf.fingerprintSha256);
    if (seen) seen.protocols.push(...versions.filter((v) => !seen.protocols.includes(v)));
    else byLeaf.set(leaf.fingerprintSha256, { leaf, chain, protocols: [...versions] });
  }
  const lines: string[] = [];
  const valueWidth = ctx.width - BODY.length - 11;
  for (const { leaf, chain, protocols } of byLeaf.values()) {
    const sans = leaf.subjectAltNames.map(sanitize);
    let sanText = String(sans.length);
    if (sans[0] !== undefined) {
      const more = sans.length > 1 ? ', …)' : ')';
      sanText += ` (${truncateMiddle(sans[0], valueWidth - sanText.length - 2 - more.length)}${more}`;
    }
    const rows: [string, string][] = [
      ['subject', truncateMiddle(sanitize(commonName(leaf.subject)), valueWidth)],
      ['issuer', truncateMiddle(sanitize(commonName(leaf.issuer)), valueWidth)],
      ['key', sanitize(keyText(leaf))],
      ['signature', truncateEnd(sanitize(leaf.signatureAlgorithm), valueWidth)],
      ['valid', `${sanitize(dateText(leaf.notBefore))} to ${sanitize(dateText(leaf.notAfter))}`],
      ['SANs', sanText],
      ['chain', `${chain.chain.length} certificate${chain.chain.length === 1 ? '' : 's'}${leaf.selfSigned ? ', leaf self-signed' : ''}`],
    ];
    lines.push(`${SECTION}Certificate (${protocols.join(', ')})`, ...keyValues(rows, 11, ctx.width));
  }
  return lines;
}

/** A key-value row when there is something to say. */
function optionalRow(key: string, value: string | null): [string, string][] {
  return value === null ? [] : [[key, sanitize(value)]];
}

/** TLS extensions and handshake details the policy or an operator cares about. */
function features(result: ScanResult, ctx: SectionContext): string[] {
  const f = result.features;
  const alpn = f.alpn === null ? 'none' : truncateMiddle(sanitize(f.alpn), ctx.width - BODY.length - 24);
  const rows: [string, string][] = [
    ['extended master secret', `supported: ${triWord(f.extendedMasterSecret.supported)}, required: ${triWord(f.extendedMasterSecret.required)}`],
    ['secure renegotiation', triWord(f.secureRenegotiation)],
    ['ALPN', alpn],
    [
      'client certificate',
      `requested: ${triWord(f.clientCertificateRequested)}${f.clientCertificateRequired === undefined ? '' : `, required: ${triWord(f.clientCertificateRequired)}`}`,
    ],
    ...(f.clientCertificateCAs ?? []).map((ca, i): [string, string] => [i === 0 ? 'client certificate CAs' : '', sanitize(ca)]),
    ...optionalRow('sidecar', sidecarWords(f)),
    ...optionalRow('plaintext', result.plaintext ? plaintextWords(result.plaintext) : null),
  ];
  return [`${SECTION}Features`, ...keyValues(rows, 24, ctx.width)];
}

/** The full handshake a client with default settings makes (with the client identity, when given). */
function negotiated(result: ScanResult, ctx: SectionContext): string[] {
  const n = result.negotiated;
  if (!n) return [];
  const parts: string[] = [];
  if (n.protocol !== null) parts.push(n.protocol);
  if (n.suite !== null && n.protocol !== null) {
    const suite = describeSuite(n.protocol, n.suite);
    parts.push(`${suite.iana ?? suite.hex} ${mark(suiteDisposition(ctx.policy, n.protocol, n.suite), ctx.paint)}`);
  }
  if (n.group !== null) parts.push(`${groupName(n.group) ?? groupHex(n.group)} ${mark(groupDisposition(ctx.policy, n.group), ctx.paint)}`);
  const rows: [string, string][] = [];
  if (parts.length > 0) rows.push(['handshake', parts.join(', ')]);
  if (n.error !== null) rows.push([parts.length > 0 ? 'then refused' : 'refused', sanitize(`${n.error.code}: ${n.error.message}`)]);
  if (n.identity) rows.push(['client certificate', n.clientCertificateAccepted === null ? 'sent, verdict unknown' : n.clientCertificateAccepted ? 'accepted' : 'refused']);
  if (n.serverChainVerified !== null) {
    rows.push(['server chain', n.serverChainVerified ? 'verified against the given CA' : `not verified against the given CA (${sanitize(n.serverChainError ?? 'no reason given')})`]);
  }
  const title = n.identity ? 'Negotiated (default client, with the client certificate)' : 'Negotiated (default client)';
  return [`${SECTION}${title}`, ...keyValues(rows, 20, ctx.width)];
}

/** Every section of one endpoint, TLS or SSH. An endpoint that could not be scanned gets only its header and verdict. */
export function endpointSections(endpoint: EndpointReport, ctx: SectionContext): string[] {
  const { result } = endpoint;
  if (result.service === 'ssh') return sshSections(endpoint, ctx);
  const scanned = result.error === null || result.protocols.some((p) => p.offered !== null);
  if (!scanned) return [...header(result, ctx), '', ...verdict(endpoint, ctx)];
  const ciphers = result.protocols
    .filter((p) => p.suites.length + p.inconclusiveSuites.length > 0)
    .flatMap((p) => ['', ...cipherTable(p, ctx)]);
  const blocks = [groups(result, ctx), dhParameters(result, ctx), signatureSchemes(result, ctx), certificates(result, ctx), features(result, ctx), negotiated(result, ctx), verdict(endpoint, ctx)];
  return [
    ...header(result, ctx),
    '',
    ...protocols(result, ctx),
    ...ciphers,
    ...blocks.filter((b) => b.length > 0).flatMap((b) => ['', ...b]),
  ];
}
