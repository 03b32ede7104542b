/** @jsxImportSource hono/jsx */
import { Hono, type Context } from "hono";
import type { Child } from "hono/jsx";
import { pageFor } from "../../layout/forbidden.tsx";
import { pageStatusOf, renderFragment, renderPage } from "../../layout/layout.tsx";
import { RowMessage } from "../../layout/card-table.tsx";
import { formFields, fromHtmx, viewOf, type View } from "../../layout/view.ts";
import type { WebSessionEnv } from "../../session/web-session.ts";
import { ProblemMessage } from "../../upstream/problem-words.tsx";
import type { Answer } from "../../upstream/upstream-client.ts";
import type { Car, Page } from "../customer/customer-resources.ts";
import { PAGE_LIMIT } from "../customer/customer-calls.ts";
import type { PageDeps } from "../page-deps.ts";
import { CarRow, FleetAdmin, History, Pending, PendingRow, type Delivery } from "./manager-page.tsx";
import { managerRoutes } from "./manager.routes.ts";

type Ctx = Context<WebSessionEnv>;

/** The recent requests the history shows. */
const HISTORY_SIZE = 20;

/** The manager's page: pending requests oldest first, recent history, the fleet; problems in words. */
async function managerPage(c: Ctx, deps: PageDeps) {
  const view = viewOf(c, deps.assets);
  const { t } = view;
  const [pending, recent, cars] = await Promise.all([
    deps.client.call<Page<Delivery>>(c, `/deliveries?status=PendingConfirmation&order=asc&limit=${PAGE_LIMIT}`),
    deps.client.call<Page<Delivery>>(c, `/deliveries?limit=${HISTORY_SIZE}`),
    deps.client.call<Page<Car>>(c, `/cars?limit=${PAGE_LIMIT}`),
  ]);
  const part = <T,>(a: Answer<Page<T>>, draw: (items: T[]) => Child) => (a.status === 200 && a.body ? draw(a.body.items) : <ProblemMessage view={view} answer={a} />);
  return renderPage(c, view, t("manager.title"), (
    <>
      <section aria-labelledby="pending-heading">
        <h2 id="pending-heading">{t("pending.heading")}</h2>
        {part(pending, (items) => <Pending view={view} items={items} />)}
      </section>
      <section aria-labelledby="history-heading">
        <h2 id="history-heading">{t("history.heading")}</h2>
        <div id="history">{part(recent, (items) => <History view={view} items={items} />)}</div>
      </section>
      <section aria-labelledby="cars-heading">
        <h2 id="cars-heading">{t("cars.heading")}</h2>
        {part(cars, (items) => <FleetAdmin view={view} cars={items} />)}
      </section>
    </>
  ));
}

/** A form's outcome: htmx gets `fragment` (or the problem, in `problemTarget` or a row), a plain form a redirect back or a page with the problem. */
function outcome(c: Ctx, view: View, answer: Answer, ok: boolean, fragment: () => Child, problem: () => Child, headers: Record<string, string> = {}) {
  if (fromHtmx(c)) return ok ? renderFragment(c, fragment()) : renderFragment(c, problem(), headers);
  if (ok) return c.redirect(managerRoutes.page, 303);
  return renderPage(c, view, view.t("manager.title"), <><ProblemMessage view={view} answer={answer} /><p><a href={managerRoutes.page}>{view.t("manager.title")}</a></p></>, pageStatusOf(answer));
}

/**
 * "Recent requests" again, to swap in out of band beside the confirmed row, with the request
 * as the confirm's answer has it; nothing when the list did not come (the old one stays). In a
 * <template>: after the answer's <tr>, HTML parses only table parts, and htmx swaps a
 * template's out-of-band content too.
 */
async function historyWith(c: Ctx, deps: PageDeps, view: View, confirmed: Delivery): Promise<Child> {
  const recent = await deps.client.call<Page<Delivery>>(c, `/deliveries?limit=${HISTORY_SIZE}`);
  if (recent.status !== 200 || !recent.body) return null;
  const items = recent.body.items.map((d) => (d.id === confirmed.id ? confirmed : d));
  return <template><div id="history" hx-swap-oob="true"><History view={view} items={items} /></div></template>;
}


/** /manager and its forms: confirm a request, add a car, retire a car. Managers only. */
export function managerPages(deps: PageDeps) {
  const app = new Hono<WebSessionEnv>();
  const manager = pageFor("manager", deps.assets);
  // "/manager/*" covers /manager itself too.
  app.use(`${managerRoutes.page}/*`, manager);
  app.get(managerRoutes.page, (c) => managerPage(c, deps));
  app.post(managerRoutes.confirm, async (c) => {
    const view = viewOf(c, deps.assets);
    const answer = await deps.client.call<Delivery>(c, `/deliveries/${encodeURIComponent(c.req.param("id"))}/confirm`, { method: "POST" });
    const ok = answer.status === 200 && !!answer.body;
    // The pending row turns into the confirmed one, and "Recent requests" says the same.
    const history = ok && fromHtmx(c) ? await historyWith(c, deps, view, answer.body!) : null;
    const confirmed = () => <><PendingRow view={view} d={answer.body!} />{history}</>;
    return outcome(c, view, answer, ok, confirmed, () => <RowMessage columns={7}><ProblemMessage view={view} answer={answer} /></RowMessage>);
  });
  app.post(managerRoutes.addCar, async (c) => {
    const view = viewOf(c, deps.assets);
    const fields = await formFields(c);
    const carId = String(fields.id ?? "");
    const answer = await deps.client.call<Car>(c, "/cars", { method: "POST", json: { id: carId, model: fields.model, ratePerHour: fields.ratePerHour } });
    const ok = answer.status === 201 && !!answer.body;
    const added = () => <><CarRow view={view} car={answer.body!} /><div id="car-message" hx-swap-oob="innerHTML"><p>{view.t("cars.added", { id: carId })}</p></div></>;
    return outcome(c, view, answer, ok, added, () => <ProblemMessage view={view} answer={answer} carId={carId} />, { "HX-Retarget": "#car-message", "HX-Reswap": "innerHTML" });
  });
  app.post(managerRoutes.retire, async (c) => {
    const view = viewOf(c, deps.assets);
    const carId = c.req.param("id");
    const answer = await deps.client.call(c, `/cars/${encodeURIComponent(carId)}`, { method: "DELETE" });
    const ok = answer.status === 204;
    return outcome(c, view, answer, ok, () => <RowMessage columns={4}>{view.t("cars.retired", { id: carId })}</RowMessage>,
      () => <RowMessage columns={4}><ProblemMessage view={view} answer={answer} carId={carId} /></RowMessage>);
  });
  return app;
}
