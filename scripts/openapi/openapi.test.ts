import { expect, test } from "bun:test";
import { join } from "node:path";
import { workerNames } from "@rentalnang/shared/topology/topology";
import { describeApis, describePublicApi, OPENAPI_FILE } from "./openapi.ts";
import { PUBLIC_OPENAPI_FILE, publicApi } from "./public-api.ts";

test("docs/openapi.json matches what the workers serve", async () => {
  const committed = await Bun.file(join(import.meta.dir, "..", "..", OPENAPI_FILE)).text().catch(() => "");
  const current = await describeApis();
  if (committed !== current) {
    throw new Error(`${OPENAPI_FILE} no longer matches the apps: run \`npm run openapi\` and commit the result`);
  }
  expect(Object.keys(JSON.parse(committed)).sort()).toEqual([...workerNames].sort());
});

test(`${PUBLIC_OPENAPI_FILE} matches the workers' documents and the gateway's routes`, async () => {
  const committed = await Bun.file(join(import.meta.dir, "..", "..", PUBLIC_OPENAPI_FILE)).text().catch(() => "");
  if (committed !== (await describePublicApi())) {
    throw new Error(`${PUBLIC_OPENAPI_FILE} no longer matches the apps: run \`npm run openapi\` and commit the result`);
  }
});

test("merging keeps identical components once, prefixes differing ones, and drops what no kept path uses", () => {
  const problem = { type: "object", properties: { title: { type: "string" } } };
  const ref = (name: string) => ({ content: { "application/json": { schema: { $ref: `#/components/schemas/${name}` } } } });
  const merged = publicApi({
    rental: {
      paths: { "/rentals": { get: { responses: { "200": ref("Thing"), "400": ref("Problem") } } } },
      components: { schemas: { Problem: problem, Thing: { type: "string" } } },
    },
    payment: {
      paths: {
        "/payments": { get: { responses: { "200": ref("Thing"), "400": ref("Problem") } }, post: { requestBody: ref("Charge"), responses: {} } },
        "/internal": { get: { responses: {} } },
      },
      components: { schemas: { Problem: problem, Thing: { type: "integer" }, Charge: { type: "object" } } },
    },
  }) as { paths: Record<string, Record<string, unknown>>; components: { schemas: Record<string, unknown> } };
  expect(Object.keys(merged.components.schemas).sort()).toEqual(["PaymentThing", "Problem", "Thing"]);
  expect(JSON.stringify(merged.paths["/payments"])).toContain("#/components/schemas/PaymentThing");
  expect(JSON.stringify(merged.paths["/rentals"])).toContain('"#/components/schemas/Thing"');
  expect(merged.paths["/payments"]!.post).toBeUndefined();
  expect(merged.paths["/internal"]).toBeUndefined();
});
