import { authenticationFrom } from "@rentalnang/shared/auth/authentication-from-config";
import { configOrExit, runWorker } from "@rentalnang/shared/lifecycle/worker-runtime";
import { createApp } from "./app.ts";
import { readConfig } from "./config.ts";
import { createEventHandler } from "./events/event-handler.ts";
import { migrations } from "./migrations.ts";
import { RowChanges } from "./mypages/row-changes.ts";
import { createRowChangesRelay } from "./mypages/row-changes-relay.ts";
import { mypageFacts } from "./mypages/mypage-facts.ts";

const config = configOrExit(() => readConfig());

await runWorker({
  name: "mypage",
  config,
  migrations,
  facts: mypageFacts,
  build: ({ db, redis, health, logger, metrics }) => {
    const changes = new RowChanges();
    const relay = createRowChangesRelay({ changes, redis, redisUrl: config.REDIS_URL, prefix: config.STREAM_PREFIX, logger });
    return {
      app: createApp({ db, changes, health, logger, metrics, auth: authenticationFrom(config) }),
      ...createEventHandler({ db, committed: relay.committed }),
      services: [relay.service],
    };
  },
});
