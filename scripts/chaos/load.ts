import type { Role } from "@rentalnang/shared/auth/principal";
import { hourSlot } from "@rentalnang/shared/testing/fleet";
import { httpClient } from "@rentalnang/shared/testing/http-client";
import type { ClientRecord } from "../invariants/client-invariants.ts";

/**
 * A careful client: every reservation carries an Idempotency-Key, and a connection error,
 * a 502/504 from the gateway or a 409 "in progress" is retried with the same key until a
 * final answer (201, 402, 503) arrives. It never gives up on an answer, so every rental that
 * exists is one some client was told about. With `tokenFor`, each customer (load-0 … load-6)
 * reserves and cancels with their own token and the manager (m-1) confirms, as with auth on.
 * The manager first adds the fleet; each reservation picks a car and a window of its own,
 * except every tenth, which asks for windows overlapping each other on a few contested cars:
 * a 409 with the conflicting window is a final answer (nothing was written), counted apart.
 */

const RETRY_DELAY_MS = 100;
const MAX_RETRY_DELAY_MS = 1_000;
const REQUEST_TIMEOUT_MS = 10_000;

export interface LoadStats {
  requests: number;
  retries: number;
  /** Every answer's HTTP status, and `error` for a request that got none (connection refused or reset, timeout). */
  statuses: Record<string, number>;
  answers: Record<string, number>;
  /** Reservations refused with 409 because their window overlaps a live one of the car. */
  conflicts: number;
  cancels: number;
  confirms: number;
}

export interface LoadOptions {
  baseUrl: () => string;
  clients: number;
  /** Share of reservations the customer cancels, and of those the manager confirms. */
  cancelRatio: number;
  confirmRatio: number;
  /** How long a single answer may take (retries included) before the run counts it as lost. */
  answerDeadlineMs: number;
  /** Access tokens (the stack's identity); without it requests carry none (the lab mode). */
  tokenFor?: (account: string, roles?: Role[]) => Promise<string>;
}

const CUSTOMERS = 7;
const MANAGER = "m-1";
/** Cars with a window of their own per reservation, cars that decline (a rate over the payment limit in 3 hours), contested cars. */
const FLEET = { cars: 40, pricey: 4, contested: 3 };
const PRICEY_RATE = 200_000;
/** A car's n-th reservation starts at the (6n)-th hour: rentHour ≤ 5 never reaches the next. */
const SLOT_HOURS = 6;

/** The car and window of the n-th reservation, and its hours. */
function pick(n: number): { carId: string; startAt: string; rentHour: number } {
  if (n % 10 === 5) {
    // Contested: 3-hour windows two hours apart on 3 cars, each overlapping its neighbours.
    const m = Math.floor(n / 10);
    return { carId: `contested-${m % FLEET.contested}`, startAt: hourSlot(2 * Math.floor(m / FLEET.contested)), rentHour: 3 };
  }
  if (n % 17 === 0) {
    // Over the payment limit: declined (402), and its window freed.
    const m = Math.floor(n / 17);
    return { carId: `pricey-${m % FLEET.pricey}`, startAt: hourSlot(SLOT_HOURS * Math.floor(m / FLEET.pricey)), rentHour: 3 };
  }
  return { carId: `car-${n % FLEET.cars}`, startAt: hourSlot(SLOT_HOURS * Math.floor(n / FLEET.cars)), rentHour: 1 + (n % 5) };
}

