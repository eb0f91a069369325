/**
 * Secrets that can hide in a string a report shows: the userinfo of a URL
 * (`https://user:pass@host/`), a secret-named query or `name=value` pair (`?token=...`,
 * `password=...`), and values shaped like bearer tokens (JWTs, well-known API token prefixes).
 * The run's command line (src/cli/commandLine.ts) and the targets the HTML report shows go
 * through here, so a credential typed into a target or an option never reaches the page an
 * auditor files. What is removed becomes `<redacted>`; everything else is kept as written.
 */

export const REDACTED = '<redacted>';

/**
 * Names whose value is a secret: password, passphrase, pwd, token, secret, api key, access key,
 * auth(orization), credential(s), cookie, session, bearer. Deliberately not `key` alone: `--key`
 * is the path of a PEM file, which the command line keeps.
 */
export const SECRET_NAME = /pass(?:word|wd|phrase)?|pwd|token|secret|api[-_]?key|access[-_]?key|auth(?:orization)?|credentials?|cookie|session|bearer/i;

/** scheme://userinfo@ : everything between `//` and the last `@` before the host's end. */
const URL_USERINFO = /\b([a-z][a-z0-9+.-]*:\/\/)[^/?#\s@]*@/gi;

/**
 * name=value (in a query string or on its own) with a secret name; the value runs to `&`, `;`,
 * space or the end. Only `=`: `token.example:443` is a host and port.
 */
const SECRET_PAIR = new RegExp(`((?:^|[?&;\\s])[\\w.-]*(?:${SECRET_NAME.source})[\\w.-]*=)[^&;\\s]+`, 'gi');

/**
 * Values that are credentials by their shape alone: JWTs (three base64url parts, the first a
 * JSON header `eyJ`), `Bearer <token>`, GitHub (ghp_, gho_, ghs_, ghu_, github_pat_), GitLab
 * (glpat-), Slack (xox?-) tokens and AWS access key ids.
 */
const TOKEN_SHAPES = [
  /\beyJ[\w-]{5,}\.[\w-]{5,}\.[\w-]*/g,
  /\b(Bearer\s+)[\w~+/.-]{8,}=*/gi,
  /\b(?:gh[opsu]_|github_pat_)[A-Za-z0-9_]{16,}/g,
  /\bglpat-[\w-]{16,}/g,
  /\bxox[abprs]-[\w-]{10,}/g,
  /\b(?:AKIA|ASIA)[0-9A-Z]{16}\b/g,
];

/** `text` with URL userinfo, secret-named values and token-shaped values replaced by `<redacted>`. */
export function redactSecrets(text: string): string {
  let out = text.replace(URL_USERINFO, `$1${REDACTED}@`).replace(SECRET_PAIR, `$1${REDACTED}`);
  for (const shape of TOKEN_SHAPES) out = out.replace(shape, (_match, prefix?: string) => `${typeof prefix === 'string' ? prefix : ''}${REDACTED}`);
  return out;
}
