/**
 * Custom policies from JSON (document.ts writes the same shape). A policy file either gives
 * every field or `"extends"` a built-in profile: then an item-rule object
 * (`tls12Suites`, `tls13Suites`, `groups`, `signatureSchemes`) replaces the parent's whole
 * object (an omitted `allow` or `warn` in it is empty), a list inside `certificate` replaces
 * the parent's list, and scalars (including each protocol's disposition) override. `id` and
 * `version` are always required, so a changed policy never reports itself as the built-in.
 *
 * The file is checked strictly, because a typo must not quietly weaken a compliance policy:
 * unknown keys, rules and names are errors, each reported on one line with its JSON path.
 * `sources` gives the file's own source per rule; a rule it leaves out keeps the parent's, or
 * says that the custom policy names none.
 */
import { cipherSuiteById, type ProtocolName } from '../registry/index.js';
import { deepFreeze } from './freeze.js';
import { BUILTIN_POLICIES, builtinPolicy } from './profiles.js';
import {
  KEY_TYPES,
  SIGNATURE_HASHES,
  canonicalHash,
  canonicalKeyType,
  certificateCurveName,
  describeItem,
  hex,
  itemByName,
  PROTOCOL_NAMES,
  type ItemKind,
} from './names.js';
import type { CertificateRules, Disposition, EmsRequirement, ItemRules, Policy, SshNameRules, SshPolicy } from './types.js';
import { RULE_IDS, type RuleId } from '../model/verdict.js';

/** A policy file that cannot be used. `message` is one line: `<source>: <path>: <problem>`. */
export class PolicyError extends Error {
  readonly code = 'EPOLICY';
  constructor(
    message: string,
    /** Where the policy came from (a file name). */
    readonly source: string,
    /** The JSON path of the offending value, or null for the document as a whole. */
    readonly path: string | null,
  ) {
    super(message);
    this.name = 'PolicyError';
  }
}

type Path = readonly (string | number)[];
type Json = unknown;
type JsonObject = Record<string, Json>;

const TOP_KEYS = ['extends', 'id', 'version', 'title', 'basis', 'protocols', 'tls12Suites', 'tls13Suites', 'groups', 'signatureSchemes', 'dhMinBits', 'dhNamedGroupsOnly', 'certificate', 'require', 'ssh', 'sources'] as const;
const SSH_KEYS = ['kex', 'hostKey', 'cipher', 'mac', 'markers', 'reasons', 'notes'] as const;
const SSH_NOTE_KEYS = ['markers', 'compression'] as const;
/** An SSH algorithm name as RFC 4251 §6 allows it: printable US-ASCII, no comma or space, at most 64 characters. */
const SSH_NAME = /^[\x21-\x2b\x2d-\x7e]{1,64}$/;
const RULE_KEYS = ['allow', 'warn'] as const;
const CERTIFICATE_KEYS = ['rsaMinBits', 'ecCurves', 'keyTypes', 'signatureHashes', 'signatureHashesWarn', 'scope'] as const;
const REQUIRE_KEYS = ['extendedMasterSecret', 'secureRenegotiation', 'tls13'] as const;
const DISPOSITIONS: readonly Disposition[] = ['allow', 'warn', 'deny'];
const EMS_REQUIREMENTS: readonly EmsRequirement[] = ['off', 'supported', 'required'];

const NOUNS: Readonly<Record<ItemKind, string>> = { suite: 'cipher suite', group: 'group', scheme: 'signature scheme' };

/** `tls12Suites.allow[3]`, `protocols["TLSv1.0"]`, `$` for the document itself. */
function formatPath(path: Path): string {
  if (path.length === 0) return '$';
  return path
    .map((seg, i) => {
      if (typeof seg === 'number') return `[${seg}]`;
      if (!/^[A-Za-z_$][\w$]*$/.test(seg)) return `[${JSON.stringify(seg)}]`;
      return i === 0 ? seg : `.${seg}`;
    })
    .join('');
}

/** A JSON value in a few words: `"FOO"`, `42`, `null`, `an array`, `nothing`. */
function describeValue(value: Json): string {
  if (value === undefined) return 'nothing';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'object' && value !== null) return 'an object';
  const text = JSON.stringify(value);
  return text.length > 60 ? `${text.slice(0, 57)}..."` : text;
}

