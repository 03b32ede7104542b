import type { Role } from "@rentalnang/shared/auth/principal";
import { httpClient } from "@rentalnang/shared/testing/http-client";
import type { ClientRecord } from "../invariants/client-invariants.ts";

/**
 * A careful client: every reservation carries an Idempotency-Key, and a connection error,
 * a 502/504 from the gateway or a 409 "in progress" is retried with the same key until a
 * final answer (201, 402, 503) arrives. It never gives up on an answer, so every rental that
 * exists is one some client was told about. With `tokenFor`, each customer (load-0 … load-6)
 * reserves and cancels with their own token and the manager (m-1) confirms, as with auth on.
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

export function createLoad(o: LoadOptions) {
  const records: ClientRecord[] = [];
  const stats: LoadStats = { requests: 0, retries: 0, statuses: {}, answers: {}, cancels: 0, confirms: 0 };
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
    const hours = n % 17 === 0 ? 600 : 1 + (n % 5); // some go over the payment limit
    const customer = `load-${n % CUSTOMERS}`;
    const answer = await persist(`reservation ${key}`, async () => {
      const res = await send(customer, "POST", "/rentals", { carId: `car-${n}`, rentHour: hours, customerId: customer }, { "idempotency-key": key });
      if (res.status === 201 || res.status === 402 || res.status === 503) {
        const body = res.body as { id?: number; rentalId?: number };
        return { status: res.status as 201 | 402 | 503, rentalId: (body.id ?? body.rentalId)! };
      }
      return undefined; // 409 in progress, 502/504 from the gateway
    });
    if (!answer) return;
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

  return {
    records,
    stats,
    lost,
    /** Runs `clients` loops until `stop()`, then lets each finish the reservation in hand. */
    async run(until: Promise<void>) {
      let n = 0;
      until.then(() => (stopping = true));
      await Promise.all(
        Array.from({ length: o.clients }, async () => {
          while (!stopping) await reserveOne(n++);
        }),
      );
    },
  };
}
