import type { Overlap } from "../../workers/rental/src/rentals/rental-facts.ts";

/**
 * No two live reservations of one car overlap, over rental's whole database: rental reports
 * the overlapping pairs it finds (at most MAX_OVERLAPS of them, workers/rental/src/rentals/rental-facts.ts),
 * each once. Returns how many it named.
 */
export function checkWindows(overlaps: Overlap[], v: string[]): number {
  for (const { carId, first: a, second: b } of overlaps) {
    v.push(`car ${carId}: live rentals ${a.rentalId} [${a.startAt}, ${a.endAt}) and ${b.rentalId} [${b.startAt}, ${b.endAt}) overlap`);
  }
  return overlaps.length;
}
