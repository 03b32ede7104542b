import { z } from "zod";
import { authFields, authRules, drainRules, faultSwitch, positiveInt, refuseFaultsInProduction, withRules, workerFields, type ConfigRule } from "@rentalnang/shared/config/fields";
import { loadConfig } from "@rentalnang/shared/config/load-config";
import { portOf } from "@rentalnang/shared/topology/topology";

/** delivery's environment; the keys are the variable names (README.md, 'Configuration'). */
const Fields = z.object({
  ...workerFields("delivery", portOf("delivery")),
  ...authFields,
  /** Break-glass credentials of the queue board at /admin/queues (operators otherwise come with a token). */
  BOARD_USER: z.string().min(1).optional(),
  BOARD_PASSWORD: z.string().min(1).optional(),
  /** Attempts of a confirmation-request job before it stays in the failed set. */
  JOB_ATTEMPTS: positiveInt(8),
  /** First backoff delay of a failed job; it doubles each attempt, with jitter. */
  JOB_BACKOFF_MS: positiveInt(1_000),
  /** Jobs processed at once by this process. */
  JOB_CONCURRENCY: positiveInt(8),
  /**
   * Test-only: the first N attempts of every job fail on purpose.
   * Refused when NODE_ENV=production.
   */
  FAULT_JOB_FAILURES: faultSwitch,
  /**
   * Test-only: every job attempt waits this long before its work, as a slow job would, so a
   * test can kill the process holding it. Refused when NODE_ENV=production.
   */
  FAULT_JOB_DELAY_MS: faultSwitch,
});

const rules: ConfigRule<z.infer<typeof Fields>>[] = [
  ...drainRules,
  ...authRules,
  {
    key: "BOARD_PASSWORD",
    holds: (env) => (env.BOARD_USER === undefined) === (env.BOARD_PASSWORD === undefined),
    message: () => "BOARD_USER and BOARD_PASSWORD go together: set both, or neither",
  },
];

export const Env = refuseFaultsInProduction(withRules(Fields, rules), ["FAULT_JOB_FAILURES", "FAULT_JOB_DELAY_MS"]);
export type Config = z.infer<typeof Env>;

export const readConfig = (env?: Record<string, string | undefined>) => loadConfig(Env, env);
