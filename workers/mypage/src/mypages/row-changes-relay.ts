import { randomUUID } from "node:crypto";
import { connectRedis, type Redis } from "@rentalnang/shared/bus/redis";
import type { Logger } from "@rentalnang/shared/log/logger";
import { mypageChangesChannel } from "@rentalnang/shared/topology/redis-keys";
import type { RowChanges } from "./row-changes.ts";

export interface RowChangesRelayDeps {
  changes: RowChanges;
  /** The command connection, to publish on. */
  redis: Redis;
  redisUrl: string;
  prefix: string;
  logger: Logger;
}

/**
 * Carries the fold's commits between mypage replicas over Redis pub/sub: `committed` wakes the
 * readers parked here and publishes the rental ids; a subscriber wakes the readers parked here
 * when another replica folded. A message names the replica that sent it, so the sender skips
 * its own echo (its readers were woken already, and a second wake would cost each a re-read).
 * Pub/sub is fire-and-forget: a message lost while Redis is away only delays a reader until
 * its next bounded re-read of the row.
 */
export function createRowChangesRelay(deps: RowChangesRelayDeps) {
  const channel = mypageChangesChannel(deps.prefix);
  const origin = randomUUID();
  let subscriber: Redis | undefined;

  const committed = (rentalIds: number[]) => {
    if (rentalIds.length === 0) return;
    deps.changes.notify(rentalIds);
    deps.redis.publish(channel, `${origin} ${rentalIds.join(",")}`).catch((error) => deps.logger.debug({ err: error }, "mypage change not published"));
  };

  const onMessage = (from: string, message: string) => {
    // "<sender> <ids>"; a bare "<ids>" is a replica from before senders were named.
    const [sender, ids] = message.includes(" ") ? message.split(" ", 2) : [undefined, message];
    if (from !== channel || sender === origin) return;
    deps.changes.notify(ids!.split(",").map(Number).filter(Number.isSafeInteger));
  };

  return {
    committed,
    service: {
      name: "mypage-changes",
      start: async () => {
        subscriber = connectRedis(deps.redisUrl, "command", "mypage-changes");
        subscriber.on("message", onMessage);
        // ioredis subscribes again by itself after a reconnect; a first failure is only slower wakes.
        await subscriber.subscribe(channel).catch((error) => deps.logger.warn({ err: error }, "mypage changes: not subscribed yet"));
      },
      /** Runs first on SIGTERM: parked readers are answered before the HTTP server drains. */
      drain: () => deps.changes.drain(),
      stop: async () => {
        deps.changes.drain();
        await subscriber?.quit().catch(() => subscriber?.disconnect());
      },
    },
  };
}
