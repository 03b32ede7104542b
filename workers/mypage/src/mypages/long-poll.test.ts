import { afterEach, beforeEach, expect, jest, test } from "bun:test";
import { getEventListeners } from "node:events";
import { lookUntil, REREAD_MS } from "./long-poll.ts";
import { RowChanges } from "./row-changes.ts";

/**
 * A parked reader's client signal, on a fake clock: each look that says "not yet" parks
 * until a re-read comes due (the test moves the clock), so the reader looks again and again.
 */

let changes: RowChanges;
let client: AbortController;
let looks: number;

beforeEach(() => {
  jest.useFakeTimers();
  changes = new RowChanges();
  client = new AbortController();
  looks = 0;
});
afterEach(() => void jest.useRealTimers());

/** Lets the event loop turn until `done` holds (what needs no clock happens within a few turns). */
async function until(done: () => boolean, what: string) {
  for (let turn = 0; !done(); turn++) {
    if (turn === 1_000) throw new Error(`${what}: not after 1 000 turns of the event loop`);
    await new Promise((resolve) => setImmediate(resolve));
  }
}
const waiting = (waitMs: number) =>
  lookUntil({ changes, rentalId: 1, waitMs, signal: client.signal }, async () => ({ done: false, answer: ++looks }));
const parkedAfterLook = (n: number) => until(() => looks === n && changes.parked === 1 && jest.getTimerCount() === 1, `look ${n} parked`);
const abortListeners = () => getEventListeners(client.signal, "abort").length;

test("looking again and again keeps one abort listener, and the client going away answers after one last look, the clock standing still", async () => {
  const answer = waiting(5_000);
  for (let n = 1; n <= 3; n++) {
    await parkedAfterLook(n);
    expect(abortListeners()).toBe(1);
    jest.advanceTimersByTime(REREAD_MS);
  }
  await parkedAfterLook(4);
  client.abort();
  expect(await answer).toBe(5);
  expect(changes.parked).toBe(0);
});

test("a wait that ends at its deadline leaves no listener on the client's signal", async () => {
  const answer = waiting(2 * REREAD_MS);
  await parkedAfterLook(1);
  jest.advanceTimersByTime(REREAD_MS);
  await parkedAfterLook(2);
  jest.advanceTimersByTime(REREAD_MS);
  expect(await answer).toBe(3);
  expect(abortListeners()).toBe(0);
});
