/**
 * `npm run openapi`: writes docs/openapi.json, each worker's OpenAPI document (as served at
 * its GET /openapi.json) under the worker's name. Run it after changing a route and commit
 * the result; scripts/openapi/openapi.test.ts fails while the file is out of date.
 */
import { join } from "node:path";
import { describeApis, OPENAPI_FILE } from "./openapi/openapi.ts";

const file = join(import.meta.dir, "..", OPENAPI_FILE);
await Bun.write(file, await describeApis());
console.log(`wrote ${OPENAPI_FILE}`);
