import type { z } from 'zod';
import { eventSchemas } from '../domain/events';
import { personalData } from '../domain/shared/personal';

/** Where an event type holds a person's data: the object's path and its personal fields (beside its `subjectId`). */
export interface SubjectHolder {
  path: readonly string[];
  fields: readonly string[];
}

type Def = { type: string; innerType?: z.ZodType; shape?: Record<string, z.ZodType>; in?: z.ZodType; element?: z.ZodType };

function defOf(schema: z.ZodType): Def {
  return (schema as unknown as { _zod: { def: Def } })._zod.def;
}

/** Sees through optional/nullable/default/readonly wrappers; a personal mark may sit on the wrapper or inside. */
function isPersonal(schema: z.ZodType): boolean {
  for (let s: z.ZodType | undefined = schema; s; s = defOf(s).innerType) if (personalData.has(s)) return true;
  return false;
}

function unwrap(schema: z.ZodType): z.ZodType {
  let s = schema;
  for (let inner = defOf(s).innerType; inner; inner = defOf(s).innerType) s = inner;
  return s;
}

/** The holders of personal data in a schema: objects with a `subjectId` and fields marked `personal`. */
export function subjectHolders(schema: z.ZodType, path: string[] = []): SubjectHolder[] {
  const def = defOf(unwrap(schema));
  if (def.type !== 'object' || !def.shape) return [];
  const shape = (unwrap(schema) as unknown as { shape: Record<string, z.ZodType> }).shape;
  const fields = Object.entries(shape)
    .filter(([, s]) => isPersonal(s))
    .map(([name]) => name);
  const here: SubjectHolder[] = fields.length > 0 && 'subjectId' in shape ? [{ path, fields }] : [];
  const nested = Object.entries(shape).flatMap(([name, s]) => subjectHolders(s, [...path, name]));
  return [...here, ...nested];
}

/** For every event type, where it holds personal data (types without any are left out). */
export const personalDataByEventType: ReadonlyMap<string, readonly SubjectHolder[]> = new Map(
  Object.entries(eventSchemas)
    .map(([type, schema]) => [type, subjectHolders(schema as z.ZodType)] as const)
    .filter(([, holders]) => holders.length > 0),
);
