import { authenticationFrom } from "@rentalnang/shared/auth/authentication-from-config";
import { configOrExit, runWorker } from "@rentalnang/shared/lifecycle/worker-runtime";
import { createApp } from "./app.ts";
import { readConfig } from "./config.ts";
import { createEventHandler } from "./events/event-handler.ts";
import { migrations } from "./migrations.ts";

const config = configOrExit(() => readConfig());

await runWorker({
  name: "mypage",
  config,
  migrations,
  build: ({ db, health, logger, metrics }) => {
    return {
      app: createApp({ db, health, logger, metrics, auth: authenticationFrom(config) }),
      ...createEventHandler({ db }),
    };
  },
});
