/**
 * A JSON Schema (draft 2020-12) validator for the subset fixtures/schema/ uses, because the
 * project takes no schema library as a dependency: type (one or a list), properties, required,
 * additionalProperties (false or true only), items, enum, const, pattern, minimum, anyOf,
 * oneOf and local $ref into $defs. Any other keyword throws, so the schema cannot grow a
 * constraint this validator would silently skip.
 */

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
export type Schema = { [keyword: string]: unknown } | boolean;

const ANNOTATIONS = new Set(['$schema', '$id', '$defs', 'title', 'description']);
const ASSERTIONS = new Set([
  'type', 'properties', 'required', 'additionalProperties', 'items', 'enum', 'const', 'pattern', 'minimum', 'anyOf', 'oneOf', '$ref',
]);

function typeOf(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  return typeof value;
}

function hasType(value: unknown, type: string): boolean {
  switch (type) {
    case 'integer':
      return typeof value === 'number' && Number.isInteger(value);
    case 'number':
      return typeof value === 'number' && Number.isFinite(value);
    case 'object':
      return typeOf(value) === 'object';
    case 'null':
    case 'boolean':
    case 'string':
    case 'array':
      return typeOf(value) === type;
    default:
      throw new Error(`schema: unknown type ${JSON.stringify(type)}`);
  }
}

/** Structural equality of JSON values (object key order ignored). */
function equal(a: unknown, b: unknown): boolean {
  if (typeOf(a) !== typeOf(b)) return false;
  if (Array.isArray(a) && Array.isArray(b)) return a.length === b.length && a.every((x, i) => equal(x, b[i]));
  if (typeOf(a) === 'object') {
    const ka = Object.keys(a as object).sort();
    const kb = Object.keys(b as object).sort();
    return equal(ka, kb) && ka.every((k) => equal((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k]));
  }
  return a === b;
}

function resolve(root: Schema, ref: string): Schema {
  const match = /^#\/\$defs\/([A-Za-z0-9_-]+)$/.exec(ref);
  if (ref === '#') return root;
  const defs = typeof root === 'object' ? (root.$defs as Record<string, Schema> | undefined) : undefined;
  const target = match ? defs?.[match[1]!] : undefined;
  if (target === undefined) throw new Error(`schema: cannot resolve $ref ${ref}`);
  return target;
}

function check(schema: Schema, value: unknown, root: Schema, path: string, errors: string[]): void {
  if (schema === true) return;
  if (schema === false) {
    errors.push(`${path}: no value is allowed here`);
    return;
  }
  for (const keyword of Object.keys(schema)) {
    if (!ANNOTATIONS.has(keyword) && !ASSERTIONS.has(keyword)) throw new Error(`schema: keyword ${keyword} at ${path} is outside the supported subset`);
  }
  const s = schema as Record<string, unknown>;
  if (s.additionalProperties !== undefined && typeof s.additionalProperties !== 'boolean') {
    throw new Error(`schema: additionalProperties at ${path} must be true or false`);
  }
  if (s.$ref !== undefined) check(resolve(root, s.$ref as string), value, root, path, errors);
  if (s.type !== undefined) {
    const types = Array.isArray(s.type) ? (s.type as string[]) : [s.type as string];
    if (!types.some((type) => hasType(value, type))) {
      errors.push(`${path}: expected ${types.join(' or ')}, got ${typeOf(value)}`);
      return;
    }
  }
  if (s.const !== undefined && !equal(value, s.const)) errors.push(`${path}: expected ${JSON.stringify(s.const)}`);
  if (s.enum !== undefined && !(s.enum as unknown[]).some((e) => equal(value, e))) {
    errors.push(`${path}: ${JSON.stringify(value)} is not one of ${JSON.stringify(s.enum)}`);
  }
  if (typeof value === 'string' && s.pattern !== undefined && !new RegExp(s.pattern as string, 'u').test(value)) {
    errors.push(`${path}: ${JSON.stringify(value)} does not match ${s.pattern as string}`);
  }
  if (typeof value === 'number' && s.minimum !== undefined && value < (s.minimum as number)) errors.push(`${path}: ${value} < ${s.minimum as number}`);
  if (Array.isArray(value) && s.items !== undefined) value.forEach((item, i) => check(s.items as Schema, item, root, `${path}[${i}]`, errors));
  if (typeOf(value) === 'object') {
    const object = value as Record<string, unknown>;
    const properties = (s.properties ?? {}) as Record<string, Schema>;
    for (const key of (s.required ?? []) as string[]) if (!(key in object)) errors.push(`${path}: missing required property ${key}`);
    for (const [key, item] of Object.entries(object)) {
      const sub = properties[key];
      if (sub !== undefined) check(sub, item, root, `${path}.${key}`, errors);
      else if (s.additionalProperties === false) errors.push(`${path}: unexpected property ${key}`);
    }
  }
  const branches = (key: 'anyOf' | 'oneOf') =>
    (s[key] as Schema[]).map((branch) => {
      const branchErrors: string[] = [];
      check(branch, value, root, path, branchErrors);
      return branchErrors;
    });
  if (s.anyOf !== undefined) {
    const results = branches('anyOf');
    if (!results.some((r) => r.length === 0)) errors.push(`${path}: matches no anyOf branch (${results.map((r) => r.join('; ')).join(' | ')})`);
  }
  if (s.oneOf !== undefined) {
    const matched = branches('oneOf').filter((r) => r.length === 0).length;
    if (matched !== 1) errors.push(`${path}: matches ${matched} oneOf branches, expected exactly 1`);
  }
}

/** Every way `value` breaks `schema` (empty when it is valid); throws on a keyword outside the subset. */
export function validate(schema: Schema, value: unknown, options: { root?: Schema; path?: string } = {}): string[] {
  const errors: string[] = [];
  check(schema, value as Json, options.root ?? schema, options.path ?? '$', errors);
  return errors;
}

/** Throws unless every keyword anywhere in `schema` (including unused $defs) is in the subset. */
export function assertSubset(schema: Schema, path = '#'): void {
  if (typeof schema === 'boolean') return;
  for (const [keyword, value] of Object.entries(schema)) {
    if (!ANNOTATIONS.has(keyword) && !ASSERTIONS.has(keyword)) throw new Error(`schema: keyword ${keyword} at ${path} is outside the supported subset`);
    if (keyword === 'properties' || keyword === '$defs') {
      for (const [name, sub] of Object.entries(value as Record<string, Schema>)) assertSubset(sub, `${path}/${keyword}/${name}`);
    } else if (keyword === 'items') {
      assertSubset(value as Schema, `${path}/items`);
    } else if (keyword === 'anyOf' || keyword === 'oneOf') {
      (value as Schema[]).forEach((sub, i) => assertSubset(sub, `${path}/${keyword}/${i}`));
    } else if (keyword === 'additionalProperties' && typeof value !== 'boolean') {
      throw new Error(`schema: additionalProperties at ${path} must be true or false`);
    }
  }
}
