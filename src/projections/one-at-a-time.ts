import { BehaviorSubject, concatMap, defer, from, Observable, takeWhile, tap } from 'rxjs';

/**
 * An async iterable (the store's subscription) as an Observable that hands over one item at a time: the next item
 * is pulled from the source only after the handler of the previous one has finished, so no handlers overlap and
 * nothing piles up in between (backpressure: the store is read as fast as the handler goes, no faster).
 * Emits each handler's result. Unsubscribing, completing or failing returns the iterator (closing the subscription).
 */
export function oneAtATime<T, R>(source: AsyncIterable<T>, handle: (item: T) => Promise<R> | R): Observable<R> {
  return defer(() => {
    const iterator = source[Symbol.asyncIterator]();
    const demand = new BehaviorSubject<void>(undefined);
    return demand.pipe(
      concatMap(() => from(iterator.next())),
      takeWhile((result) => !result.done),
      concatMap((result) => from(Promise.resolve(result.value as T).then(handle))),
      // the handler has finished: ask for the next item
      tap({ next: () => demand.next(), finalize: () => void iterator.return?.()?.catch(() => undefined) }),
    );
  });
}
