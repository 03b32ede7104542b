import type { Database } from "@rentalnang/shared/db/database";
import type { Logger } from "@rentalnang/shared/log/logger";
import { findStaleRentalIds } from "./rental-store.ts";
import type { SettleStaleRentals } from "./settle-stale-rentals.ts";

/**
 * A rental stays PaymentPending only while its payment call runs (at most the payment
 * timeout). One older than `maxAgeMs` lost its caller (a crash mid-call); the sweep settles
 * it as payment-unavailable, which refunds whatever payment charged.
 */
export function createStaleSweep(o: { db: Database; useCases: { settleStaleRentals: SettleStaleRentals }; maxAgeMs: number; everyMs: number; logger: Logger }) {
  let timer: ReturnType<typeof setInterval> | undefined;
  let running: Promise<unknown> | undefined;
  const sweep = async () => {
    const olderThan = new Date(Date.now() - o.maxAgeMs).toISOString();
    const ids = await findStaleRentalIds(o.db, olderThan);
    if (ids.length > 0) await o.useCases.settleStaleRentals(olderThan, ids);
  };
  return {
    name: "stale-payment-sweep",
    start() {
      timer = setInterval(() => {
        running ??= sweep()
          .catch((error) => o.logger.warn({ err: error }, "stale payment sweep failed"))
          .finally(() => (running = undefined));
      }, o.everyMs);
    },
    async stop() {
      clearInterval(timer);
      await running;
    },
  };
}