function isObject(value: Json): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

const UNLESS_EXTENDS = ' (required when the policy does not extend a built-in)';
const ALWAYS = ' (every policy needs one)';

const quoted = (names: readonly string[]): string => names.map((n) => JSON.stringify(n)).join(', ');

/** Reads one policy document, throwing PolicyError at the first problem. */
class Reader {
  constructor(readonly source: string) {}

  fail(path: Path, problem: string): never {
    throw new PolicyError(`${this.source}: ${formatPath(path)}: ${problem}`, this.source, formatPath(path));
  }

  expected(path: Path, what: string, value: Json, note = ''): never {
    this.fail(path, `expected ${what}, got ${describeValue(value)}${note}`);
  }

  object(value: Json, path: Path, keys: readonly string[], what: string): JsonObject {
    if (!isObject(value)) this.expected(path, what, value);
    for (const key of Object.keys(value)) {
      if (!keys.includes(key)) this.fail([...path, key], `unknown key (expected one of ${keys.join(', ')})`);
    }
    return value;
  }

  string(value: Json, path: Path): string {
    if (typeof value !== 'string' || value.trim() === '') this.expected(path, 'a non-empty string', value);
    return value;
  }

  boolean(value: Json, path: Path): boolean {
    if (typeof value !== 'boolean') this.expected(path, 'true or false', value);
    return value;
  }

  bits(value: Json, path: Path): number {
    if (typeof value !== 'number' || !Number.isInteger(value) || value < 0 || value > 65536) {
      this.expected(path, 'a whole number of bits from 0 to 65536', value);
    }
    return value;
  }

  oneOf<T extends string>(value: Json, path: Path, choices: readonly T[]): T {
    if (typeof value !== 'string' || !choices.includes(value as T)) this.expected(path, `one of ${quoted(choices)}`, value);
    return value as T;
  }

  /** A list of distinct values, each read by `item`. */
  list<T>(value: Json, path: Path, what: string, item: (v: Json, p: Path) => T): T[] {
    if (!Array.isArray(value)) this.expected(path, `a list of ${what}`, value);
    const out: T[] = [];
    value.forEach((v: Json, i) => {
      const read = item(v, [...path, i]);
      if (out.includes(read)) this.fail([...path, i], `${describeValue(v)} is listed twice`);
      out.push(read);
    });
    return out;
  }

  /** A codepoint written as a number, "0xc02f", a name, or "NAME (0xc02f)" as policyToJson writes it. */
  codepoint(kind: ItemKind, value: Json, path: Path): number {
    const noun = NOUNS[kind];
    if (typeof value === 'number') {
      if (!Number.isInteger(value) || value < 0 || value > 0xffff) this.expected(path, `a ${noun} codepoint from 0 to 0xffff`, value);
      return value;
    }
    if (typeof value !== 'string') this.expected(path, `a ${noun} name or codepoint`, value);
    const bare = /^0x([0-9a-f]{1,4})$/i.exec(value.trim());
    if (bare) return parseInt(bare[1]!, 16);
    const both = /^(.*?)\s*\(0x([0-9a-f]{1,4})\)$/i.exec(value.trim());
    const name = both ? both[1]! : value.trim();
    const id = itemByName(kind, name);
    if (id === undefined) this.fail(path, `unknown ${noun} ${JSON.stringify(name)}`);
    if (both && parseInt(both[2]!, 16) !== id) this.expected(path, `${name} to be ${hex(id)}`, value);
    return id;
  }

  itemRules(kind: ItemKind, value: Json, path: Path, check?: (id: number, p: Path, v: Json) => void): ItemRules {
    const o = this.object(value, path, RULE_KEYS, 'an object with "allow" and "warn" lists');
    const read = (key: 'allow' | 'warn'): number[] =>
      o[key] === undefined
        ? []
        : this.list(o[key], [...path, key], `${NOUNS[kind]}s`, (v, p) => {
            const id = this.codepoint(kind, v, p);
            check?.(id, p, v);
            return id;
          });
    const allow = read('allow');
    const warn = read('warn');
    warn.forEach((id, i) => {
      if (allow.includes(id)) this.fail([...path, 'warn', i], `${describeItem(kind, id)} is also in ${formatPath([...path, 'allow'])}`);
    });
    return { allow, warn };
  }
}

