import { describe, expect, test } from "bun:test";
import { Cleanup } from "./cleanup.ts";

describe("Cleanup", () => {
  test("undoes what was registered, the last registered first, and starts empty again", async () => {
    const cleanup = new Cleanup();
    const undone: string[] = [];
    cleanup.defer(() => void undone.push("redis"));
    cleanup.use({ [Symbol.dispose]: () => void undone.push("dir") });
    cleanup.use({ [Symbol.asyncDispose]: async () => void undone.push("process") });
    await cleanup.run();
    expect(undone).toEqual(["process", "dir", "redis"]);
    await cleanup.run();
    expect(undone).toHaveLength(3);
  });

  test("a dropped step does not run", async () => {
    const cleanup = new Cleanup();
    let stopped = false;
    const forget = cleanup.defer(() => (stopped = true));
    forget();
    await cleanup.run();
    expect(stopped).toBe(false);
  });

  test("a failing step does not keep the others from running, and its error is thrown at the end", async () => {
    const cleanup = new Cleanup();
    let closed = false;
    cleanup.defer(() => (closed = true));
    cleanup.defer(() => {
      throw new Error("stop failed");
    });
    await expect(cleanup.run()).rejects.toThrow("stop failed");
    expect(closed).toBe(true);
  });
});
