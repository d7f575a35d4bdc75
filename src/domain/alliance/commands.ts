import type { z } from 'zod';
import type { Command } from '../shared/decider';
import { allianceConstituted } from './events';

/** POST /v1/alliance/constitution: the body is the event's data, nothing more. */
export const constituteAllianceData = allianceConstituted.strict();
export type ConstituteAllianceData = z.infer<typeof constituteAllianceData>;
export type ConstituteAlliance = Command<'ConstituteAlliance', ConstituteAllianceData>;

export type AllianceCommand = ConstituteAlliance;

export const allianceCommandSchemas = {
  ConstituteAlliance: constituteAllianceData,
} as const;
