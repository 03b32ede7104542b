import { Hono, type Context } from "hono";
import type { AuthEnv } from "../auth/authenticate/authenticate.ts";
import { requireRole } from "../auth/require-role/require-role.ts";
import type { Redis } from "../bus/redis.ts";
import type { Database } from "../db/database.ts";
import { Conflict, NotFound } from "../http/problem.ts";
import { drop, listDeadLetters, redrive, type DeadLetter } from "./dead-letters.ts";

/** Where each consumer worker serves its group's dead letters, and the gateway all of them. */
export const DEAD_LETTERS_PATH = "/admin/dead-letters";

/** A dead letter as the operator routes show it: the event parsed when it is JSON. */
function presentDeadLetter(l: DeadLetter) {
  return {
    group: l.group, id: l.id, place: l.place, stream: l.stream, entryId: l.entryId,
    reason: l.reason, deliveries: l.deliveries, failedAt: l.failedAt, event: eventOf(l.fields),
  };
}
export type DeadLetterView = ReturnType<typeof presentDeadLetter>;

function eventOf(fields: Record<string, string>): unknown {
  if (fields.event === undefined) return fields;
  try {
    return JSON.parse(fields.event);
  } catch {
    return fields.event;
  }
}

export interface DeadLetterRoutesDeps {
  redis: Redis;
  /** The worker's database, where its group's older letters were moved. */
  db: Database;
  prefix: string;
  /** The worker's consumer group: the only one whose letters it serves. */
  group: string;
}

/**
 * A consumer worker's operator routes over its own group's dead letters (the CLI's list,
 * redrive and drop, over HTTP): `GET /`, `POST /{group}/{id}/redrive`, `DELETE /{group}/{id}`.
 * Operators only; goes behind the app's `authenticate`.
 */
export function deadLetterRoutes({ redis, db, prefix, group }: DeadLetterRoutesDeps) {
  const app = new Hono<AuthEnv>();
  const dbs = { [group]: db };
  app.use(requireRole("operator"));
  const lettersOf = async (c: Context) => {
    const { group: asked, id } = c.req.param() as { group: string; id: string };
    const letters = asked === group ? (await listDeadLetters(redis, prefix, [group], dbs)).filter((l) => l.id === id) : [];
    if (letters.length === 0) throw new NotFound(`No dead letter ${id} of group ${asked} here.`);
    return letters;
  };
  app.get("/", async (c) => c.json({ deadLetters: (await listDeadLetters(redis, prefix, [group], dbs)).map(presentDeadLetter) }));
  app.post("/:group/:id/redrive", async (c) => {
    const redriven = await redrive(redis, prefix, await lettersOf(c), dbs);
    if (redriven === 0) throw new Conflict("The dead letter holds no event to put back on its stream.");
    return c.json({ redriven });
  });
  app.delete("/:group/:id", async (c) => {
    await drop(redis, prefix, await lettersOf(c), dbs);
    return c.body(null, 204);
  });
  return app;
}
