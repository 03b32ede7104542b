import { expect } from "bun:test";

/** One answer of a list route, as a test reads it from `app.request()`. */
export interface ListAnswer {
  status: number;
  body: any;
}

/** Follows `nextCursor` from the first page to the last, the query kept as it was: every item's key, page after page. */
export async function walkList(get: (path: string) => Promise<ListAnswer>, first: string, key: (item: any) => unknown): Promise<unknown[]> {
  const seen: unknown[] = [];
  let answer = await get(first);
  for (;;) {
    expect(answer.status).toBe(200);
    seen.push(...answer.body.items.map(key));
    if (answer.body.nextCursor === null) return seen;
    answer = await get(`${first}&cursor=${answer.body.nextCursor}`);
  }
}

/**
 * The checks every list's order passes: with `order=asc` the keys come as `ascending` says,
 * with `order=desc` backwards, without it in the list's default order, two to a page without
 * gaps or repeats; a cursor alone walks on in its own order; a bad `order`, and a cursor used
 * with the other order, are 400 problems naming the field. `path` may carry filters
 * (`/rentals?status=Reserved`).
 */
export async function expectListOrders(
  get: (path: string) => Promise<ListAnswer>,
  path: string,
  ascending: unknown[],
  { key = (item: any) => item.id, defaultOrder = "desc" }: { key?: (item: any) => unknown; defaultOrder?: "asc" | "desc" } = {},
): Promise<void> {
  const join = path.includes("?") ? "&" : "?";
  const descending = ascending.toReversed();
  expect(await walkList(get, `${path}${join}order=asc&limit=2`, key)).toEqual(ascending);
  expect(await walkList(get, `${path}${join}order=desc&limit=2`, key)).toEqual(descending);
  expect(await walkList(get, `${path}${join}limit=2`, key)).toEqual(defaultOrder === "asc" ? ascending : descending);

  const bad = await get(`${path}${join}order=sideways`);
  expect(bad.status).toBe(400);
  expect(bad.body.errors).toEqual([{ path: "order", message: expect.any(String) }]);

  const firstAscending = await get(`${path}${join}order=asc&limit=1`);
  expect(firstAscending.body.nextCursor).toEqual(expect.any(String));
  const walkedOn = await get(`${path}${join}limit=1&cursor=${firstAscending.body.nextCursor}`);
  expect(walkedOn.body.items.map(key)).toEqual([ascending[1]]);
  const mixed = await get(`${path}${join}order=desc&limit=1&cursor=${firstAscending.body.nextCursor}`);
  expect(mixed.status).toBe(400);
  expect(mixed.body.errors).toEqual([{ path: "cursor", message: expect.stringContaining("order=asc") }]);
}
