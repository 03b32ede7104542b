import { describe, expect, test } from "bun:test";
import { withLogContext } from "./context.ts";
import { createLogger } from "./logger.ts";

function capture() {
  const lines: Record<string, unknown>[] = [];
  const logger = createLogger("test", "info", { write: (line: string) => void lines.push(JSON.parse(line)) });
  return { logger, lines };
}

describe("log context", () => {
  test("every line written inside a request or event carries its ids, however deep the call", async () => {
    const { logger, lines } = capture();
    const deep = async () => {
      await Bun.sleep(1);
      logger.info("deep inside");
    };
    await withLogContext({ requestId: "req-1" }, async () => {
      logger.info("start");
      await withLogContext({ correlationId: "corr-1", eventId: "ev-1" }, deep);
    });
    logger.info("outside");
    expect(lines.map((l) => [l.msg, l.requestId, l.correlationId])).toEqual([
      ["start", "req-1", undefined],
      ["deep inside", "req-1", "corr-1"],
      ["outside", undefined, undefined],
    ]);
  });

  test("concurrent requests keep their own ids", async () => {
    const { logger, lines } = capture();
    await Promise.all(["a", "b", "c"].map((id) =>
      withLogContext({ requestId: id }, async () => {
        await Bun.sleep(Math.random() * 5);
        logger.info(id);
      }),
    ));
    for (const line of lines) expect(line.requestId).toBe(line.msg);
  });
});
