import { z } from "zod";
import { authFields, authRules, drainRules, faultSwitch, positiveInt, refuseFaultsInProduction, withRules, workerFields } from "@rentalnang/shared/config/fields";
import { loadConfig } from "@rentalnang/shared/config/load-config";
import { DEFAULT_RATE_PER_HOUR } from "@rentalnang/shared/domain/tariff";
import { portOf } from "@rentalnang/shared/topology/topology";

/** payment's environment; the keys are the variable names (README.md, 'Configuration'). */
export const Env = refuseFaultsInProduction(withRules(z.object({
  ...workerFields("payment", portOf("payment")),
  ...authFields,
  /** Client ids whose tokens may charge (POST /payments), separated by commas: rental's own. */
  PAYMENT_CALLERS: z
    .string()
    .default("rental")
    .transform((list) => list.split(",").map((id) => id.trim()).filter(Boolean))
    .pipe(z.array(z.string()).min(1, "must name at least one client id")),
  RATE_PER_HOUR: positiveInt(DEFAULT_RATE_PER_HOUR),
  PAYMENT_LIMIT: positiveInt(500_000),
  /**
   * Test-only: answer every charge this many ms late (after taking it), as a slow payment
   * provider would. Refused when NODE_ENV=production.
   */
  FAULT_PAYMENT_DELAY_MS: faultSwitch,
}), [...drainRules, ...authRules]), ["FAULT_PAYMENT_DELAY_MS"]);
export type Config = z.infer<typeof Env>;

export const readConfig = (env?: Record<string, string | undefined>) => loadConfig(Env, env);
