import { grown } from './typed-arrays';

/**
 * What a list at a cut needs of every entity of one kind and of each of its events, in typed arrays: an entity's
 * bounds (days, recordedAt, where in the log it starts) and, per event, its effective day, its recordedAt and the
 * facets after it (a FacetTable code), with a link to the entity's next event. A list of 160,000 partners at a cut
 * is then a pass over numbers, without an object per entity (see EntityIndex.listAt).
 *
 * Entities are numbered in the order of their first events; events in the order they were applied.
 */
export interface KindColumnsSnapshot {
  entities: Int32Array[];
  entityTimes: Float64Array[];
  events: Int32Array[];
  eventTimes: Float64Array;
}

const NONE = -1;

export class KindColumns {
  entityCount = 0;
  eventCount = 0;
  firstEvent = new Int32Array(16);
  lastEvent = new Int32Array(16);
  /** the ordinal in the log (0 for its first event) of the entity's first event */
  firstOrdinal = new Int32Array(16);
  minDay = new Int32Array(16);
  maxDay = new Int32Array(16);
  minRecordedAt = new Float64Array(16);
  maxRecordedAt = new Float64Array(16);
  eventDay = new Int32Array(64);
  eventRecordedAt = new Float64Array(64);
  eventCode = new Int32Array(64);
  /** the entity's next event, or -1 */
  eventNext = new Int32Array(64);

  /** Adds an entity with its first event; returns the entity's number. */
  addEntity(ordinal: number, day: number, recordedAt: number, code: number): number {
    if (this.entityCount === this.firstEvent.length) this.growEntities(this.entityCount * 2);
    const n = this.entityCount++;
    const event = this.pushEvent(day, recordedAt, code);
    this.firstEvent[n] = event;
    this.lastEvent[n] = event;
    this.firstOrdinal[n] = ordinal;
    this.minDay[n] = day;
    this.maxDay[n] = day;
    this.minRecordedAt[n] = recordedAt;
    this.maxRecordedAt[n] = recordedAt;
    return n;
  }

  addEvent(entity: number, day: number, recordedAt: number, code: number): void {
    const event = this.pushEvent(day, recordedAt, code);
    this.eventNext[this.lastEvent[entity]!] = event;
    this.lastEvent[entity] = event;
    if (day < this.minDay[entity]!) this.minDay[entity] = day;
    if (day > this.maxDay[entity]!) this.maxDay[entity] = day;
    if (recordedAt < this.minRecordedAt[entity]!) this.minRecordedAt[entity] = recordedAt;
    if (recordedAt > this.maxRecordedAt[entity]!) this.maxRecordedAt[entity] = recordedAt;
  }

  private pushEvent(day: number, recordedAt: number, code: number): number {
    if (this.eventCount === this.eventDay.length) this.growEvents(this.eventCount * 2);
    const e = this.eventCount++;
    this.eventDay[e] = day;
    this.eventRecordedAt[e] = recordedAt;
    this.eventCode[e] = code;
    this.eventNext[e] = NONE;
    return e;
  }

  snapshot(): KindColumnsSnapshot {
    const n = this.entityCount;
    const m = this.eventCount;
    return {
      entities: [this.firstEvent, this.lastEvent, this.firstOrdinal, this.minDay, this.maxDay].map((a) => a.slice(0, n)),
      entityTimes: [this.minRecordedAt, this.maxRecordedAt].map((a) => a.slice(0, n)),
      events: [this.eventDay, this.eventCode, this.eventNext].map((a) => a.slice(0, m)),
      eventTimes: this.eventRecordedAt.slice(0, m),
    };
  }

  static restore(s: KindColumnsSnapshot): KindColumns {
    const c = new KindColumns();
    const n = s.entities[0]?.length ?? 0;
    const m = s.eventTimes?.length ?? 0;
    const ok =
      s.entities.length === 5 &&
      s.entityTimes.length === 2 &&
      s.events.length === 3 &&
      [...s.entities, ...s.entityTimes].every((a) => a.length === n) &&
      s.events.every((a) => a.length === m);
    if (!ok) throw new RangeError('kind columns differ in length');
    c.growEntities(Math.max(16, n));
    c.growEvents(Math.max(64, m));
    [c.firstEvent, c.lastEvent, c.firstOrdinal, c.minDay, c.maxDay].forEach((a, i) => a.set(s.entities[i]!));
    [c.minRecordedAt, c.maxRecordedAt].forEach((a, i) => a.set(s.entityTimes[i]!));
    [c.eventDay, c.eventCode, c.eventNext].forEach((a, i) => a.set(s.events[i]!));
    c.eventRecordedAt.set(s.eventTimes);
    c.entityCount = n;
    c.eventCount = m;
    return c;
  }

  private growEntities(capacity: number): void {
    this.firstEvent = grown(this.firstEvent, capacity);
    this.lastEvent = grown(this.lastEvent, capacity);
    this.firstOrdinal = grown(this.firstOrdinal, capacity);
    this.minDay = grown(this.minDay, capacity);
    this.maxDay = grown(this.maxDay, capacity);
    this.minRecordedAt = grown(this.minRecordedAt, capacity);
    this.maxRecordedAt = grown(this.maxRecordedAt, capacity);
  }

  private growEvents(capacity: number): void {
    this.eventDay = grown(this.eventDay, capacity);
    this.eventRecordedAt = grown(this.eventRecordedAt, capacity);
    this.eventCode = grown(this.eventCode, capacity);
    this.eventNext = grown(this.eventNext, capacity);
  }
}
