import { z } from 'zod';

/** Who sits on the board: the seat categories of DOMAIN.md. */
export const seatCategory = z.enum(['ministry', 'municipal', 'chamber', 'association', 'union', 'welfare']);
export type SeatCategory = z.infer<typeof seatCategory>;
export const seatCategories = seatCategory.options;

const seatCount = z.number().int().min(0).max(100);
export const seats = z
  .object({
    ministry: seatCount,
    municipal: seatCount,
    chamber: seatCount,
    association: seatCount,
    union: seatCount,
    welfare: seatCount,
  })
  .strict();
export type Seats = z.infer<typeof seats>;

export const memberRole = z.enum(['chair', 'deputy-chair', 'member']);
export type MemberRole = z.infer<typeof memberRole>;
