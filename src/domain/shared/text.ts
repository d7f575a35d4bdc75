import { z } from 'zod';

/** Bounded strings, so that no field can carry megabytes. */
export const shortText = z.string().trim().min(1).max(300);
export const longText = z.string().trim().min(1).max(20_000);
export const reference = z.string().trim().min(1).max(500);
export const id = z.uuid();
