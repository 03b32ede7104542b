import { httpClient } from "./http-client.ts";

/** The rate tests' cars have: the default RATE_PER_HOUR, so prices read as before cars existed. */
export const TEST_RATE_PER_HOUR = 1_000;

/**
 * Adds cars to rental's fleet (at `baseUrl`: rental, or the gateway) unless they exist:
 * reservations of an unknown car are refused, and tests name their cars as they go. `headers`
 * carries a manager's token when the stack checks tokens.
 */
export async function addCars(baseUrl: string, ids: Iterable<string>, headers: Record<string, string> = {}): Promise<void> {
  const http = httpClient(baseUrl);
  for (const id of new Set(ids)) {
    const res = await http.post("/cars", { id, model: "Test car", ratePerHour: TEST_RATE_PER_HOUR }, headers);
    if (res.status !== 201 && res.status !== 409) throw new Error(`adding car ${id}: ${res.status} ${res.text}`);
  }
}

const HOUR_MS = 3_600_000;

/**
 * The start of the `n`-th one-hour slot from tomorrow's first full hour on: a load that
 * reserves one car over and over gives each reservation a window of its own.
 */
export function hourSlot(n: number, from = Date.now()): string {
  return new Date((Math.floor(from / HOUR_MS) + 24 + n) * HOUR_MS).toISOString();
}
