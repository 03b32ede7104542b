import { describe, expect, test } from "bun:test";
import { eventually } from "./eventually.ts";

describe("eventually", () => {
  test("waits for a condition to hold", async () => {
    let polls = 0;
    expect(await eventually(() => ++polls === 3)).toBe(true);
    expect(polls).toBe(3);
  });

  test("resolves with the first value that is not undefined, null or false, zero included", async () => {
    const answers = [undefined, null, false, 0, 5];
    expect(await eventually(() => answers.shift())).toBe(0);
  });

  test("a probe that throws is asked again", async () => {
    let polls = 0;
    const value = await eventually(async () => {
      if (++polls < 2) throw new Error("not listening yet");
      return { ready: true };
    });
    expect(value).toEqual({ ready: true });
  });

  test("the timeout names what was awaited and what the probe last said", async () => {
    await expect(eventually(() => false, { what: "the refund", timeoutMs: 120 })).rejects.toThrow(
      "timed out after 120 ms waiting for the refund; the probe last returned false",
    );
    await expect(
      eventually(() => {
        throw new Error("connection refused");
      }, { what: "readiness", timeoutMs: 120 }),
    ).rejects.toThrow("waiting for readiness; the probe last threw: Error: connection refused");
  });

  test("without a name, the timeout quotes the probe's source", async () => {
    const seen: number[] = [];
    await expect(eventually(() => seen.length === 2, { timeoutMs: 120 })).rejects.toThrow("waiting for () => seen.length === 2");
  });
});
