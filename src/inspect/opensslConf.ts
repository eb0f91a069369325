/**
 * OpenSSL 3 configuration files (config(5)), parsed the way libcrypto's conf_def.c reads them:
 * sections, `name = value` with quotes, escapes, `#` comments, backslash continuations and
 * `$var` / `${section::var}` / `$ENV::NAME` expansion, and `.include` of files and directories
 * (relative paths against `.pragma includedir`, then OPENSSL_CONF_INCLUDE, then the including
 * file's directory). Includes are followed recursively with a cycle guard and a depth and file
 * cap, so a config that includes itself is reported, not followed forever. Pure: the files come
 * through a `ConfLoader`, and every value remembers its file and line for the evidence.
 */

export interface ConfLoader {
  /** The file's text, or null when it does not exist or cannot be read. */
  readFile(path: string): string | null;
  /** The names in a directory, or null when `path` is not a directory. */
  listDir(path: string): string[] | null;
}

export interface ConfValue {
  value: string;
  /** `/etc/ssl/openssl.cnf:12`. */
  at: string;
  /** The line as written (continuations joined), for the evidence. */
  line: string;
}

export interface ConfProblem {
  at: string;
  message: string;
}

export interface OpensslConf {
  /** The top-level file. */
  path: string;
  /** Every file read, in order. */
  files: string[];
  /** Section name -> name -> value; the unnamed top of the file is section `default`. */
  sections: Map<string, Map<string, ConfValue>>;
  /** Syntax errors, missing includes, include cycles: OpenSSL would refuse the first two. */
  problems: ConfProblem[];
}

const MAX_DEPTH = 16;
const MAX_FILES = 64;

/** `/a/b/../c` -> `/a/c`; POSIX only, like the /proc paths this tool reads. */
export function normalizePath(path: string): string {
  const parts: string[] = [];
  for (const part of path.split('/')) {
    if (part === '' || part === '.') continue;
    if (part === '..') parts.pop();
    else parts.push(part);
  }
  return `/${parts.join('/')}`;
}

/** The directory part of a POSIX path (`/` for a file at the top), as the paths the config and the ELF files name are POSIX. */
export function dirnameOf(path: string): string {
  const i = path.lastIndexOf('/');
  return i <= 0 ? '/' : path.slice(0, i);
}

interface ParseState {
  conf: OpensslConf;
  loader: ConfLoader;
  env: Readonly<Record<string, string | undefined>>;
  section: string;
  includeDir: string | null;
  stack: string[];
}

/** Loads `path` and everything it includes. Never throws; problems are recorded. */
export function loadOpensslConf(path: string, loader: ConfLoader, env: Readonly<Record<string, string | undefined>> = {}): OpensslConf | null {
  const top = normalizePath(path);
  const text = loader.readFile(top);
  if (text === null) return null;
  const conf: OpensslConf = { path: top, files: [], sections: new Map([['default', new Map()]]), problems: [] };
  parseFile(top, text, { conf, loader, env, section: 'default', includeDir: null, stack: [] });
  return conf;
}

function parseFile(path: string, text: string, state: ParseState): void {
  state.conf.files.push(path);
  state.stack.push(path);
  const lines = text.split(/\r?\n/);
  for (let i = 0; i < lines.length; i++) {
    const lineNo = i + 1;
    let raw = lines[i]!;
    // A trailing unescaped backslash joins the next line.
    while (/(^|[^\\])(\\\\)*\\$/.test(raw) && i + 1 < lines.length) raw = raw.slice(0, -1) + lines[++i]!;
    const at = `${path}:${lineNo}`;
    const line = stripComment(raw).trim();
    if (line === '') continue;
    const section = /^\[\s*([^\]]*?)\s*\]$/.exec(line);
    if (section) {
      state.section = section[1]!;
      if (!state.conf.sections.has(state.section)) state.conf.sections.set(state.section, new Map());
      continue;
    }
    const directive = /^\.(include|pragma)(?:\s*=\s*|\s+)(.*)$/.exec(line);
    if (directive) {
      const argument = unquote(directive[2]!.trim());
      if (directive[1] === 'pragma') pragma(argument, state, at);
      else include(argument, state, at);
      continue;
    }
    const assignment = /^([^=\s]+)\s*=\s*(.*)$/.exec(line);
    if (!assignment) {
      state.conf.problems.push({ at, message: `missing equal sign: ${line}` });
      continue;
    }
    let name = assignment[1]!;
    let target = state.section;
    const qualified = /^(.+?)::(.+)$/.exec(name);
    if (qualified) [target, name] = [qualified[1]!, qualified[2]!];
    const value = expand(unquote(assignment[2]!.trim()), state, target, at);
    if (!state.conf.sections.has(target)) state.conf.sections.set(target, new Map());
    state.conf.sections.get(target)!.set(name, { value, at, line });
  }
  state.stack.pop();
}