function suiteVersionCheck(reader: Reader, tls13: boolean): (id: number, path: Path, value: Json) => void {
  return (id, path, value) => {
    const suite = cipherSuiteById(id);
    if (suite === undefined || suite.versions.length === 0) return;
    const isTls13 = suite.versions.includes('TLSv1.3');
    if (isTls13 === tls13) return;
    const want = tls13 ? 'a TLS 1.3 cipher suite' : 'a TLS 1.2 (or older) cipher suite';
    const move = tls13 ? 'tls12Suites' : 'tls13Suites';
    reader.expected(path, want, value, ` (${describeItem('suite', id)} belongs in ${move})`);
  };
}

/** The field of `o`, or the parent's, or an error naming what is missing. */
function field<T>(
  reader: Reader,
  o: JsonObject,
  key: string,
  path: Path,
  inherited: T | undefined,
  what: string,
  read: (v: Json, p: Path) => T,
  missing = UNLESS_EXTENDS,
): T {
  const value = o[key];
  if (value !== undefined) return read(value, [...path, key]);
  if (inherited !== undefined) return inherited;
  return reader.expected([...path, key], what, undefined, missing);
}

/**
 * One object section of the document (`certificate`, `protocols`, `require`) read by `read`, or
 * the parent's whole section when the file leaves it out (which only `extends` allows).
 */
function section<T>(reader: Reader, value: Json | undefined, path: Path, parent: T | undefined, keys: readonly string[], what: string, read: (o: JsonObject) => T): T {
  if (value === undefined) {
    if (parent !== undefined) return parent;
    return reader.expected(path, what, undefined, UNLESS_EXTENDS);
  }
  return read(reader.object(value, path, keys, what));
}

function readCertificate(reader: Reader, value: Json | undefined, parent: CertificateRules | undefined): CertificateRules {
  const path: Path = ['certificate'];
  return section(reader, value, path, parent, CERTIFICATE_KEYS, 'an object of certificate rules', (o) => readCertificateRules(reader, o, path, parent));
}

function readCertificateRules(reader: Reader, o: JsonObject, path: Path, parent: CertificateRules | undefined): CertificateRules {
  const names = (one: string, many: string, canonical: (n: string) => string | undefined, known?: readonly string[]) => (v: Json, p: Path) =>
    reader.list(v, p, many, (item, ip) => {
      const name = reader.string(item, ip);
      const c = canonical(name);
      if (c === undefined) reader.fail(ip, `unknown ${one} ${JSON.stringify(name)}${known ? ` (expected one of ${known.join(', ')})` : ''}`);
      return c;
    });
  const hashes = names('hash', 'hashes', canonicalHash, SIGNATURE_HASHES);
  const rules: CertificateRules = {
    rsaMinBits: field(reader, o, 'rsaMinBits', path, parent?.rsaMinBits, 'a whole number of bits', (v, p) => reader.bits(v, p)),
    ecCurves: field(reader, o, 'ecCurves', path, parent?.ecCurves, 'a list of EC curves', names('EC curve', 'EC curves', certificateCurveName)),
    keyTypes: field(reader, o, 'keyTypes', path, parent?.keyTypes, 'a list of key types', names('key type', 'key types', canonicalKeyType, KEY_TYPES)),
    signatureHashes: field(reader, o, 'signatureHashes', path, parent?.signatureHashes, 'a list of hashes', hashes),
    signatureHashesWarn: field(reader, o, 'signatureHashesWarn', path, parent?.signatureHashesWarn, 'a list of hashes', hashes),
    scope: field(reader, o, 'scope', path, parent?.scope, '"leaf" or "chain"', (v, p) => reader.oneOf(v, p, ['leaf', 'chain'] as const)),
  };
  rules.signatureHashesWarn.forEach((h, i) => {
    if (rules.signatureHashes.includes(h)) reader.fail([...path, 'signatureHashesWarn', i], `${JSON.stringify(h)} is also in certificate.signatureHashes`);
  });
  return rules;
}