export function createLoad(o: LoadOptions) {
  const records: ClientRecord[] = [];
  const stats: LoadStats = { requests: 0, retries: 0, statuses: {}, answers: {}, conflicts: 0, cancels: 0, confirms: 0 };
  const lost: string[] = [];
  let stopping = false;
  const api = httpClient(o.baseUrl, { timeoutMs: REQUEST_TIMEOUT_MS });

  /** The request's headers, signed in as `account` when tokens are in use. */
  async function signedIn(account: string, headers: Record<string, string> = {}): Promise<Record<string, string>> {
    if (!o.tokenFor) return headers;
    const roles: Role[] | undefined = account === MANAGER ? undefined : ["customer"];
    return { ...headers, authorization: `Bearer ${await o.tokenFor(account, roles)}` };
  }

  async function send(account: string, method: string, path: string, json?: unknown, extra: Record<string, string> = {}) {
    stats.requests++;
    const headers = await signedIn(account, extra);
    const count = (status: string) => (stats.statuses[status] = (stats.statuses[status] ?? 0) + 1);
    try {
      const res = await api.request(method, path, { json, headers });
      count(String(res.status));
      return res;
    } catch (error) {
      count("error");
      throw error;
    }
  }

  /** Retries `attempt` until it returns a value; undefined means "ask again". */
  async function persist<T>(what: string, attempt: () => Promise<T | undefined>): Promise<T | undefined> {
    const deadline = Date.now() + o.answerDeadlineMs;
    let delay = RETRY_DELAY_MS;
    for (let first = true; Date.now() < deadline; first = false) {
      if (!first) {
        stats.retries++;
        await Bun.sleep(delay);
        delay = Math.min(delay * 2, MAX_RETRY_DELAY_MS);
      }
      try {
        const value = await attempt();
        if (value !== undefined) return value;
      } catch {
        // connection refused or reset: the process was killed; ask again
      }
    }
    lost.push(what);
    return undefined;
  }

  async function reserveOne(n: number) {
    const key = crypto.randomUUID();
    const customer = `load-${n % CUSTOMERS}`;
    const answer = await persist(`reservation ${key}`, async () => {
      const res = await send(customer, "POST", "/rentals", { ...pick(n), customerId: customer }, { "idempotency-key": key });
      if (res.status === 201 || res.status === 402 || res.status === 503) {
        const body = res.body as { id?: number; rentalId?: number };
        return { status: res.status as 201 | 402 | 503, rentalId: (body.id ?? body.rentalId)! };
      }
      if (res.status === 409 && res.body?.conflict) return { status: 409 as const, rentalId: 0 };
      return undefined; // 409 in progress, 502/504 from the gateway
    });
    if (!answer) return;
    if (answer.status === 409) {
      stats.conflicts++;
      return;
    }
    stats.answers[answer.status] = (stats.answers[answer.status] ?? 0) + 1;
    const record: ClientRecord = { key, ...answer, cancelled: false };
    records.push(record);
    if (answer.status !== 201) return;

    if (Math.random() < o.confirmRatio) await confirm(answer.rentalId);
    if (Math.random() < o.cancelRatio) {
      let failedOnce = false;
      const done = await persist(`cancel ${answer.rentalId}`, async () => {
        try {
          const res = await send(customer, "DELETE", `/rentals/${answer.rentalId}`);
          if (res.status === 204 || (res.status === 404 && failedOnce)) return true;
          if (res.status === 404) return false; // never reserved? report it
          failedOnce = true; // a 502/504 may come after rental deleted it: a later 404 is then the answer
          return undefined;
        } catch (error) {
          failedOnce = true;
          throw error;
        }
      });
      if (done) {
        record.cancelled = true;
        stats.cancels++;
      }
    }
  }

  async function confirm(rentalId: number) {
    // The request appears once PaymentApproved went through delivery's queue.
    await persist(`confirm ${rentalId}`, async () => {
      const list = await send(MANAGER, "GET", `/deliveries?rentalId=${rentalId}`);
      if (list.status !== 200) return undefined;
      const items = (list.body as { items: { id: number }[] }).items;
      if (items.length === 0) return stopping ? true : undefined;
      const res = await send(MANAGER, "POST", `/deliveries/${items[0]!.id}/confirm`);
      if (res.status === 200 || res.status === 409) {
        if (res.status === 200) stats.confirms++;
        return true;
      }
      return undefined;
    });
  }

  /** The manager adds the fleet (a car already there is a 409: kept as it is). */
  async function addFleet() {
    const cars = [
      ...Array.from({ length: FLEET.cars }, (_, i) => ({ id: `car-${i}`, ratePerHour: 1_000 })),
      ...Array.from({ length: FLEET.pricey }, (_, i) => ({ id: `pricey-${i}`, ratePerHour: PRICEY_RATE })),
      ...Array.from({ length: FLEET.contested }, (_, i) => ({ id: `contested-${i}`, ratePerHour: 1_000 })),
    ];
    for (const car of cars) {
      await persist(`car ${car.id}`, async () => {
        const res = await send(MANAGER, "POST", "/cars", { ...car, model: "Chaos" });
        return res.status === 201 || res.status === 409 ? true : undefined;
      });
    }
  }

  return {
    records,
    stats,
    lost,
    /** Adds the fleet, runs `clients` loops until `stop()`, then lets each finish the reservation in hand. */
    async run(until: Promise<void>) {
      let n = 0;
      until.then(() => (stopping = true));
      await addFleet();
      await Promise.all(
        Array.from({ length: o.clients }, async () => {
          while (!stopping) await reserveOne(n++);
        }),
      );
    },
  };
}
