import { expect, test } from "bun:test";
import { join } from "node:path";
import { workerNames } from "@rentalnang/shared/topology/topology";
import { describeApis, OPENAPI_FILE } from "./openapi.ts";

test("docs/openapi.json matches what the workers serve", async () => {
  const committed = await Bun.file(join(import.meta.dir, "..", "..", OPENAPI_FILE)).text().catch(() => "");
  const current = await describeApis();
  if (committed !== current) {
    throw new Error(`${OPENAPI_FILE} no longer matches the apps: run \`npm run openapi\` and commit the result`);
  }
  expect(Object.keys(JSON.parse(committed)).sort()).toEqual([...workerNames].sort());
});
