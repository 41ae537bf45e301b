// Keyset paging for list endpoints: `?limit=` (1–1000) and `?before=<id of the last item seen>`, newest first. When
// more items follow, the answer carries a `Link: <…?before=…>; rel="next"` header (as GitHub's API does), so a
// client never mistakes a full page for the whole list.
import type { Request, Response } from 'express';
import { invalid } from '@fasit/domain';

export const MAX_PAGE = 1000;

export function pageLimit(limit: string | undefined, fallback: number): number {
  const n = limit === undefined ? fallback : Number(limit);
  if (!Number.isInteger(n) || n < 1 || n > MAX_PAGE) throw invalid(`limit: an integer from 1 to ${MAX_PAGE}`, 'limit');
  return n;
}

/** Returns the first `limit` of `rows` (asked for with `limit + 1`) and links the next page when there are more. */
export function page<T>(rows: T[], limit: number, idOf: (row: T) => string, req: Request, res: Response): T[] {
  if (rows.length <= limit) return rows;
  const items = rows.slice(0, limit);
  const url = new URL(req.originalUrl, 'http://fasit.invalid');
  url.searchParams.set('before', idOf(items[items.length - 1]!));
  url.searchParams.set('limit', String(limit));
  res.setHeader('Link', `<${url.pathname}${url.search}>; rel="next"`);
  return items;
}
