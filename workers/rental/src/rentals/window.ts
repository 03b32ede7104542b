/**
 * A reservation's time window, free of any framework: half-open `[startAt, endAt)`, so a
 * rental ending at 12:00 and the next one starting at 12:00 do not overlap. Times are ISO 8601
 * in UTC with milliseconds (`Date.prototype.toISOString`), so that the database compares them
 * as text in the same order as in time.
 */

export interface Window {
  startAt: string;
  endAt: string;
}

export const HOUR_MS = 3_600_000;
/** How far in the past a start may lie: a client's clock, or a request that took a while. */
export const PAST_TOLERANCE_MS = 5 * 60_000;
/** How far ahead a reservation may start. */
export const MAX_AHEAD_MS = 365 * 24 * HOUR_MS;

/** The start of the next full hour after `now` (at a full hour: the one after it). */
export function nextFullHour(now: number): number {
  return (Math.floor(now / HOUR_MS) + 1) * HOUR_MS;
}

export type WindowChoice =
  | { kind: "window"; window: Window }
  | { kind: "out-of-bounds"; detail: string };

/**
 * The window a reservation asks for: from `startAt` (default: the next full hour) for
 * `rentHour` hours. A start more than five minutes in the past or more than 365 days ahead is
 * refused.
 */
export function chooseWindow(startAt: string | undefined, rentHour: number, now: number): WindowChoice {
  const start = startAt === undefined ? nextFullHour(now) : Date.parse(startAt);
  if (Number.isNaN(start)) return { kind: "out-of-bounds", detail: "startAt is not an ISO 8601 time." };
  if (start < now - PAST_TOLERANCE_MS) return { kind: "out-of-bounds", detail: "startAt lies in the past." };
  if (start > now + MAX_AHEAD_MS) return { kind: "out-of-bounds", detail: "startAt lies more than 365 days ahead." };
  return { kind: "window", window: windowFrom(start, rentHour) };
}

export function windowFrom(startMs: number, rentHour: number): Window {
  return { startAt: new Date(startMs).toISOString(), endAt: new Date(startMs + rentHour * HOUR_MS).toISOString() };
}

/** Two half-open windows share at least one instant. */
export function overlaps(a: Window, b: Window): boolean {
  return a.startAt < b.endAt && b.startAt < a.endAt;
}

/** Whether the window has begun at `now`: from then on the reservation can no longer be cancelled. */
export function hasStarted(window: Window, now: number): boolean {
  return Date.parse(window.startAt) <= now;
}