function readProtocols(reader: Reader, value: Json | undefined, parent: Policy['protocols'] | undefined): Policy['protocols'] {
  const path: Path = ['protocols'];
  return section(reader, value, path, parent, PROTOCOL_NAMES, 'an object of protocol dispositions', (o) => {
    const entries = PROTOCOL_NAMES.map((name) => [name, field(reader, o, name, path, parent?.[name], `one of ${quoted(DISPOSITIONS)}`, (v, p) => reader.oneOf(v, p, DISPOSITIONS))] as const);
    return Object.fromEntries(entries) as Record<ProtocolName, Disposition>;
  });
}

function readRequire(reader: Reader, value: Json | undefined, parent: Policy['require'] | undefined): Policy['require'] {
  const path: Path = ['require'];
  return section(reader, value, path, parent, REQUIRE_KEYS, 'an object of requirements', (o) => ({
    extendedMasterSecret: field(reader, o, 'extendedMasterSecret', path, parent?.extendedMasterSecret, `one of ${quoted(EMS_REQUIREMENTS)}`, (v, p) => reader.oneOf(v, p, EMS_REQUIREMENTS)),
    secureRenegotiation: field(reader, o, 'secureRenegotiation', path, parent?.secureRenegotiation, 'true or false', (v, p) => reader.boolean(v, p)),
    tls13: field(reader, o, 'tls13', path, parent?.tls13, 'true or false', (v, p) => reader.boolean(v, p)),
  }));
}

/**
 * The SSH rules: the file's `ssh` object (a category it leaves out keeps the parent's), `null`
 * for a policy that does not judge SSH, or the parent's rules (none without `extends`).
 */
function readSsh(reader: Reader, value: Json | undefined, parent: SshPolicy | null | undefined, id: string): SshPolicy | null {
  if (value === undefined) return parent ?? null;
  if (value === null) return null;
  const path: Path = ['ssh'];
  const o = reader.object(value, path, SSH_KEYS, 'an object of SSH rules, or null');
  const names = (v: Json, p: Path): string[] =>
    reader.list(v, p, 'SSH algorithm names', (item, ip) => {
      const name = reader.string(item, ip);
      if (!SSH_NAME.test(name)) reader.fail(ip, `${JSON.stringify(name)} is not an SSH algorithm name (printable ASCII, no comma or space, at most 64 characters)`);
      return name;
    });
  const rules = (key: 'kex' | 'hostKey' | 'cipher' | 'mac'): SshNameRules =>
    field(reader, o, key, path, parent?.[key], 'an object with "allow" and "warn" lists', (v, p) => {
      const r = reader.object(v, p, RULE_KEYS, 'an object with "allow" and "warn" lists');
      const allow = r.allow === undefined ? [] : names(r.allow, [...p, 'allow']);
      const warn = r.warn === undefined ? [] : names(r.warn, [...p, 'warn']);
      warn.forEach((n, i) => {
        if (allow.includes(n)) reader.fail([...p, 'warn', i], `${JSON.stringify(n)} is also in ${formatPath([...p, 'allow'])}`);
      });
      return { allow, warn };
    });
  const strings = (v: Json, p: Path): Record<string, string> => {
    const r = reader.object(v, p, Object.keys(isObject(v) ? v : {}), 'an object of reasons by algorithm name');
    return Object.fromEntries(Object.entries(r).map(([k, text]) => [k, reader.string(text, [...p, k])]));
  };
  return {
    kex: rules('kex'),
    hostKey: rules('hostKey'),
    cipher: rules('cipher'),
    mac: rules('mac'),
    markers: field(reader, o, 'markers', path, parent?.markers ?? [], 'a list of SSH algorithm names', names),
    reasons: field(reader, o, 'reasons', path, parent?.reasons ?? {}, 'an object of reasons by algorithm name', strings),
    notes: field(reader, o, 'notes', path, parent?.notes ?? { markers: `${id}: markers are never judged`, compression: `${id}: compression is reported, never judged` }, 'an object with "markers" and "compression" notes', (v, p) => {
      const n = reader.object(v, p, SSH_NOTE_KEYS, 'an object with "markers" and "compression" notes');
      return { markers: reader.string(n.markers, [...p, 'markers']), compression: reader.string(n.compression, [...p, 'compression']) };
    }),
  };
}

