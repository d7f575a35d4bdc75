/** Read models: the projections of the log that the API and the CLI read (see as-of.ts for asOf/knownAt). */
export { resolveCut, stateAt, eventsAt, today, type Cut, type ResolvedCut } from './as-of';
export { EntityIndex, type EntityIndexOptions } from './entity-index';
export type { Entity, KeptEvent } from './entity';
export { entityKinds, entityOfStream, type EntityKind, type StateOf } from './kinds';
export { ReadModelSet, SnapshotBlob, SnapshotMismatch, decodeSnapshot, type Checkpoint, type Projection } from './projection';
export { ReadModels, createReadModels, type ReadQuery } from './read-models';
export { ProjectionRunner, ProjectionFailed, ProjectionTimeout, type RunnerOptions, type RunnerLog, type WaitOptions } from './runner';
export { rebuild, type RebuildOptions, type RebuildProgress, type RebuildReport } from './rebuild';
export { oneAtATime } from './one-at-a-time';
export { readSnapshotFile, writeSnapshotFile } from './snapshot-file';
export type { ListResult, PageRequest, RevealPersonalData, ViewOptions } from './views/shared';
export type { AllianceJson } from './views/alliance';
export type { BoardJson, MemberJson, DeputyJson } from './views/board';
export type { GroupJson, GroupFilter } from './views/groups';
export type { MeetingJson, MeetingFilter } from './views/meetings';
export type { PartnerJson, PartnerFilter, ContactJson } from './views/partners';
export type { PatronJson, StatementJson, StatementFilter } from './views/patron';
export type { ResolutionJson, ResolutionFilter } from './views/resolutions';
