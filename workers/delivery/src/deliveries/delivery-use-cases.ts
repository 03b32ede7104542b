import type { Database } from "@rentalnang/shared/db/database";
import { createConfirmDelivery } from "./confirm-delivery.ts";
import { createRequestDeliveries, createRequestDelivery } from "./request-delivery.ts";

/** delivery's use cases, built once by main.ts (cancelling runs from events/). */
export function createDeliveryUseCases(deps: { db: Database; publishSoon: () => void }) {
  return {
    requestDelivery: createRequestDelivery(deps),
    requestDeliveries: createRequestDeliveries(deps),
    confirmDelivery: createConfirmDelivery(deps),
  };
}
export type DeliveryUseCases = ReturnType<typeof createDeliveryUseCases>;
