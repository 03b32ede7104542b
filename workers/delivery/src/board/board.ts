import { createBullBoard } from "@bull-board/api";
import { BullMQAdapter } from "@bull-board/api/bullMQAdapter";
import { HonoAdapter } from "@bull-board/hono";
import type { Queue } from "bullmq";
import { Hono } from "hono";
import { basicAuth } from "hono/basic-auth";
import { serveStatic } from "hono/bun";
import { problemJson } from "@rentalnang/shared/http/problem";

export const BOARD_PATH = "/admin/queues";

export interface BoardOptions {
  queues: Queue[];
  user?: string | undefined;
  password?: string | undefined;
}

/**
 * The BullMQ board (bull-board) behind basic auth: it can retry and delete jobs, and has no
 * auth of its own. Without credentials configured it stays shut (503) and says why.
 */
export function boardRoutes({ queues, user, password }: BoardOptions) {
  const app = new Hono();
  if (!user || !password) {
    app.all("*", () =>
      problemJson(503, "Service Unavailable", "The queue board is disabled: set BOARD_USER and BOARD_PASSWORD to enable it."),
    );
    return app;
  }
  const adapter = new HonoAdapter(serveStatic).setBasePath(BOARD_PATH);
  createBullBoard({ queues: queues.map((q) => new BullMQAdapter(q)), serverAdapter: adapter });
  app.use("*", basicAuth({ username: user, password, realm: "rentalnang queues" }));
  app.route("/", adapter.registerPlugin());
  return app;
}
