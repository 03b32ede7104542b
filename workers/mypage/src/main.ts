import { configOrExit, runWorker } from "@rentalnang/shared/lifecycle/worker-runtime";
import { createApp } from "./app.ts";
import { readConfig } from "./config.ts";
import { migrations } from "./migrations.ts";
import { createProjector } from "./view/projector.ts";

const config = configOrExit(() => readConfig());

await runWorker({
  name: "mypage",
  config,
  migrations,
  build: ({ db, health, logger, metrics }) => {
    const projector = createProjector(db);
    return {
      app: createApp({ db, health, logger, metrics }),
      handle: projector.project,
      handleMany: projector.projectMany,
    };
  },
});
