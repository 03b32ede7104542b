/**
 * `npm run check-invariants`: audits a running (or stopped) stack and exits 1 on any
 * violation. It reads every worker's database and Redis itself, or, with `--gateway URL`,
 * asks each worker through the gateway with an operator's token (OPERATOR_TOKEN): what a
 * cluster allows, where no one pod reaches every database. It only reads: a database that is
 * not there ends it in one line, never created; so does a gateway that does not answer or
 * refuses the token.
 */
import { z } from "zod";
import { parseCommand, UsageError } from "@rentalnang/shared/cli/command";
import { openExistingDatabase } from "@rentalnang/shared/cli/operator-database";
import { connectOperatorRedis } from "@rentalnang/shared/cli/operator-redis";
import { redisUrl, streamPrefix } from "@rentalnang/shared/config/fields";
import { loadConfig, redactUrl } from "@rentalnang/shared/config/load-config";
import { withLocalRedis } from "@rentalnang/shared/config/local-redis";
import { workerDatabaseUrls } from "@rentalnang/shared/config/worker-database-urls";
import { configOrExit } from "@rentalnang/shared/lifecycle/worker-runtime";
import { workerNames, type WorkerName } from "@rentalnang/shared/topology/topology";
import { checkInvariants, formatReport, type Report, type Sources } from "./invariants/invariants.ts";
import { checkInvariantsCommand, GatewayModeSettings } from "./invariants/command.ts";
import { gatewaySource } from "./invariants/gateway-source.ts";

const NAME = checkInvariantsCommand.name;
const { values } = parseCommand(checkInvariantsCommand);

/** The gateway's base URL, as --gateway gave it: http or https, nothing else. */
function gatewayUrl(value: string): string {
  let url: URL | undefined;
  try {
    url = new URL(value);
  } catch {
    url = undefined;
  }
  if (!url || !["http:", "https:"].includes(url.protocol)) throw new UsageError(`--gateway must be the gateway's http(s) URL (got ${JSON.stringify(redactUrl(value))})`);
  return url.origin;
}

async function throughGateway(value: string): Promise<Report> {
  const url = gatewayUrl(value);
  const { OPERATOR_TOKEN: token } = configOrExit(() => loadConfig(GatewayModeSettings));
  // For the operator at a terminal; a script reading the output gets only the results.
  if (process.stderr.isTTY) console.error(`${NAME}: gateway ${url}, ${token ? "operator token from OPERATOR_TOKEN" : "no token (OPERATOR_TOKEN is not set)"}`);
  return checkInvariants(gatewaySource({ url, token }));
}

async function fromDatabases(): Promise<Report> {
  const env = configOrExit(() => loadConfig(z.object({ REDIS_URL: redisUrl, STREAM_PREFIX: streamPrefix, DATABASE_AUTH_TOKEN: z.string().optional() }), withLocalRedis()));
  const urls = configOrExit(() => workerDatabaseUrls());
  const dbs = {} as Sources["dbs"];
  for (const w of workerNames) dbs[w as WorkerName] = await openExistingDatabase(NAME, w, urls[w], env.DATABASE_AUTH_TOKEN);
  const redis = await connectOperatorRedis(NAME, env.REDIS_URL, env.STREAM_PREFIX);
  try {
    return await checkInvariants({ dbs, redis, prefix: env.STREAM_PREFIX });
  } finally {
    redis.disconnect();
    await Promise.all(Object.values(dbs).map((db) => db.close()));
  }
}

const report = values.gateway === undefined ? await fromDatabases() : await throughGateway(values.gateway);
console.log(formatReport(report));
process.exitCode = report.violations.length > 0 ? 1 : 0;
