/**
 * The command line a report records (`command` in fipscan/v1, shown at the top of the HTML
 * report), so an auditor sees how the evidence was produced: the arguments as typed, from
 * `fipscan` on, with every secret removed. Paths stay (`--key /etc/tls/key.pem` names a file, it
 * is not the key); what goes is the value of a secret-named option (`--password x`,
 * `--token=x`), URL userinfo, secret-named query values, token-shaped values
 * (report/redact.ts), and any argument text equal to the value of a secret-named environment
 * variable (a shell expanded `$API_TOKEN` into the line). Each becomes `<redacted>`.
 */
import { REDACTED, SECRET_NAME, redactSecrets } from '../report/redact.js';

/**
 * Environment variables holding secrets, by name. Narrower than SECRET_NAME: `PWD` is the
 * working directory, and session or cookie variables of a desktop (DESKTOP_SESSION=ubuntu) are
 * not secret and would blank ordinary words.
 */
const SECRET_ENV_NAME = /pass(?:word|wd|phrase)?|token|secret|api_?key|access_?key|private_?key|credential|(?:^|_)auth(?:_|$)|(?:^|_)key$/i;
const NOT_SECRET_ENV = new Set(['PWD', 'OLDPWD']);

/** Shorter environment values are not searched for: "1" or "true" would blank half the line. */
const MIN_SECRET_LENGTH = 6;

/** An option, `--name` or `-n`, with its `=value` when written that way. */
const OPTION = /^(--?[A-Za-z0-9][\w-]*)(=[\s\S]*)?$/;

/** The values of the secret-named environment variables, longest first (a value inside another is still found). */
function environmentSecrets(env: Readonly<Record<string, string | undefined>>): string[] {
  return Object.entries(env)
    .filter(([name, value]) => value !== undefined && value.length >= MIN_SECRET_LENGTH && SECRET_ENV_NAME.test(name) && !NOT_SECRET_ENV.has(name))
    .map(([, value]) => value!)
    .sort((a, b) => b.length - a.length);
}

function redactArgument(arg: string, secrets: readonly string[]): string {
  let out = arg;
  for (const secret of secrets) out = out.split(secret).join(REDACTED);
  return redactSecrets(out);
}

/**
 * The command line to record: `argv` is process.argv (node and the script first, as with the
 * bundle and the single executable), `env` the environment the values of secret variables are
 * taken from. Returns `['fipscan', ...arguments]` with the secrets replaced by `<redacted>`.
 */
export function recordedCommand(argv: readonly string[], env: Readonly<Record<string, string | undefined>>): string[] {
  const secrets = environmentSecrets(env);
  const out = ['fipscan'];
  let valueIsSecret = false;
  let positionalOnly = false;
  for (const arg of argv.slice(2)) {
    if (valueIsSecret) {
      out.push(REDACTED);
      valueIsSecret = false;
      continue;
    }
    const option = positionalOnly ? null : OPTION.exec(arg);
    if (option && SECRET_NAME.test(option[1]!)) {
      out.push(option[2] === undefined ? option[1]! : `${option[1]!}=${REDACTED}`);
      valueIsSecret = option[2] === undefined;
      continue;
    }
    if (arg === '--') positionalOnly = true;
    out.push(redactArgument(arg, secrets));
  }
  return out;
}
