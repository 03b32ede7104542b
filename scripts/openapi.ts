/**
 * `npm run openapi`: writes docs/openapi.json, each worker's OpenAPI document (as served at
 * its GET /openapi.json) under the worker's name, and the gateway's merged document of the
 * public API (served at the gateway's /openapi.json and /docs). Run it after changing a route
 * or the gateway's routing and commit the result; scripts/openapi/openapi.test.ts fails while
 * either file is out of date.
 */
import { join } from "node:path";
import { parseCommand } from "@rentalnang/shared/cli/command";
import { describeApis, describePublicApi, OPENAPI_FILE } from "./openapi/openapi.ts";
import { PUBLIC_OPENAPI_FILE } from "./openapi/public-api.ts";

parseCommand({
  name: "openapi",
  summary: "Writes each worker's OpenAPI document and the gateway's merged public one; commit the result.",
  flags: {},
  examples: ["npm run openapi"],
});
const root = join(import.meta.dir, "..");
await Bun.write(join(root, OPENAPI_FILE), await describeApis());
await Bun.write(join(root, PUBLIC_OPENAPI_FILE), await describePublicApi());
console.log(`wrote ${OPENAPI_FILE} and ${PUBLIC_OPENAPI_FILE}`);
