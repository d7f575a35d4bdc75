import type { Entity } from './entity';
import type { FacetEntry, FacetTable } from './facet-table';
import { grown } from './typed-arrays';

/** An entity in a list at a cut: its facets there, and whether all its events lie inside the cut. */
export interface ListedItem<S> {
  entity: Entity<S>;
  facets: FacetEntry;
  /** every event of the entity lies inside the cut: its state there is its current state */
  whole: boolean;
}

/** A page of a list, as the API counts it: `page` from 1, `limit` items. */
export interface PageRequest {
  page: number;
  limit: number;
}

/**
 * The entities of one kind a list at a cut holds, as numbers (entity, facet code, whole) rather than objects: a list
 * of 100,000 partners costs a pass over their facets and a selection of the page, not 100,000 objects or a sort.
 * Objects are made for the page only.
 */
export class ListedAt<S> {
  private count = 0;
  private numbers = new Int32Array(64);
  private codes = new Int32Array(64);
  private whole = new Uint8Array(64);

  constructor(
    private readonly entities: readonly Entity<S>[],
    private readonly table: FacetTable,
  ) {}

  get total(): number {
    return this.count;
  }

  push(entity: number, code: number, whole: boolean): void {
    if (this.count === this.numbers.length) {
      this.numbers = grown(this.numbers, this.count * 2);
      this.codes = grown(this.codes, this.count * 2);
      this.whole = grown(this.whole, this.count * 2);
    }
    this.numbers[this.count] = entity;
    this.codes[this.count] = code;
    this.whole[this.count] = whole ? 1 : 0;
    this.count += 1;
  }

  /**
   * Newest first (by the facets' day, then by id, both descending: unique, so pages never shift): the requested page,
   * or every item without a request.
   */
  newestFirst(request?: PageRequest): ListedItem<S>[] {
    const total = this.count;
    const from = request ? (request.page - 1) * request.limit : 0;
    const upTo = request ? Math.min(total, request.page * request.limit) : total;
    if (from >= upTo) return [];
    const order = upTo * 4 >= total ? this.sorted() : this.greatest(upTo);
    return order.slice(from, upTo).map((i) => this.item(i));
  }

  /** The i-th item in list order (the order of first events). */
  item(i: number): ListedItem<S> {
    return { entity: this.entities[this.numbers[i]!]!, facets: this.table.entry(this.codes[i]!), whole: this.whole[i] === 1 };
  }

  /** >0 when item i comes before item j in "newest first" */
  private compare(i: number, j: number): number {
    const a = this.table.entry(this.codes[i]!).dayNumber;
    const b = this.table.entry(this.codes[j]!).dayNumber;
    if (a !== b) return a - b;
    const x = this.entities[this.numbers[i]!]!.id;
    const y = this.entities[this.numbers[j]!]!.id;
    return x < y ? -1 : x > y ? 1 : 0;
  }

  private sorted(): number[] {
    const order = Array.from({ length: this.count }, (_, i) => i);
    return order.sort((i, j) => this.compare(j, i));
  }

  /** The k items that come first, in order: a min-heap of k, so O(n log k). */
  private greatest(k: number): number[] {
    const heap: number[] = [];
    const less = (p: number, q: number) => this.compare(heap[p]!, heap[q]!) < 0;
    const swap = (p: number, q: number) => ([heap[p], heap[q]] = [heap[q]!, heap[p]!]);
    for (let i = this.count - 1; i >= 0; i--) {
      if (heap.length < k) {
        heap.push(i);
        for (let c = heap.length - 1; c > 0 && less(c, (c - 1) >> 1); c = (c - 1) >> 1) swap(c, (c - 1) >> 1);
      } else if (this.compare(i, heap[0]!) > 0) {
        heap[0] = i;
        for (let p = 0; ; ) {
          const l = 2 * p + 1;
          const r = l + 1;
          let m = p;
          if (l < heap.length && less(l, m)) m = l;
          if (r < heap.length && less(r, m)) m = r;
          if (m === p) break;
          swap(p, m);
          p = m;
        }
      }
    }
    return heap.sort((i, j) => this.compare(j, i));
  }
}
