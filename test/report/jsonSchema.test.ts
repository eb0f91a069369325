import { readFileSync } from 'node:fs';
import t from 'tap';
import { FIXTURES } from './golden.js';
import { assertSubset, validate, type Schema } from './jsonSchema.js';

// The schema tests rely on this validator, so it must fail where a real one would.

t.test('fipscan-v1.schema.json uses only keywords the test validator implements', async (t) => {
  const schema = JSON.parse(readFileSync(new URL('schema/fipscan-v1.schema.json', FIXTURES), 'utf8')) as Schema;
  t.doesNotThrow(() => assertSubset(schema));
  t.match(schema, { $schema: 'https://json-schema.org/draft/2020-12/schema' });
});

t.test('the validator rejects wrong types, missing and extra properties, enums, consts, patterns, minimums', async (t) => {
  const schema: Schema = {
    type: 'object',
    additionalProperties: false,
    required: ['id', 'kind'],
    properties: {
      id: { type: 'string', pattern: '^0x[0-9a-f]{4}$' },
      kind: { enum: ['a', 'b'] },
      schema: { const: 'v1' },
      n: { type: 'integer', minimum: 0 },
      maybe: { type: ['string', 'null'] },
      list: { type: 'array', items: { $ref: '#/$defs/flag' } },
      either: { anyOf: [{ type: 'null' }, { type: 'object', required: ['code'], properties: { code: { type: 'string' } } }] },
      one: { oneOf: [{ type: 'integer' }, { type: 'number' }] },
    },
    $defs: { flag: { type: 'boolean' } },
  };
  t.same(validate(schema, { id: '0x00ff', kind: 'a', schema: 'v1', n: 3, maybe: null, list: [true], either: { code: 'E' }, one: 1.5 }), []);
  t.ok(validate(schema, { id: '0x00FF', kind: 'a' }).some((e) => e.includes('does not match')));
  t.ok(validate(schema, { id: '0x00ff' }).some((e) => e.includes('missing required property kind')));
  t.ok(validate(schema, { id: '0x00ff', kind: 'c' }).some((e) => e.includes('is not one of')));
  t.ok(validate(schema, { id: '0x00ff', kind: 'a', extra: 1 }).some((e) => e.includes('unexpected property extra')));
  t.ok(validate(schema, { id: '0x00ff', kind: 'a', schema: 'v2' }).length > 0, 'const');
  t.ok(validate(schema, { id: '0x00ff', kind: 'a', n: -1 }).length > 0, 'minimum');
  t.ok(validate(schema, { id: '0x00ff', kind: 'a', n: 1.5 }).length > 0, 'integer');
  t.ok(validate(schema, { id: '0x00ff', kind: 'a', maybe: 3 }).length > 0, 'type list');
  t.ok(validate(schema, { id: '0x00ff', kind: 'a', list: [true, 'no'] }).some((e) => e.startsWith('$.list[1]')), '$ref in items');
  t.ok(validate(schema, { id: '0x00ff', kind: 'a', either: {} }).length > 0, 'anyOf');
  t.ok(validate(schema, { id: '0x00ff', kind: 'a', one: 1 }).some((e) => e.includes('oneOf')), 'oneOf matching two branches');
  t.ok(validate(schema, []).length > 0, 'array is not an object');
});

t.test('the validator refuses keywords outside its subset instead of skipping them', async (t) => {
  t.throws(() => validate({ type: 'string', format: 'date-time' }, 'x'), /format/);
  t.throws(() => assertSubset({ properties: { a: { maxLength: 3 } } }), /maxLength/);
  t.throws(() => assertSubset({ $defs: { unused: { if: {} } } }), /if/);
  t.throws(() => validate({ additionalProperties: { type: 'string' } }, {}), /additionalProperties/);
});
