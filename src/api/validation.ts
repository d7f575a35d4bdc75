import { z } from 'zod';
import { problems, type FieldError, type HttpProblem } from './problems';

/**
 * Input validation at the edge.
 *
 * The split between 400 and 422 (API.md: "Bad input is 400, or 422 for well-formed JSON that breaks a schema rule"):
 * - 400 Bad Request: the request has the wrong *shape*. The body is not JSON, not an object, nested too deeply,
 *   has a field the contract does not name (including `recordedAt`), lacks a required field, or a field has the
 *   wrong JSON type (a string where a number belongs, a number beyond what JSON numbers can carry) or the variant
 *   of a union cannot be identified because its discriminator is missing. Query strings and path parameters are
 *   always 400: they are not JSON, and a wrong one is a malformed request.
 * - 422 Unprocessable Content: the body has the right shape, every field the right JSON type, but a value breaks a
 *   rule of its schema: a format (date, e-mail, uuid), a length or range, an enum value, a refinement such as
 *   "a calendar date" (2024-02-30).
 * When a body has both kinds of issues it is 400 and all issues are listed.
 */

/** Deeper than this, a body is refused before it is parsed: no legitimate command nests so far. */
export const MAX_JSON_DEPTH = 32;

/**
 * At most this many field errors are listed in a problem: a body with thousands of unknown or wrong fields gets a
 * short answer, not one that echoes every field (a 1 MB body of 60,000 unknown fields answered 7.7 MB before).
 */
export const MAX_LISTED_ERRORS = 20;

type Issue = z.core.$ZodIssue;

const STRUCTURAL = new Set(['invalid_type', 'unrecognized_keys']);

export type InputPart = 'body' | 'query' | 'params';

/** Validates one part of the request; answers the parsed value or throws the problem to send. */
export function validate<S extends z.ZodType>(schema: S, input: unknown, part: InputPart): z.output<S> {
  if (part === 'body') refuseServerFields(input);
  const result = schema.safeParse(input);
  if (result.success) return result.data;
  const issues = flatten(result.error.issues, []);
  const all = issues.flatMap(({ issue, path }) => fieldErrors(issue, path, part, input));
  const errors = all.slice(0, MAX_LISTED_ERRORS);
  const structural = part !== 'body' || issues.some(({ issue, path }) => isStructural(issue, path, input));
  const what = part === 'body' ? 'the body' : part === 'query' ? 'the query string' : 'the path';
  const more = all.length > errors.length ? `; and ${all.length - errors.length} more` : '';
  const summary = errors.map((e) => (e.path ? `${e.path}: ${e.message}` : e.message)).join('; ') + more;
  return structural
    ? raise(problems.badRequest(`${what} is not as the contract says: ${summary}`, errors))
    : raise(problems.unprocessable(`${what} breaks a rule of its schema: ${summary}`, errors));
}

function raise(problem: HttpProblem): never {
  throw problem;
}

interface LocatedIssue {
  issue: Issue;
  path: PropertyKey[];
}

/** Record keys and map/set elements nest their issues; unions pick their closest branch themselves (zod 4). */
function flatten(issues: readonly Issue[], prefix: PropertyKey[]): LocatedIssue[] {
  return issues.flatMap((issue) => {
    const path = [...prefix, ...issue.path];
    if ((issue.code === 'invalid_key' || issue.code === 'invalid_element') && issue.issues.length > 0) {
      return flatten(issue.issues, path);
    }
    return [{ issue, path }];
  });
}

function isStructural(issue: Issue, path: PropertyKey[], input: unknown): boolean {
  if (STRUCTURAL.has(issue.code)) return true;
  // a required field that is missing is a matter of shape whatever its schema reports (an enum: invalid_value)
  if (isMissing(input, path)) return true;
  // an enum or a literal given a value of another JSON type (null, a number for a string): a wrong type, not a wrong value
  if (issue.code === 'invalid_value') {
    const value = valueAt(input, path);
    return issue.values.length > 0 && issue.values.every((allowed) => value === null || typeof allowed !== typeof value);
  }
  if (issue.code === 'invalid_union') {
    // no branch identified: structural when the value that should tell the branch is missing or not a scalar
    if (issue.errors.length === 0) {
      const value = valueAt(input, path);
      return value === undefined || (typeof value === 'object' && value !== null);
    }
    return issue.errors.every((branch) => branch.some((i) => isStructural(i, [...path, ...i.path], input)));
  }
  return false;
}

/** The field at `path` is absent from an object that is there. */
function isMissing(input: unknown, path: PropertyKey[]): boolean {
  if (path.length === 0) return false;
  const parent = valueAt(input, path.slice(0, -1));
  return typeof parent === 'object' && parent !== null && !Array.isArray(parent) && !Object.hasOwn(parent, path[path.length - 1]!);
}

function valueAt(input: unknown, path: PropertyKey[]): unknown {
  let value = input;
  for (const key of path) {
    if (typeof value !== 'object' || value === null) return undefined;
    value = (value as Record<PropertyKey, unknown>)[key];
  }
  return value;
}

function fieldErrors(issue: Issue, path: PropertyKey[], part: InputPart, input: unknown): FieldError[] {
  const dotted = path.map(String).join('.');
  const noun = part === 'query' ? 'query parameter' : 'field';
  if (issue.code === 'unrecognized_keys') {
    return issue.keys.map((k) => ({ path: dotted ? `${dotted}.${k}` : k, message: `unknown ${noun}: the contract does not name it` }));
  }
  if ((issue.code === 'invalid_type' && issue.message.endsWith('received undefined')) || (part === 'body' && isMissing(input, path))) {
    return [{ path: dotted, message: `required ${noun} is missing` }];
  }
  return [{ path: dotted, message: issue.message }];
}

