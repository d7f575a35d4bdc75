/**
 * A copy of the list with the item at `at` replaced. States are never changed in place, and a block copy of an array
 * stays cheap where a record keyed by id would be rebuilt key by key.
 */
export function replaced<T>(items: readonly T[], at: number, item: T): T[] {
  const copy = items.slice();
  copy[at] = item;
  return copy;
}
