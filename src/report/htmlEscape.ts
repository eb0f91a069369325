/**
 * Safe HTML by construction for the HTML report: `html` is a tagged template whose
 * interpolations are escaped text unless they are already `Html` (a fragment built the same
 * way), so a certificate subject, SAN, ALPN value, error message or file name can only ever
 * become text, never markup. Every attribute in the templates is quoted, and quotes are escaped
 * with the rest, so the same escaping holds inside attribute values. Control characters, bidi
 * controls and lone surrogates are first made visible as `\x1b`, `\u202e` (report/sanitize.ts):
 * an auditor sees what the server sent, and an RLO cannot make `gnp.exe` read as `exe.png`.
 */
import { sanitize } from './sanitize.js';

/** A fragment of trusted markup: made only by `html`, `raw` or `join`. */
export class Html {
  constructor(readonly markup: string) {}
  toString(): string {
    return this.markup;
  }
}

const ENTITIES: Readonly<Record<string, string>> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/** Text as HTML: `& < > " '` as entities (safe in text and in quoted attributes), controls made visible. */
export function escapeHtml(text: string): string {
  return sanitize(text).replace(/[&<>"']/g, (c) => ENTITIES[c]!);
}

/** What a template may interpolate: text, numbers, fragments, lists of them; nothing for null, undefined or false. */
export type Interpolation = Html | string | number | boolean | null | undefined | readonly Interpolation[];

function interpolate(value: Interpolation): string {
  if (value instanceof Html) return value.markup;
  if (Array.isArray(value)) return value.map(interpolate).join('');
  if (value === null || value === undefined || value === false) return '';
  return escapeHtml(String(value));
}

/** Markup from a template: the literal parts as written, every interpolation escaped unless it is Html. */
export function html(strings: TemplateStringsArray, ...values: readonly Interpolation[]): Html {
  let out = strings[0]!;
  values.forEach((value, i) => (out += interpolate(value) + strings[i + 1]!));
  return new Html(out);
}

/** Markup the renderer wrote itself (the style sheet, the script): never for data. */
export function raw(markup: string): Html {
  return new Html(markup);
}

/** Fragments joined by a separator (escaped when it is text). */
export function join(items: readonly Interpolation[], separator: Interpolation = ''): Html {
  const sep = interpolate(separator);
  return new Html(items.map(interpolate).join(sep));
}
