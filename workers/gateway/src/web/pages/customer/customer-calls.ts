import type { Context } from "hono";
import { RENT_HOURS } from "@rentalnang/shared/domain/tariff";
import type { Answer, UpstreamClient } from "../../upstream/upstream-client.ts";
import { reservationOf, type Car, type Page, type Rental, type Reservation } from "./customer-resources.ts";
import type { Choice } from "./reserve-form.tsx";

/** The most cars one page shows (the workers' largest page). */
export const PAGE_LIMIT = 100;
/** The reservations "My reservations" shows, newest first. */
const RESERVATIONS_SHOWN = 20;
const HOUR_MS = 3_600_000;

/** The start the workers take when none is given: the next full hour. */
export function nextFullHour(now = Date.now()): string {
  return new Date(Math.floor(now / HOUR_MS) * HOUR_MS + HOUR_MS).toISOString();
}

/**
 * The form's choice from its fields. startAt is the instant the page's script made of
 * "Start"; without the script, "Start" itself is read as UTC. Hours outside 1..720 stay as
 * typed for the price (rental refuses them with a sentence).
 */
export function choiceOf(fields: { carId?: unknown; startAt?: unknown; start?: unknown; rentHour?: unknown }): Choice {
  const hours = Number.parseInt(String(fields.rentHour ?? ""), 10);
  const instant = typeof fields.startAt === "string" && fields.startAt ? fields.startAt : undefined;
  const local = typeof fields.start === "string" && fields.start ? new Date(`${fields.start}Z`) : undefined;
  return {
    carId: typeof fields.carId === "string" && fields.carId ? fields.carId : undefined,
    startAt: instant ?? (local && !Number.isNaN(local.getTime()) ? local.toISOString() : undefined),
    rentHour: Number.isFinite(hours) && hours >= RENT_HOURS.min ? Math.min(hours, RENT_HOURS.max) : RENT_HOURS.min,
  };
}

export interface Fleet {
  cars: Car[];
  /** The ids of the cars free for the whole chosen window. */
  free: Set<string>;
  /** A worker's problem instead of the fleet. */
  failed?: Answer;
}

/** Every active car (GET /cars) and those free for the choice's window (availableFrom/To). */
export async function fleetFor(c: Context, client: UpstreamClient, choice: Choice): Promise<Fleet> {
  const from = new Date(choice.startAt ?? nextFullHour());
  const window = Number.isNaN(from.getTime()) ? new Date(nextFullHour()) : from;
  const query = new URLSearchParams({
    availableFrom: window.toISOString(),
    availableTo: new Date(window.getTime() + choice.rentHour * HOUR_MS).toISOString(),
    limit: String(PAGE_LIMIT),
  });
  const [all, free] = await Promise.all([
    client.call<Page<Car>>(c, `/cars?limit=${PAGE_LIMIT}`),
    client.call<Page<Car>>(c, `/cars?${query}`),
  ]);
  if (all.status !== 200 || !all.body) return { cars: [], free: new Set(), failed: all };
  return { cars: all.body.items, free: new Set(free.status === 200 ? free.body?.items.map((car) => car.id) : []) };
}

/** The customer's own reservations, newest first (mypage lists only theirs). */
export async function myReservations(c: Context, client: UpstreamClient): Promise<{ rows: Reservation[]; failed?: Answer }> {
  const answer = await client.call<Page<Reservation>>(c, `/mypages?limit=${RESERVATIONS_SHOWN}`);
  return answer.status === 200 && answer.body ? { rows: answer.body.items } : { rows: [], failed: answer };
}

/**
 * The reservation just made (a plain form's, after its redirect): mypage's row once it shows,
 * waiting up to `waitSeconds` for it; else rental's own record, as "Reserved". Rental answered
 * the reservation, so it knows it whatever mypage has folded yet.
 */
async function justReserved(c: Context, client: UpstreamClient, id: number, waitSeconds: number): Promise<Reservation | undefined> {
  const row = await client.call<Reservation>(c, `/mypages/${id}`, { headers: { prefer: `wait=${waitSeconds}` } });
  if (row.status === 200 && row.body) return row.body;
  const rental = await client.call<Rental>(c, `/rentals/${id}`);
  return rental.status === 200 && rental.body ? reservationOf(rental.body) : undefined;
}

/**
 * The customer's reservations with the one just reserved among them, on top when mypage's list
 * does not have it yet (read-your-writes by construction: the page never leaves out what the
 * customer just reserved; its status chain follows it from there).
 */
export async function myReservationsWith(c: Context, client: UpstreamClient, reserved: { id: number; waitSeconds: number }) {
  const just = await justReserved(c, client, reserved.id, reserved.waitSeconds);
  const mine = await myReservations(c, client);
  return just && !mine.rows.some((r) => r.rentalId === just.rentalId) ? { ...mine, rows: [just, ...mine.rows] } : mine;
}
