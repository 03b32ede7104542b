/** @jsxImportSource hono/jsx */
import { Hono, type Context } from "hono";
import { money } from "../../i18n/locale.ts";
import { pageStatusOf, renderFragment, renderPage } from "../../layout/layout.tsx";
import { forbiddenPage, pageFor } from "../../layout/forbidden.tsx";
import { formFields, fromHtmx, ROLE_PAGES, viewOf, type View } from "../../layout/view.ts";
import type { WebSessionEnv } from "../../session/web-session.ts";
import { ProblemMessage } from "../../upstream/problem-words.tsx";
import type { Answer } from "../../upstream/upstream-client.ts";
import type { PageDeps } from "../page-deps.ts";
import { choiceOf, fleetFor, myReservations, myReservationsWith } from "./customer-calls.ts";
import { customerRoutes } from "./customer.routes.ts";
import { reservationOf, type Rental, type Reservation } from "./customer-resources.ts";
import { CustomerHome, Welcome } from "./home-page.tsx";
import { Fleet, IdempotencyKey, Price, type Choice } from "./reserve-form.tsx";
import { ReservationItem } from "./reservations.tsx";

type Ctx = Context<WebSessionEnv>;

/** The customer's page with the fleet for `choice`, their reservations, and perhaps a problem on top. */
async function home(c: Ctx, deps: PageDeps, view: View, choice: Choice, problem?: Answer) {
  const reserved = Number(c.req.query("reserved"));
  // A plain form's reservation, after its redirect: listed whether or not mypage shows it yet.
  const mine = Number.isSafeInteger(reserved) && reserved > 0
    ? myReservationsWith(c, deps.client, { id: reserved, waitSeconds: deps.longPollSeconds })
    : myReservations(c, deps.client);
  const [fleet, { rows, failed: listFailed }] = await Promise.all([fleetFor(c, deps.client, choice), mine]);
  const failed = problem ?? fleet.failed ?? listFailed;
  const message = failed ? <ProblemMessage view={view} answer={failed} {...(choice.carId ? { carId: choice.carId } : {})} /> : undefined;
  const data = { cars: fleet.cars, free: fleet.free, rows, choice, message };
  return renderPage(c, view, view.t("home.title"), <CustomerHome view={view} data={data} />, problem ? pageStatusOf(problem) : 200);
}

/** POST /rentals with the form's choice. */
function reserve(c: Ctx, deps: PageDeps, choice: Choice, idempotencyKey: string | undefined) {
  const json = { carId: choice.carId ?? "", rentHour: choice.rentHour, ...(choice.startAt ? { startAt: choice.startAt } : {}) };
  return deps.client.call<Rental>(c, "/rentals", { method: "POST", json, headers: idempotencyKey ? { "idempotency-key": idempotencyKey } : {} });
}

/**
 * htmx's answer to "Reserve": the new reservation (following its status at once) and the
 * fleet again (the car just reserved is taken for the chosen window now), or the problem in words.
 */
function reservedFragment(c: Ctx, view: View, answer: Answer<Rental>, carId: string | undefined, fleet?: Awaited<ReturnType<typeof fleetFor>>) {
  if (answer.status !== 201 || !answer.body) {
    const problem = <ProblemMessage view={view} answer={answer} {...(carId ? { carId } : {})} />;
    return renderFragment(c, problem, { "HX-Retarget": "#reserve-message", "HX-Reswap": "innerHTML" });
  }
  const r: Reservation = reservationOf(answer.body);
  const done = view.t("reserve.done", { carId: r.carId ?? "", id: r.rentalId, price: money(view.t, view.locale, r.price ?? 0) });
  return renderFragment(c, (
    <>
      <ReservationItem view={view} r={r} live={true} />
      <div id="reserve-message" hx-swap-oob="innerHTML"><p>{done}</p></div>
      {fleet && !fleet.failed ? <Fleet view={view} cars={fleet.cars} free={fleet.free} oob /> : null}
      <IdempotencyKey oob />
    </>
  ));
}

/**
 * `/`: signed out, a welcome; a customer, their page; a manager or an operator, their own
 * page. `POST /reservations` reserves; `/ui/quote` prices the form's choice and says which
 * cars are free for it.
 */
export function customerPages(deps: PageDeps) {
  const app = new Hono<WebSessionEnv>();
  const customer = pageFor("customer", deps.assets);
  app.get(customerRoutes.home, async (c) => {
    const session = c.var.webSession;
    const view = viewOf(c, deps.assets);
    if (!session) return renderPage(c, view, view.t("home.title"), <Welcome view={view} />);
    if (session.roles.includes("customer")) return home(c, deps, view, choiceOf({}));
    const own = session.roles[0];
    return own ? c.redirect(ROLE_PAGES[own], 303) : forbiddenPage(c, "customer", deps.assets);
  });
  app.get(customerRoutes.quote, customer, async (c) => {
    const view = viewOf(c, deps.assets);
    const choice = choiceOf(c.req.query());
    const fleet = await fleetFor(c, deps.client, choice);
    return renderFragment(c, <><Price view={view} cars={fleet.cars} choice={choice} /><Fleet view={view} cars={fleet.cars} free={fleet.free} oob /></>);
  });
  app.post(customerRoutes.reserve, customer, async (c) => {
    const view = viewOf(c, deps.assets);
    const fields = await formFields(c);
    const choice = choiceOf(fields);
    const answer = await reserve(c, deps, choice, typeof fields.idempotencyKey === "string" ? fields.idempotencyKey : undefined);
    if (fromHtmx(c)) return reservedFragment(c, view, answer, choice.carId, answer.status === 201 ? await fleetFor(c, deps.client, choice) : undefined);
    if (answer.status === 201 && answer.body) return c.redirect(`/?reserved=${answer.body.id}`, 303);
    return home(c, deps, view, choice, answer);
  });
  return app;
}
