import { z } from "zod";
import { authFields, authRules, drainRules, withRules, workerFields } from "@rentalnang/shared/config/fields";
import { loadConfig } from "@rentalnang/shared/config/load-config";
import { portOf } from "@rentalnang/shared/topology/topology";

/** mypage's environment; the keys are the variable names (README.md, 'Configuration'). */
export const Env = withRules(z.object({
  ...workerFields("mypage", portOf("mypage")),
  ...authFields,
}), [...drainRules, ...authRules]);
export type Config = z.infer<typeof Env>;

export const readConfig = (env?: Record<string, string | undefined>) => loadConfig(Env, env);
