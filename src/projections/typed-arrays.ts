/** The array with room for `capacity` elements: itself when it has it, else a larger copy. */
export function grown<A extends Int32Array | Float64Array | Uint8Array>(array: A, capacity: number): A {
  if (capacity <= array.length) return array;
  const next = new (array.constructor as new (n: number) => A)(capacity);
  next.set(array);
  return next;
}
