import { z } from 'zod';

/**
 * Personal data is marked in the schemas so that the ledger can encrypt it per data subject
 * (crypto-shredding) before hashing. An object holding a person's data carries that person's `subjectId`,
 * an id with no personal data in it; the fields marked `personal` are that subject's data.
 */
export const personalData = z.registry<{ personal: true }>();

export function personal<T extends z.ZodType>(schema: T): T {
  personalData.add(schema, { personal: true });
  return schema;
}

export const subjectId = z.uuid();

/** A person named in the ledger (board member, deputy, patron is a public office holder and is not one). */
export const namedPerson = z.object({
  subjectId,
  name: personal(z.string().trim().min(1).max(200)),
});
export type NamedPerson = z.infer<typeof namedPerson>;

/** A partner's contact person. */
export const contactPerson = z.object({
  subjectId,
  name: personal(z.string().trim().min(1).max(200)),
  email: personal(z.email().max(254)),
  phone: personal(z.string().trim().min(3).max(50)).optional(),
});
export type ContactPerson = z.infer<typeof contactPerson>;
