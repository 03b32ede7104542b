import { z } from "zod";
import type { CommandSpec, Flag } from "@rentalnang/shared/cli/command";

/**
 * `npm run check-invariants`, as --help shows it: its one flag and the settings it reads.
 * The deploy checks hold the cluster's way of running it (k8s/base/check-invariants.yaml) to
 * the same flags and settings.
 */

/** What the command reads from the environment with --gateway, and nothing else (the gateway's URL is the flag). */
export const GatewayModeSettings = z.object({
  /** An access token with the role operator; unset for a gateway in the lab mode (AUTH=off). */
  OPERATOR_TOKEN: z.string().optional(),
});

export const checkInvariantsCommand = {
  name: "check-invariants",
  summary: "Audits the stack npm start runs (every worker's database and its Redis), or any stack through its gateway, and exits 1 on any violation.",
  flags: {
    gateway: {
      type: "string",
      value: "URL",
      description: "audit through the gateway at URL (each worker's GET /admin/invariants) with the operator's token in OPERATOR_TOKEN, not the databases and Redis",
    } satisfies Flag,
  },
  notes: [
    "settings: REDIS_URL (default the local Redis, with the password npm start made under DATA_DIR), STREAM_PREFIX,\n" +
      "DATA_DIR (where npm start keeps the databases, default data), or <WORKER>_DATABASE_URL per worker\n" +
      "(RENTAL_DATABASE_URL ...), DATABASE_AUTH_TOKEN for a libSQL server.",
    "with --gateway: OPERATOR_TOKEN, an access token with the role operator (outside production: npm run -s token -- o-1),\n" +
      "and nothing else (no database, no Redis); the token goes to the gateway only and is never printed. How to run it\n" +
      "in a cluster: docs/deploy.md, 'Operator commands in a deployment'.",
  ],
  examples: [
    "npm run check-invariants",
    "DATA_DIR=/srv/rentalnang npm run check-invariants",
    "OPERATOR_TOKEN=$(npm run -s token -- o-1) npm run check-invariants -- --gateway http://localhost:8088",
  ],
} satisfies CommandSpec<Record<string, Flag>>;
