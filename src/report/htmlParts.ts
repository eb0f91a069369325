/**
 * Small pieces every part of the HTML report uses: verdict badges and policy marks (always a
 * word beside the colour, so the page reads the same in greyscale, on paper and to a screen
 * reader), times and durations in words, what an error code means for the reader, and a plain
 * rendering of fields this version does not know (a newer writer's per-protocol extras).
 */
import type { Tri } from '../model/scan.js';
import type { Verdict } from '../model/verdict.js';
import { html, join, type Html } from './htmlEscape.js';

const VERDICT_WORD: Readonly<Record<Verdict, string>> = { pass: 'PASS', fail: 'FAIL', error: 'ERROR', 'not-tls': 'NOT TLS' };
const VERDICT_SIGN: Readonly<Record<Verdict, string>> = { pass: '✓', fail: '✗', error: '!', 'not-tls': '·' };

/** A verdict as a badge: sign and word on the verdict's colour. */
export function verdictBadge(verdict: Verdict): Html {
  return html`<span class="badge ${verdict}"><span aria-hidden="true">${VERDICT_SIGN[verdict]}</span> ${VERDICT_WORD[verdict]}</span>`;
}

/** What the policy says of an item the server accepts, or that the scan could not settle; neutral: not judged (an SSH marker, compression). */
export type Mark = 'allowed' | 'warned' | 'denied' | 'unknown' | 'neutral';

const MARK_SIGN: Readonly<Record<Mark, string>> = { allowed: '✓', warned: '!', denied: '✗', unknown: '?', neutral: '·' };

/** A policy mark: sign and word, coloured. */
export function mark(kind: Mark, word: string = kind): Html {
  return html`<span class="mark ${kind}"><span aria-hidden="true">${MARK_SIGN[kind]}</span> ${word}</span>`;
}

/** A small table with a caption; rows are already markup. */
export function table(caption: Html | string, heads: readonly string[], rows: readonly Html[], cls = ''): Html {
  return html`<div class="scroll"><table class="${`grid ${cls}`.trim()}"><caption>${caption}</caption><thead><tr>${heads.map((h) => html`<th scope="col">${h}</th>`)}</tr></thead><tbody>${rows}</tbody></table></div>`;
}

/** Rows of a definition list. */
export function kv(rows: readonly (readonly [string, Html | string])[]): Html {
  return html`<dl class="kv">${rows.map(([k, v]) => html`<dt>${k}</dt><dd>${v}</dd>`)}</dl>`;
}

/** An SSH endpoint: one that carries the `ssh` field (its offer, or null when none was read). */
export function isSsh(e: { ssh?: unknown }): boolean {
  return e.ssh !== undefined;
}

/** true / false / null as yes / no / unknown, unknown marked. */
export function tri(value: Tri): Html {
  if (value === null) return html`<span class="unknown">unknown</span>`;
  return html`${value ? 'yes' : 'no'}`;
}

/** A count with its noun: 1 violation, 2 violations. */
export function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

/** An ISO time as `2025-06-01 12:00:00 UTC` in a <time> element; the text as given when it does not parse. */
export function timeOf(iso: string): Html {
  const ms = Date.parse(iso);
  if (Number.isNaN(ms)) return html`${iso}`;
  const text = new Date(ms).toISOString().replace('T', ' ').replace(/\.\d+Z$/, ' UTC');
  return html`<time datetime="${iso}">${text}</time>`;
}

/** The date part of an ISO time: 2025-06-01. */
export function dateOf(iso: string): string {
  return /^\d{4}-\d{2}-\d{2}/.exec(iso)?.[0] ?? iso;
}

/** Milliseconds in words: 812 ms, 2.3 s, 4 min 5 s, 1 h 2 min. */
export function duration(ms: number): string {
  if (ms < 1000) return `${ms} ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(1)} s`;
  const s = Math.round(ms / 1000);
  if (s < 3600) return `${Math.floor(s / 60)} min ${s % 60} s`;
  return `${Math.floor(s / 3600)} h ${Math.floor((s % 3600) / 60)} min`;
}

/** What an endpoint error code means for the reader, and what to try; null for a code without a note. */
const ERROR_HINTS: Readonly<Record<string, string>> = {
  ECONNREFUSED: 'Nothing accepted the connection: the service is down, or the address or port is wrong.',
  ECONNRESET: 'The connection was reset: a firewall or the server closed it.',
  EHOSTUNREACH: 'No route to the address from where the scan ran.',
  ENETUNREACH: 'No route to the address from where the scan ran.',
  ENOTFOUND: 'The name did not resolve: check the name, or the DNS the scanner used.',
  EAI_AGAIN: 'The name could not be resolved at the time (DNS failure): scan again.',
  ETIMEDOUT: 'The endpoint did not answer in time: a firewall may drop the traffic; try a longer --timeout.',
  ETIMEDOUT_HANDSHAKE: 'Bytes came back but no TLS answer in time: a slow or dripping server; try a longer --timeout.',
  ENOTTLS: 'The port gave no TLS answer: it may speak another protocol, or wait for the client to speak first (--starttls).',
  EOTHER_PROTOCOL: 'The port speaks another protocol (named in the message), not TLS; a mail or database port may need --starttls.',
  ESTARTTLS: 'The server did not offer the STARTTLS upgrade the scan asked for.',
  ETIMEDOUT_STARTTLS: 'The server said nothing in the STARTTLS dialogue.',
  EPROXY: 'The proxy did not open a tunnel to the endpoint.',
  EINCONCLUSIVE: 'The scan could not prove every item the policy judges (listed below), so the endpoint cannot pass: scan again, closer to the server or with a longer --timeout.',
  EDEADLINE: 'The scan of this endpoint ran out of time (--deadline) before every answer was in.',
  EINTERRUPTED: 'The run was interrupted before this endpoint was finished.',
  EUNRECOGNIZED_NAME: 'The server does not know the name sent as SNI: check --sni.',
};

/** The hint for an error code, or null. */
export function errorHint(code: string): string | null {
  return ERROR_HINTS[code] ?? null;
}

/** Depth past which an unknown value is shown as JSON text rather than taken apart. */
const MAX_DEPTH = 3;

/**
 * A value of a field this version does not know, as readable text: strings as they are, lists
 * joined by commas, objects as `key: value` pairs. Everything ends up escaped text.
 */
export function plainValue(value: unknown, depth = 0): Html {
  if (value === null || value === undefined) return html`<span class="unknown">none</span>`;
  if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') return html`${String(value)}`;
  if (depth >= MAX_DEPTH) return html`${JSON.stringify(value)}`;
  if (Array.isArray(value)) return value.length === 0 ? html`<span class="unknown">none</span>` : join(value.map((v) => plainValue(v, depth + 1)), ', ');
  if (typeof value === 'object') {
    return join(
      Object.entries(value as Record<string, unknown>).map(([k, v]) => html`${k}: ${plainValue(v, depth + 1)}`),
      '; ',
    );
  }
  return html`${String(value)}`;
}

/** The keys of `record` that are not in `known`: fields a newer writer added. */
export function extraKeys(record: object, known: ReadonlySet<string>): string[] {
  return Object.keys(record).filter((k) => !known.has(k));
}

/** A field name for display: `signatureSchemes` → `signature schemes`. */
export function fieldLabel(key: string): string {
  return key.replace(/([a-z0-9])([A-Z])/g, '$1 $2').replace(/[_-]+/g, ' ').toLowerCase();
}