function stripComment(line: string): string {
  let quote: string | null = null;
  for (let i = 0; i < line.length; i++) {
    const c = line.charAt(i);
    if (c === '\\') i++;
    else if (quote) {
      if (c === quote) quote = null;
    } else if (c === '"' || c === "'") quote = c;
    else if (c === '#') return line.slice(0, i);
  }
  return line;
}

/** Removes quotes and resolves backslash escapes (\n \r \b \t; anything else is itself). */
function unquote(value: string): string {
  let out = '';
  let quote: string | null = null;
  for (let i = 0; i < value.length; i++) {
    const c = value.charAt(i);
    if (c === '\\' && i + 1 < value.length) {
      const next = value.charAt(++i);
      out += next === 'n' ? '\n' : next === 'r' ? '\r' : next === 'b' ? '\b' : next === 't' ? '\t' : next;
    } else if (quote) {
      if (c === quote) quote = null;
      else out += c;
    } else if (c === '"' || c === "'") quote = c;
    else out += c;
  }
  return out;
}

function expand(value: string, state: ParseState, section: string, at: string): string {
  return value.replace(/\$(?:\{([^}]*)\}|\(([^)]*)\)|([A-Za-z0-9_]+(?:::[A-Za-z0-9_]+)?))/g, (whole, braced?: string, parened?: string, bare?: string) => {
    const reference = braced ?? parened ?? bare ?? '';
    const [from, name] = reference.includes('::') ? (reference.split('::', 2) as [string, string]) : [null, reference];
    let found: string | undefined;
    if (from === 'ENV') found = state.env[name];
    else if (from !== null) found = state.conf.sections.get(from)?.get(name)?.value;
    else found = state.conf.sections.get(section)?.get(name)?.value ?? state.conf.sections.get('default')?.get(name)?.value;
    if (found === undefined) {
      state.conf.problems.push({ at, message: `variable ${whole} has no value` });
      return whole;
    }
    return found;
  });
}

function pragma(argument: string, state: ParseState, at: string): void {
  for (const item of argument.split(',')) {
    const m = /^\s*([^:\s]+)\s*:\s*(.*?)\s*$/.exec(item);
    if (!m) {
      state.conf.problems.push({ at, message: `malformed .pragma: ${argument}` });
      continue;
    }
    if (m[1] === 'includedir') state.includeDir = m[2]!;
  }
}

function include(argument: string, state: ParseState, at: string): void {
  const base = state.includeDir ?? state.env.OPENSSL_CONF_INCLUDE ?? dirnameOf(state.stack.at(-1) ?? '/');
  const target = normalizePath(argument.startsWith('/') ? argument : `${base}/${argument}`);
  if (state.stack.includes(target)) {
    state.conf.problems.push({ at, message: `include cycle: ${[...state.stack, target].join(' -> ')} (not followed)` });
    return;
  }
  if (state.stack.length >= MAX_DEPTH) {
    state.conf.problems.push({ at, message: `includes nested deeper than ${MAX_DEPTH}: ${target} not read` });
    return;
  }
  const entries = state.loader.listDir(target);
  const files = entries ? entries.filter((e) => /\.(cnf|conf)$/.test(e)).sort().map((e) => `${target}/${e}`) : [target];
  for (const file of files) {
    if (state.conf.files.length >= MAX_FILES) {
      state.conf.problems.push({ at, message: `more than ${MAX_FILES} configuration files: ${file} not read` });
      return;
    }
    const text = state.loader.readFile(file);
    if (text === null) state.conf.problems.push({ at, message: `.include ${argument}: cannot read ${file}` });
    else parseFile(file, text, state);
  }
}

/** The value of `name` in `section`, or undefined. */
export function confGet(conf: OpensslConf, section: string, name: string): ConfValue | undefined {
  return conf.sections.get(section)?.get(name);
}
