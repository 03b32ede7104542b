import { createServiceApp, type ServiceFrame } from "@rentalnang/shared/http/service-app";
import { paymentsRouter, type PaymentsDeps } from "./payments/payments.handlers.ts";

export interface AppDeps extends ServiceFrame, PaymentsDeps {}

export function createApp(deps: AppDeps) {
  return createServiceApp("payment", deps).route("/", paymentsRouter(deps));
}
