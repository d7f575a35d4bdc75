import type { z } from 'zod';
import { allianceEventSchemas, type AllianceEvent } from './alliance/events';
import { boardEventSchemas, type BoardEvent } from './board/events';
import { groupEventSchemas, type GroupEvent } from './group/events';
import { meetingEventSchemas, type MeetingEvent } from './meeting/events';
import { partnerEventSchemas, type PartnerEvent } from './partner/events';
import { patronEventSchemas, type PatronEvent } from './patron/events';
import { resolutionEventSchemas, type ResolutionEvent } from './resolution/events';
import { subjectEventSchemas, type SubjectEvent } from './subject/events';

/** Every event type of the ledger with its data schema. All are at schema version 1. */
export const eventSchemas = {
  ...allianceEventSchemas,
  ...patronEventSchemas,
  ...boardEventSchemas,
  ...meetingEventSchemas,
  ...resolutionEventSchemas,
  ...partnerEventSchemas,
  ...groupEventSchemas,
  ...subjectEventSchemas,
} as const satisfies Record<string, z.ZodType>;

export type EventType = keyof typeof eventSchemas;
export const CURRENT_SCHEMA_VERSION = 1;

export type LedgerEvent = AllianceEvent | PatronEvent | BoardEvent | MeetingEvent | ResolutionEvent | PartnerEvent | GroupEvent | SubjectEvent;

/** Stream names `<kind>-<id>`, so EventStoreDB's category projection ($ce-partner) works. No personal data. */
export const streams = {
  alliance: 'alliance-main',
  patron: 'patron-main',
  board: 'board-main',
  meeting: (id: string) => `meeting-${id}`,
  resolution: (id: string) => `resolution-${id}`,
  partner: (id: string) => `partner-${id}`,
  group: (id: string) => `group-${id}`,
  subject: (id: string) => `subject-${id}`,
} as const;