/** Fields only the server sets. Refused by name, with a message that says why, wherever they appear in a body. */
const SERVER_FIELDS = new Set(['recordedAt']);

export function refuseServerFields(body: unknown): void {
  const stack: Array<{ value: unknown; path: string }> = [{ value: body, path: '' }];
  while (stack.length > 0) {
    const { value, path } = stack.pop()!;
    if (typeof value !== 'object' || value === null) continue;
    for (const [key, child] of Object.entries(value)) {
      const childPath = path ? `${path}.${key}` : key;
      if (!Array.isArray(value) && SERVER_FIELDS.has(key)) {
        throw problems.badRequest(`${key} is set by the server when it records an event; a caller cannot send it`, [
          { path: childPath, message: `${key} is set by the server and cannot be sent` },
        ]);
      }
      stack.push({ value: child, path: childPath });
    }
  }
}

/**
 * Refuses JSON text nested deeper than `limit` (objects and arrays), by scanning the bytes before they are parsed:
 * brackets inside strings do not count. UTF-8 never puts `"`, `\`, `[`, `{` inside a multi-byte character,
 * so a byte scan is exact.
 */
export function jsonDepthExceeds(buf: Uint8Array, limit: number = MAX_JSON_DEPTH): boolean {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < buf.length; i++) {
    const c = buf[i]!;
    if (inString) {
      if (c === 0x5c) i++; // backslash: skip the escaped byte
      else if (c === 0x22) inString = false;
    } else if (c === 0x22) inString = true;
    else if (c === 0x7b || c === 0x5b) {
      if (++depth > limit) return true;
    } else if (c === 0x7d || c === 0x5d) depth--;
  }
  return false;
}

type AnySchema = z.ZodType & { _zod: { def: Record<string, unknown> } };

/**
 * The same schema with every object in it strict (unknown keys refused), so that a nested object that was declared
 * without `.strict()` cannot silently drop a field a caller sent. Objects declared `.loose()`/`.catchall()` keep
 * their choice; intersections are left as they are (strict halves would refuse each other's keys).
 * The original schema still serves the OpenAPI document; the strict copy only validates.
 */
export function strictDeep<S extends z.ZodType>(schema: S): S {
  return strictCopy(schema as unknown as AnySchema, new Map()) as unknown as S;
}

const WRAPPERS = new Set(['optional', 'nullable', 'default', 'prefault', 'nonoptional', 'readonly', 'catch', 'success']);

function strictCopy(schema: AnySchema, seen: Map<AnySchema, AnySchema>): AnySchema {
  const done = seen.get(schema);
  if (done) return done;
  const def = schema._zod.def;
  const type = def.type as string;
  const copyDef = (overrides: Record<string, unknown>): Record<string, unknown> =>
    Object.defineProperties({}, { ...Object.getOwnPropertyDescriptors(def), ...Object.getOwnPropertyDescriptors(overrides) });
  const copy = (overrides: Record<string, unknown>): AnySchema => {
    const made = (schema as unknown as { clone(def: unknown): AnySchema }).clone(copyDef(overrides));
    seen.set(schema, made);
    return made;
  };
  const child = (s: unknown) => strictCopy(s as AnySchema, seen);

  if (type === 'object') {
    let shape: Record<string, unknown> | undefined;
    // lazy, like zod's own shape: recursive schemas resolve their members only when first used
    return copy({
      get shape() {
        shape ??= Object.fromEntries(Object.entries(def.shape as Record<string, unknown>).map(([k, v]) => [k, child(v)]));
        return shape;
      },
      catchall: def.catchall === undefined ? z.never() : def.catchall,
    });
  }
  if (WRAPPERS.has(type)) return copy({ innerType: child(def.innerType) });
  if (type === 'array') return copy({ element: child(def.element) });
  if (type === 'union') return copy({ options: (def.options as unknown[]).map(child) });
  if (type === 'pipe') return copy({ in: child(def.in) });
  if (type === 'record') return copy({ valueType: child(def.valueType) });
  if (type === 'tuple') return copy({ items: (def.items as unknown[]).map(child), rest: def.rest ? child(def.rest) : def.rest });
  if (type === 'lazy') {
    const getter = def.getter as () => unknown;
    return copy({ getter: () => child(getter()) });
  }
  return schema;
}

/**
 * Validation answers of path parameters and query strings, kept by their text: the same id or query comes again
 * and again, and their schemas are pure functions of the text (no clock, no state: keep them so), so the answer
 * does not change. Only answers that are flat objects of strings, numbers and booleans are kept, each handed out as
 * a copy (a handler may change its own); a refusal is not kept (it throws, as `validate` does). Past `capacity`
 * texts it starts afresh.
 */
export class ValidationMemo {
  private readonly kept = new Map<string, Readonly<Record<string, unknown>>>();

  constructor(
    private readonly schema: z.ZodType,
    private readonly part: 'params' | 'query',
    private readonly capacity = 1000,
  ) {}

  /** `validate(schema, input(), part)`, from what was kept for `text` when there is some; no `text`: not kept. */
  validate(text: string | undefined, input: () => unknown): unknown {
    if (text === undefined) return validate(this.schema, input(), this.part);
    const hit = this.kept.get(text);
    if (hit !== undefined) return { ...hit };
    const value = validate(this.schema, input(), this.part);
    if (isFlat(value)) {
      if (this.kept.size >= this.capacity) this.kept.clear();
      this.kept.set(text, { ...value });
    }
    return value;
  }
}

function isFlat(value: unknown): value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Object.getPrototypeOf(value) !== Object.prototype) return false;
  for (const key in value) {
    const field = (value as Record<string, unknown>)[key];
    if (typeof field !== 'string' && typeof field !== 'number' && typeof field !== 'boolean') return false;
  }
  return true;
}
