import { z } from "zod";
import { intLike } from "./integers.ts";
import { optionalQuery } from "./openapi.ts";
import { ValidationFailed } from "./problem.ts";

export const DEFAULT_PAGE_SIZE = 20;
export const MAX_PAGE_SIZE = 100;

/** The order of a list by its key: `desc` newest first (the default of lists by id), `asc` oldest first. */
export const Order = z.enum(["asc", "desc"]);
export type Order = z.infer<typeof Order>;

/** Where a cursor points: past `last` in `order`. */
export interface CursorPosition<K> {
  order: Order;
  last: K;
}

/**
 * Cursors are opaque to clients: the order they were issued in and the last id seen,
 * base64url-encoded. `id:<n>`, the form issued before lists had an order, reads as newest first.
 */
export const encodeCursor = (lastId: number, order: Order = "desc") => Buffer.from(`${order}:${lastId}`).toString("base64url");

export const Cursor = z
  .string()
  .transform((raw, ctx): CursorPosition<number> => {
    const match = /^(asc|desc|id):(\d{1,15})$/.exec(Buffer.from(raw, "base64url").toString());
    if (!match) {
      ctx.addIssue({ code: "custom", message: "is not a cursor this API issued" });
      return z.NEVER;
    }
    return { order: match[1] === "asc" ? "asc" : "desc", last: Number(match[2]) };
  });

/** The `order` query parameter, described with what its absence means. */
export const orderQuery = (absent: string) =>
  optionalQuery(Order).openapi({
    description: `\`asc\` or \`desc\`; ${absent}. A cursor keeps the order it was issued in: without order it walks on in that order, and an order that contradicts it is 400.`,
  });

export const PageQuery = {
  limit: optionalQuery(intLike(1, MAX_PAGE_SIZE)).default(DEFAULT_PAGE_SIZE),
  order: orderQuery("without it, newest first (`desc`); `asc` lists oldest first"),
  cursor: optionalQuery(Cursor),
};

/** One page as a store reads it: `limit` rows in `order`, past the key `after` when a cursor gave one. */
export interface PageRequest<K = number> {
  limit: number;
  order: Order;
  after?: K;
}

/**
 * The page a list query asks for. Without `order`, a cursor keeps the order it was issued in,
 * so following `nextCursor` alone walks on; an `order` that contradicts the cursor is refused,
 * since the rows past it in one order are the rows the other order has already shown.
 */
export function pageRequest<K = number>(
  q: { limit: number; order?: Order | undefined; cursor?: CursorPosition<K> | undefined },
  defaultOrder: Order = "desc",
): PageRequest<K> {
  const order = q.order ?? q.cursor?.order ?? defaultOrder;
  if (!q.cursor) return { limit: q.limit, order };
  if (q.cursor.order !== order) {
    throw new ValidationFailed(
      [{ path: "cursor", message: `was issued for order=${q.cursor.order}, not order=${order}: follow it without order, or start again without the cursor` }],
      `cursor: was issued for order=${q.cursor.order}, not order=${order}.`,
    );
  }
  return { limit: q.limit, order, after: q.cursor.last };
}

export interface Page<T> {
  items: T[];
  nextCursor: string | null;
}

/** Rows fetched with `limit + 1` become a page and the cursor to the next one. */
export function toPage<R extends { id: number }, T>(rows: R[], page: { limit: number; order: Order }, render: (r: R) => T): Page<T> {
  const items = rows.slice(0, page.limit);
  const last = items.at(-1);
  return { items: items.map(render), nextCursor: rows.length > page.limit && last ? encodeCursor(last.id, page.order) : null };
}
