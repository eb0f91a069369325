/**
 * Makes untrusted text safe to print. Certificate subjects, SANs, ALPN values and error
 * messages come from the server (or quote it), and a hostile server can put ESC, BEL, CR or
 * newlines there to move the cursor, recolour or overwrite the report, or fake a PASS line.
 * Every such string goes through `sanitize` before it reaches a terminal.
 */

/**
 * C0 and C1 controls and DEL (\p{Cc}); lone surrogates (\p{Cs}), which a terminal shows as
 * garbage; bidi controls (RLO and friends), which reorder what follows on the line; and the
 * Unicode line and paragraph separators, which some terminals and viewers break lines at.
 */
const UNSAFE = /[\p{Cc}\p{Cs}\p{Bidi_Control}\u2028\u2029]/gu;

function escape(char: string): string {
  const code = char.charCodeAt(0);
  return code <= 0xff ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u${code.toString(16).padStart(4, '0')}`;
}

/**
 * The string with every control character (C0, DEL, C1), bidi control, line/paragraph
 * separator and lone surrogate replaced by a visible escape: `\x1b`, `\x0a`, `\u202e`.
 * Printable text, including non-ASCII letters, is kept as is; backslashes are not doubled, so
 * the escapes are for reading, not for decoding back.
 */
export function sanitize(s: string): string {
  return s.replace(UNSAFE, escape);
}
