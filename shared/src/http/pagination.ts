import { z } from "zod";
import { intLike } from "./integers.ts";
import { optionalQuery } from "./openapi.ts";

export const DEFAULT_PAGE_SIZE = 20;
export const MAX_PAGE_SIZE = 100;

/** Cursors are opaque to clients: the last id seen, base64url-encoded. */
export const encodeCursor = (lastId: number) => Buffer.from(`id:${lastId}`).toString("base64url");

export const Cursor = z
  .string()
  .transform((raw, ctx) => {
    const match = /^id:(\d{1,15})$/.exec(Buffer.from(raw, "base64url").toString());
    if (!match) {
      ctx.addIssue({ code: "custom", message: "is not a cursor this API issued" });
      return z.NEVER;
    }
    return Number(match[1]);
  });

export const PageQuery = {
  limit: optionalQuery(intLike(1, MAX_PAGE_SIZE)).default(DEFAULT_PAGE_SIZE),
  cursor: optionalQuery(Cursor),
};

export interface Page<T> {
  items: T[];
  nextCursor: string | null;
}

/** Rows fetched with `limit + 1` become a page and the cursor to the next one. */
export function toPage<R extends { id: number }, T>(rows: R[], limit: number, render: (r: R) => T): Page<T> {
  const items = rows.slice(0, limit);
  const last = items.at(-1);
  return { items: items.map(render), nextCursor: rows.length > limit && last ? encodeCursor(last.id) : null };
}