/**
 * Each rule's source: the file's own, else the parent's (with `extends`), else a line saying that
 * this custom policy names none, so that a report never shows a finding without a source.
 */
function readSources(reader: Reader, value: Json | undefined, parent: Policy['sources'] | undefined, id: string, version: string): Policy['sources'] {
  const path: Path = ['sources'];
  const own = value === undefined ? {} : reader.object(value, path, RULE_IDS, 'an object of sources by rule');
  const entries = RULE_IDS.map((rule): [RuleId, string] => {
    const text = own[rule];
    if (text !== undefined) return [rule, reader.string(text, [...path, rule])];
    return [rule, parent?.[rule] ?? `${id} ${version}: a custom policy that names no source for this rule`];
  });
  return Object.fromEntries(entries) as Policy['sources'];
}

/**
 * Parses a JSON policy. `source` names it in error messages (usually the file name).
 * Throws PolicyError (code EPOLICY) with a one-line message on any problem.
 */
export function parsePolicy(text: string, source: string): Policy {
  const reader = new Reader(source);
  let doc: Json;
  try {
    doc = JSON.parse(text) as Json;
  } catch (err) {
    const why = (err as Error).message.replace(/\s*\n\s*/g, ' ');
    throw new PolicyError(`${source}: invalid JSON: ${why}`, source, null);
  }
  const o = reader.object(doc, [], TOP_KEYS, 'a JSON object');
  let parent: Policy | undefined;
  if (o.extends !== undefined) {
    const ids = BUILTIN_POLICIES.map((p) => p.id);
    parent = typeof o.extends === 'string' ? builtinPolicy(o.extends) : undefined;
    if (parent === undefined) reader.expected(['extends'], `a built-in policy id (${ids.join(', ')})`, o.extends);
  }
  const id = field(reader, o, 'id', [], undefined, 'a policy id', (v, p) => {
    const s = reader.string(v, p);
    if (!/^[A-Za-z0-9][A-Za-z0-9._-]*$/.test(s)) reader.expected(p, 'an id of letters, digits, ".", "_" and "-"', v);
    return s;
  }, ALWAYS);
  const text_ = (key: string, inherited: string | undefined, missing = UNLESS_EXTENDS): string =>
    field(reader, o, key, [], inherited, 'a non-empty string', (v, p) => reader.string(v, p), missing);
  const rules = (key: string, kind: ItemKind, inherited: ItemRules | undefined, check?: (id: number, p: Path, v: Json) => void): ItemRules =>
    field(reader, o, key, [], inherited, 'an object with "allow" and "warn" lists', (v, p) => reader.itemRules(kind, v, p, check));
  const version = text_('version', undefined, ALWAYS);
  const policy: Policy = {
    id,
    version,
    title: text_('title', parent ? `${id}, based on ${parent.title}` : undefined),
    basis: text_('basis', parent ? `${parent.id} ${parent.version} with changes; ${parent.basis}` : undefined),
    protocols: readProtocols(reader, o.protocols, parent?.protocols),
    tls12Suites: rules('tls12Suites', 'suite', parent?.tls12Suites, suiteVersionCheck(reader, false)),
    tls13Suites: rules('tls13Suites', 'suite', parent?.tls13Suites, suiteVersionCheck(reader, true)),
    groups: rules('groups', 'group', parent?.groups),
    signatureSchemes: rules('signatureSchemes', 'scheme', parent?.signatureSchemes),
    dhMinBits: field(reader, o, 'dhMinBits', [], parent?.dhMinBits, 'a whole number of bits', (v, p) => reader.bits(v, p)),
    // A rule newer than the file format's first version: a file without it keeps its old meaning.
    dhNamedGroupsOnly: field(reader, o, 'dhNamedGroupsOnly', [], parent?.dhNamedGroupsOnly ?? false, 'true or false', (v, p) => reader.boolean(v, p)),
    certificate: readCertificate(reader, o.certificate, parent?.certificate),
    require: readRequire(reader, o.require, parent?.require),
    ssh: readSsh(reader, o.ssh, parent?.ssh, id),
    sources: readSources(reader, o.sources, parent?.sources, id, version),
  };
  return deepFreeze(policy);
}
