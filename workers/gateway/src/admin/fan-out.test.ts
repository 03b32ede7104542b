import { expect, test } from "bun:test";
import { createLogger } from "@rentalnang/shared/log/logger";
import { askEvery, type Answer } from "./fan-out.ts";

test("askEvery names a worker it could not reach 'unreachable' whether the asker threw or answered 502 or 504 for it; another status is said as it is", async () => {
  const answers: Record<string, () => Promise<Answer>> = {
    up: async () => ({ status: 200, body: { items: [1] } }),
    refused: async () => { throw new TypeError("fetch failed"); },
    refusedForPages: async () => ({ status: 502, body: undefined }),
    slowForPages: async () => ({ status: 504, body: undefined }),
    forbidding: async () => ({ status: 403, body: undefined }),
  };
  const gathered = await askEvery(Object.keys(answers), (name) => answers[name]!(), createLogger("test", "silent"), "test");
  expect(gathered.answered).toEqual([{ name: "up", body: { items: [1] } }]);
  expect(gathered.unavailable).toEqual([
    { name: "refused", reason: "unreachable" },
    { name: "refusedForPages", reason: "unreachable" },
    { name: "slowForPages", reason: "unreachable" },
    { name: "forbidding", reason: "answered 403" },
  ]);
});
