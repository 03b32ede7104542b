/**
 * A process for the crash test (outages-and-crashes.int.test.ts): it consumes the test's
 * stream and kills itself with SIGKILL, mid-handler, when it meets the event numbered CRASH_ON.
 * With DATABASE_URL it applies each event's effect through the inbox first, so CRASH_ON dies
 * after its commit and before its XACK.
 * Run as `bun shared/src/bus/consumer/crashing-consumer.fixture.ts` with REDIS_URL, PREFIX, CONSUMER.
 */
import { createLogger } from "../../log/logger.ts";
import { attemptsKey, deadLetterKey, streamKey } from "../../topology/redis-keys.ts";
import { StreamConsumer } from "./consumer.ts";
import { connectRedis } from "../redis.ts";
import { openEffects, recordEffect } from "./effects-fixture.ts";

const { REDIS_URL = "", PREFIX = "", CONSUMER = "child", CRASH_ON = "66", DATABASE_URL } = process.env;
const effects = DATABASE_URL ? await openEffects(DATABASE_URL) : undefined;
const consumer = new StreamConsumer({
  redis: connectRedis(REDIS_URL, "command", "child"),
  openBlocking: () => connectRedis(REDIS_URL, "blocking", "child"),
  streams: [streamKey(PREFIX, "rental")],
  group: "g",
  consumer: CONSUMER,
  deadLetterStream: deadLetterKey(PREFIX, "g"),
  attemptsKey: attemptsKey(PREFIX, "g"),
  logger: createLogger("child", "silent"),
  blockMs: 200,
  claimIdleMs: 100,
  handle: async (event) => {
    const n = (event.data as { n: number }).n;
    if (effects) await recordEffect(effects, event);
    if (String(n) === CRASH_ON) process.kill(process.pid, "SIGKILL");
    console.log(`handled ${n}`);
  },
});
await consumer.start();
