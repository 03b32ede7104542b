import { createChargePayment, type ChargePaymentDeps } from "./charge-payment.ts";

/** payment's use cases called over HTTP, built once by main.ts (refunds run from events/). */
export function createPaymentUseCases(deps: ChargePaymentDeps) {
  return { chargePayment: createChargePayment(deps) };
}
export type PaymentUseCases = ReturnType<typeof createPaymentUseCases>;
