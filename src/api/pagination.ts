import type { z as zod } from 'zod';
import { z } from './openapi-zod';

/** Lists are paged with `page` (from 1) and `limit` (default 50, at most 500). Merge into a route's query schema. */
export const pageQuery = z.object({
  page: z.coerce.number().int().min(1).max(1_000_000).default(1).openapi({ description: 'the page, from 1' }),
  limit: z.coerce.number().int().min(1).max(500).default(50).openapi({ description: 'elements per page, at most 500' }),
});
export type PageQuery = zod.output<typeof pageQuery>;

export interface Page<T> {
  data: T[];
  pagination: { totalElements: number; elementsPerPage: number; currentPage: number };
  links: { self: string; next?: string; prev?: string };
}

/** The page of `items` that `query` asks for, with links built from the request's URL (path and query). */
export function paginate<T>(items: readonly T[], query: PageQuery, requestUrl: string): Page<T> {
  const start = (query.page - 1) * query.limit;
  return pageOf(items.slice(start, start + query.limit), items.length, query, requestUrl);
}

/** A page the caller has already cut (e.g. a read model that pages itself), given the total. */
export function pageOf<T>(data: T[], totalElements: number, query: PageQuery, requestUrl: string): Page<T> {
  const links: Page<T>['links'] = { self: withParams(requestUrl, {}) };
  if (query.page * query.limit < totalElements) links.next = withParams(requestUrl, { page: String(query.page + 1) });
  if (query.page > 1) {
    const lastPage = Math.max(1, Math.ceil(totalElements / query.limit));
    links.prev = withParams(requestUrl, { page: String(Math.min(query.page - 1, lastPage)) });
  }
  return { data, pagination: { totalElements, elementsPerPage: query.limit, currentPage: query.page }, links };
}

/**
 * The request URL (path and query, relative to the server: links stay right behind a proxy and do not trust the
 * Host header) with some parameters replaced.
 */
export function withParams(requestUrl: string, replace: Record<string, string>): string {
  const url = new URL(requestUrl, 'http://ledger.invalid');
  for (const [name, value] of Object.entries(replace)) url.searchParams.set(name, value);
  return url.pathname + url.search;
}

/** The OpenAPI shape of a page of `item`. */
export function pageSchema<T extends zod.ZodType>(item: T) {
  return z.object({
    data: z.array(item),
    pagination: z.object({ totalElements: z.number().int(), elementsPerPage: z.number().int(), currentPage: z.number().int() }),
    links: z.object({ self: z.string(), next: z.string().optional(), prev: z.string().optional() }),
  });
}
