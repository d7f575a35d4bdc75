export { EsdbDouble, type EsdbDoubleOptions } from './server';
export type { ActiveRead } from './reads';
export type { LoggedEvent, ProposedEvent, Expectation } from './log';
