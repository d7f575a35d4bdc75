import fc from 'fast-check';

/**
 * fast-check arbitraries for request bodies, drawn from the server's own OpenAPI document (the JSON Schemas the
 * zod schemas generate): bodies of the right shape with hostile values, and bodies with one defect that makes them
 * certainly wrong (so that a 2xx or an appended event is a finding).
 */
export interface JsonSchema {
  type?: string | string[];
  properties?: Record<string, JsonSchema>;
  required?: string[];
  additionalProperties?: boolean | JsonSchema;
  items?: JsonSchema;
  enum?: unknown[];
  anyOf?: JsonSchema[];
  oneOf?: JsonSchema[];
  format?: string;
  pattern?: string;
  minLength?: number;
  maxLength?: number;
  minimum?: number;
  maximum?: number;
  exclusiveMinimum?: number;
  exclusiveMaximum?: number;
  minItems?: number;
  maxItems?: number;
  default?: unknown;
  $ref?: string;
}

export interface Pools {
  /** ids that exist in the ledger (members, partners, meetings, …): a uuid field takes one of these half the time */
  ids: readonly string[];
}

const DATE_PATTERN = '^(\\d{4})-(\\d{2})-(\\d{2})$';

/** Strings a parser or a store may choke on: control characters, lone surrogates, bidi overrides, NUL, long runs. */
export const nastyString = (min = 0, max = 60): fc.Arbitrary<string> =>
  fc
    .oneof(
      { weight: 3, arbitrary: fc.string({ minLength: min, maxLength: max }) },
      { weight: 2, arbitrary: fc.string({ minLength: min, maxLength: max, unit: 'grapheme' }) },
      { weight: 2, arbitrary: fc.string({ minLength: min, maxLength: max, unit: 'binary' }) },
      {
        weight: 2,
        arbitrary: fc
          .array(fc.constantFrom('\u0000', '\ud800', '\udfff', '\u202e', '\ufeff', '\u2028', '𝔘', 'é', 'ß', '"', '\\', '</script>', '${x}', '%00', '\r\n', ' '), {
            minLength: Math.max(1, min),
            maxLength: Math.max(1, Math.min(max, 12)),
          })
          .map((parts) => parts.join('')),
      },
    )
    .filter((s) => s.length >= min && s.length <= Math.max(max, min));

const calendarDay = fc
  .record({ y: fc.integer({ min: 2020, max: 2030 }), m: fc.integer({ min: 1, max: 12 }), d: fc.integer({ min: 1, max: 28 }) })
  .map(({ y, m, d }) => `${y}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}`);

/** a day in the shape YYYY-MM-DD: mostly real, sometimes not a calendar day (2025-02-30, 2025-13-01) */
export const dayString = fc.oneof(
  { weight: 8, arbitrary: calendarDay },
  { weight: 1, arbitrary: fc.constantFrom('2025-02-30', '2025-13-01', '2025-00-10', '0000-01-01', '9999-12-31', '2024-02-29') },
);

/** an RFC 3339 instant with a zone: mostly plausible, sometimes at the edges */
export const instantString = fc.oneof(
  { weight: 8, arbitrary: fc.tuple(calendarDay, fc.integer({ min: 0, max: 23 }), fc.integer({ min: 0, max: 59 }), fc.constantFrom('Z', '+01:00', '+02:00', '-05:00')).map(([day, h, m, zone]) => `${day}T${String(h).padStart(2, '0')}:${String(m).padStart(2, '0')}:00${zone}`) },
  { weight: 1, arbitrary: fc.constantFrom('2025-02-30T10:00:00Z', '2025-10-01T24:00:00Z', '2025-10-01T10:00:00.123456789+02:00', '0001-01-01T00:00:00Z') },
);

/** A value that satisfies `schema`'s JSON shape (types, required fields, enums) with hostile content where free. */
export function valueOf(schema: JsonSchema, pools: Pools, depth = 0): fc.Arbitrary<unknown> {
  const branches = schema.anyOf ?? schema.oneOf;
  if (branches) return fc.oneof(...branches.map((b) => valueOf(b, pools, depth + 1)));
  if (schema.enum) return fc.constantFrom(...schema.enum);
  const type = Array.isArray(schema.type) ? schema.type[0] : schema.type;
  switch (type) {
    case 'object':
      return objectOf(schema, pools, depth);
    case 'array': {
      const maxLength = Math.min(schema.maxItems ?? 4, 4);
      return fc.array(valueOf(schema.items ?? {}, pools, depth + 1), { minLength: Math.min(schema.minItems ?? 0, maxLength), maxLength });
    }
    case 'string':
      return stringOf(schema, pools);
    case 'integer':
      return fc.integer({ min: Math.max(schema.minimum ?? -1000, -1_000_000), max: Math.min(schema.maximum ?? 1000, 1_000_000) });
    case 'number':
      return fc.double({ min: schema.minimum ?? -1000, max: schema.maximum ?? 1000, noNaN: true, noDefaultInfinity: true });
    case 'boolean':
      return fc.boolean();
    case 'null':
      return fc.constant(null);
    default:
      return fc.jsonValue({ maxDepth: 2 });
  }
}

function objectOf(schema: JsonSchema, pools: Pools, depth: number): fc.Arbitrary<Record<string, unknown>> {
  const properties = schema.properties ?? {};
  const model: Record<string, fc.Arbitrary<unknown>> = {};
  for (const [key, child] of Object.entries(properties)) model[key] = valueOf(child, pools, depth + 1);
  return fc.record(model, { requiredKeys: (schema.required ?? []).filter((k) => k in properties) }) as fc.Arbitrary<Record<string, unknown>>;
}

