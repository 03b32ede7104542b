/** @jsxImportSource hono/jsx */
import { Hono, type Context } from "hono";
import type { Logger } from "@rentalnang/shared/log/logger";
import { DEAD_LETTERS_PATH } from "@rentalnang/shared/dead-letters/dead-letter-routes";
import { deadLetterGroups, gatherDeadLetters } from "../../../admin/dead-letters-fan-out.ts";
import { isOneOf } from "../../../admin/fan-out.ts";
import { pageFor } from "../../layout/forbidden.tsx";
import { pageStatusOf, renderFragment, renderPage } from "../../layout/layout.tsx";
import { RowMessage } from "../../layout/card-table.tsx";
import { fromHtmx, viewOf } from "../../layout/view.ts";
import type { WebSessionEnv } from "../../session/web-session.ts";
import { ProblemMessage } from "../../upstream/problem-words.tsx";
import type { PageDeps } from "../page-deps.ts";
import { OperatorPage } from "./operator-page.tsx";
import { operatorRoutes } from "./operator.routes.ts";

type Ctx = Context<WebSessionEnv>;

/**
 * A redrive or a drop, at the worker of the letter's group (as the gateway's fan-out sends
 * it): htmx gets the row's outcome, a plain form a redirect back to the page.
 */
async function act(c: Ctx, deps: PageDeps, method: "POST" | "DELETE") {
  const view = viewOf(c, deps.assets);
  const { group, id } = c.req.param() as { group: string; id: string };
  if (!isOneOf(deadLetterGroups, group)) return c.notFound();
  const path = `${DEAD_LETTERS_PATH}/${group}/${encodeURIComponent(id)}${method === "POST" ? "/redrive" : ""}`;
  const answer = await deps.client.call(c, path, { method, upstream: group });
  const ok = answer.status === 200 || answer.status === 204;
  const said = ok ? <p>{view.t(method === "POST" ? "letters.redriven" : "letters.deleted")}</p> : <ProblemMessage view={view} answer={answer} />;
  if (fromHtmx(c)) return renderFragment(c, <RowMessage columns={6}>{group} {id}: {said}</RowMessage>);
  if (ok) return c.redirect(operatorRoutes.page, 303);
  return renderPage(c, view, view.t("operator.title"), <>{said}<p><a href={operatorRoutes.page}>{view.t("operator.title")}</a></p></>, pageStatusOf(answer));
}

/** /operator: the queue board's link and the dead letters, with "Redrive" and "Delete". Operators only. */
export function operatorPages(deps: PageDeps & { logger: Logger }) {
  const app = new Hono<WebSessionEnv>();
  // "/operator/*" covers /operator itself too.
  app.use(`${operatorRoutes.page}/*`, pageFor("operator", deps.assets));
  app.get(operatorRoutes.page, async (c) => {
    const view = viewOf(c, deps.assets);
    const letters = await gatherDeadLetters((group) => deps.client.call(c, DEAD_LETTERS_PATH, { upstream: group }), deps.logger);
    return renderPage(c, view, view.t("operator.title"), <OperatorPage view={view} letters={letters} />);
  });
  app.post(operatorRoutes.redrive, (c) => act(c, deps, "POST"));
  app.post(operatorRoutes.drop, (c) => act(c, deps, "DELETE"));
  return app;
}
