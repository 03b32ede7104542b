import { z } from "zod";
import { positiveInt, workerFields } from "@rentalnang/shared/config/fields";
import { loadConfig } from "@rentalnang/shared/config/load-config";

/** payment's environment; the keys are the variable names (CONTRACT.md "Environment"). */
export const Env = z.object({
  ...workerFields("payment", 8082),
  RATE_PER_HOUR: positiveInt(1_000),
  PAYMENT_LIMIT: positiveInt(500_000),
  /**
   * Test-only: delay every charge by this many ms to simulate a slow payment provider.
   * Refused when NODE_ENV=production.
   */
  FAULT_PAYMENT_DELAY_MS: z.coerce.number().int().nonnegative().default(0),
}).refine((e) => !(e.NODE_ENV === "production" && e.FAULT_PAYMENT_DELAY_MS > 0), {
  path: ["FAULT_PAYMENT_DELAY_MS"],
  message: "is a test-only fault switch and is refused when NODE_ENV=production",
});
export type Config = z.infer<typeof Env>;

export const readConfig = (env?: Record<string, string | undefined>) => loadConfig(Env, env);