function stringOf(schema: JsonSchema, pools: Pools): fc.Arbitrary<string> {
  if (schema.format === 'uuid') return pools.ids.length > 0 ? fc.oneof(fc.constantFrom(...pools.ids), fc.uuid()) : fc.uuid();
  if (schema.format === 'email') return fc.oneof({ weight: 4, arbitrary: fc.emailAddress() }, { weight: 1, arbitrary: nastyString(1, 40) });
  if (schema.format === 'date-time') return instantString;
  if (schema.pattern === DATE_PATTERN) return dayString;
  if (schema.pattern) return fc.stringMatching(new RegExp(schema.pattern)).filter((s) => s.length <= (schema.maxLength ?? 200));
  const min = schema.minLength ?? 0;
  // the maximum itself, and sometimes one past it (a rule of the schema, not of the shape: 422)
  const max = Math.min(schema.maxLength ?? 80, 80);
  return nastyString(min, Math.max(min, max));
}

export type Defect = 'not-an-object' | 'unknown-field' | 'nested-unknown-field' | 'recorded-at' | 'missing-field' | 'wrong-type';

/** A body of `schema` with one defect of the shape: the server must answer 400 and append nothing. */
export function defectiveBody(schema: JsonSchema, pools: Pools): fc.Arbitrary<{ defect: Defect; body: unknown }> {
  const valid = valueOf(schema, pools) as fc.Arbitrary<Record<string, unknown>>;
  const properties = schema.properties ?? {};
  const required = (schema.required ?? []).filter((k) => k in properties);
  const typed = Object.entries(properties).filter(([, s]) => typeof s.type === 'string' && !s.anyOf);
  const nestedObjects = Object.entries(properties).filter(([, s]) => s.type === 'object' && s.properties);
  const unknownKey = fc.string({ minLength: 1, maxLength: 20 }).map((k) => `x-${k}`);
  const options: Array<fc.Arbitrary<{ defect: Defect; body: unknown }>> = [
    fc.oneof(fc.integer(), fc.string(), fc.constant(null), fc.boolean(), fc.array(fc.jsonValue({ maxDepth: 2 }), { maxLength: 5 })).map((body) => ({ defect: 'not-an-object' as const, body })),
    fc.tuple(valid, unknownKey, fc.jsonValue({ maxDepth: 2 })).map(([body, key, value]) => ({ defect: 'unknown-field' as const, body: { ...body, [key]: value } })),
    fc.tuple(valid, instantString).map(([body, at]) => ({ defect: 'recorded-at' as const, body: { ...body, recordedAt: at } })),
  ];
  if (nestedObjects.length > 0) {
    options.push(
      fc.tuple(valid, fc.constantFrom(...nestedObjects.map(([k]) => k)), unknownKey).map(([body, field, key]) => ({
        defect: 'nested-unknown-field' as const,
        body: { ...body, [field]: { ...(body[field] as object | undefined), [key]: 1 } },
      })),
    );
  }
  if (required.length > 0) {
    options.push(
      fc.tuple(valid, fc.constantFrom(...required)).map(([body, field]) => {
        const copy = { ...body };
        delete copy[field];
        return { defect: 'missing-field' as const, body: copy };
      }),
    );
  }
  if (typed.length > 0) {
    options.push(
      fc.tuple(valid, fc.constantFrom(...typed)).chain(([body, [field, s]]) =>
        wrongTypeFor(s.type as string).map((value) => ({ defect: 'wrong-type' as const, body: { ...body, [field]: value } })),
      ),
    );
  }
  return fc.oneof(...options);
}

/** A JSON value whose type is not `type` (null stands for every type: the contract has no nullable fields in bodies). */
function wrongTypeFor(type: string): fc.Arbitrary<unknown> {
  const all: Record<string, fc.Arbitrary<unknown>> = {
    string: fc.string({ maxLength: 10 }),
    number: fc.double({ noNaN: true, noDefaultInfinity: true }),
    boolean: fc.boolean(),
    object: fc.dictionary(fc.string({ maxLength: 5 }), fc.integer(), { maxKeys: 3 }),
    array: fc.array(fc.integer(), { maxLength: 3 }),
    null: fc.constant(null),
  };
  const wrong = Object.entries(all)
    .filter(([name]) => name !== type && !(type === 'integer' && name === 'number'))
    .map(([, arbitrary]) => arbitrary);
  return fc.oneof(...wrong);
}

function notJson(text: string): boolean {
  try {
    JSON.parse(text);
    return false;
  } catch {
    return true;
  }
}

/** Text that is not JSON: cut short, extra commas, single quotes, comments, NaN, binary. */
export const malformedJson: fc.Arbitrary<string> = fc
  .oneof(
    fc.jsonValue({ maxDepth: 3 }).map((v) => JSON.stringify(v)).map((t) => t.slice(0, Math.max(1, t.length - 1)) + (t.endsWith('}') ? ',' : '}}')),
    fc.constantFrom('{', '{"a":}', "{'a':1}", '{"a":1,}', '{"a":NaN}', '{"a":1} {"b":2}', '/* x */ {}', '\u0000', '{"a":"\\x41"}', '[1,2', '{"a":1e}', 'undefined', 'tru'),
    fc.string({ minLength: 1, maxLength: 50 }),
  )
  .filter(notJson);
