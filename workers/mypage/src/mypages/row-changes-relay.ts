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
 * when another replica (or this one) folded. Pub/sub is fire-and-forget: a message lost while
 * Redis is away only delays a reader until its next bounded re-read of the row.
 */
export function createRowChangesRelay(deps: RowChangesRelayDeps) {
  const channel = mypageChangesChannel(deps.prefix);
  let subscriber: Redis | undefined;

  const committed = (rentalIds: number[]) => {
    if (rentalIds.length === 0) return;
    deps.changes.notify(rentalIds);
    deps.redis.publish(channel, rentalIds.join(",")).catch((error) => deps.logger.debug({ err: error }, "mypage change not published"));
  };

  const onMessage = (from: string, message: string) => {
    if (from !== channel) return;
    deps.changes.notify(message.split(",").map(Number).filter(Number.isSafeInteger));
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
