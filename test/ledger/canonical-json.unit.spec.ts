import fc from 'fast-check';
import { canonicalForm, canonicalJson } from '../../src/ledger/canonical-json';

function hasArrayIndexKey(value: unknown): boolean {
  if (value === null || typeof value !== 'object') return false;
  if (Array.isArray(value)) return value.some(hasArrayIndexKey);
  return Object.entries(value).some(([key, item]) => /^(0|[1-9]\d*)$/.test(key) || hasArrayIndexKey(item));
}

describe('canonicalForm', () => {
  it('gives the RFC 8785 text of any JSON value, and an equal copy that JSON.stringify writes as that text', () => {
    fc.assert(
      fc.property(fc.jsonValue(), (value) => {
        const { json, copy } = canonicalForm(value);
        expect(json).toBe(canonicalJson(value));
        const asJson = (v: unknown) => JSON.parse(JSON.stringify(v)) as unknown; // -0 is written 0
        expect(asJson(copy)).toEqual(asJson(value));
        if (!hasArrayIndexKey(value)) expect(JSON.stringify(copy)).toBe(json);
      }),
      { numRuns: 500 },
    );
  });

  it('sorts keys by UTF-16 code units, also where JavaScript would order array-index keys first', () => {
    const value = { b: 1, '10': { z: [1, { y: 2, x: 3 }], a: null }, '2': 'two', a: '\u00e4', A: 1, '\ud83d\ude00': 1, '\uffff': 2 };
    const { json, copy } = canonicalForm(value);
    expect(json).toBe(canonicalJson(value));
    expect(json.startsWith('{"10":{"a":null,"z":[1,{"x":3,"y":2}]},"2":"two","A":1,"a":"ä","b":1')).toBe(true);
    expect(copy).toEqual(value);
  });

  it('keeps a key named __proto__ as a key', () => {
    const value = JSON.parse('{"b":1,"__proto__":{"x":1}}') as unknown;
    const { json, copy } = canonicalForm(value);
    expect(json).toBe('{"__proto__":{"x":1},"b":1}');
    expect(JSON.stringify(copy)).toBe(json);
  });

  it('serialises numbers and strings as JCS does', () => {
    const value = { n: [1e21, 1e-7, -0, 0.1 + 0.2, 123456789012345680000], s: 'line\nbreak "quoted" \u0007 \ud800' };
    expect(canonicalForm(value).json).toBe(canonicalJson(value));
  });

  it('refuses a value with no JSON form', () => {
    expect(() => canonicalForm(undefined)).toThrow(TypeError);
  });
});
