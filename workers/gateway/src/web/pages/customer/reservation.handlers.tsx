/** @jsxImportSource hono/jsx */
import { Hono, type Context } from "hono";
import { CsrfField, renderFragment, renderPage, signInHref } from "../../layout/layout.tsx";
import { pageFor } from "../../layout/forbidden.tsx";
import { Time } from "../../layout/time.tsx";
import { formFields, fromHtmx, viewOf, type View } from "../../layout/view.ts";
import type { WebSessionEnv } from "../../session/web-session.ts";
import { ProblemMessage } from "../../upstream/problem-words.tsx";
import type { PageDeps } from "../page-deps.ts";
import { cancelPath, customerRoutes, statusPath } from "./customer.routes.ts";
import type { Reservation, TimelineItem } from "./customer-resources.ts";
import { Actions, isFinal, StatusLine, statusTrigger, UNCHANGED_EVENT } from "./reservation-status.tsx";
import { TimelineList } from "./timeline.tsx";

type Ctx = Context<WebSessionEnv>;

/** After a failed read the chain waits this long before asking again, so a worker that is down is not asked in a tight loop. */
const RETRY_SECONDS = 5;

const idOf = (c: Ctx) => {
  const id = Number(c.req.param("id"));
  return Number.isSafeInteger(id) && id > 0 ? id : undefined;
};

/** A row that has not reached mypage yet: all the page knows is that it was reserved. */
const placeholder = (rentalId: number): Reservation => ({
  rentalId, carId: null, rentHour: null, price: null, startAt: null, endAt: null, status: "Reserved", paymentStatus: "Approved", cancelReason: null,
});

/**
 * One link of the status chain: waits at mypage (`Prefer: wait`) for the row to change from
 * the ETag the page has. Unchanged (304), it answers 204 (htmx swaps nothing) naming
 * UNCHANGED_EVENT, on which the same element asks again with the same ETag. Else it answers
 * the status element again (following on unless final) and, in passing, the row's actions.
 */
async function statusLink(c: Ctx, deps: PageDeps, rentalId: number) {
  const view = viewOf(c, deps.assets);
  const etag = c.req.query("etag");
  const path = `/mypages/${rentalId}`;
  const answer = await deps.client.call<Reservation>(c, path, { headers: { prefer: `wait=${deps.longPollSeconds}`, ...(etag ? { "if-none-match": etag } : {}) } });
  if (answer.status === 304) return c.body(null, 204, { "HX-Trigger": UNCHANGED_EVENT });
  if (answer.status === 401) return c.body(null, 200, { "HX-Redirect": signInHref("/") });
  if (answer.status === 404) return renderFragment(c, <StatusLine view={view} r={placeholder(rentalId)} follow={{ etag: null }} />);
  if (answer.status !== 200 || !answer.body) {
    const r = placeholder(rentalId);
    return renderFragment(c, <StatusLine view={view} r={r} follow={{ etag: etag ?? null, delaySeconds: RETRY_SECONDS }} note={view.t("mine.statusUnknown")} />);
  }
  const r = answer.body;
  const next = answer.headers.get("etag");
  // Without an ETag there is nothing to wait on: ask again later rather than at once.
  const follow = isFinal(r) ? undefined : next ? { etag: next } : { etag: null, delaySeconds: RETRY_SECONDS };
  return renderFragment(c, <><StatusLine view={view} r={r} follow={follow} /><Actions view={view} r={r} live={!!follow} etag={next} oob /></>);
}

/**
 * htmx's cancel (after the browser's confirm): DELETE /rentals/{id}. The row's running status
 * chain shows the cancellation as mypage folds it; a row not being followed starts a chain.
 */
async function cancelFragment(c: Ctx, view: View, deps: PageDeps, rentalId: number, fields: Record<string, unknown>) {
  const answer = await deps.client.call(c, `/rentals/${rentalId}`, { method: "DELETE" });
  const actions = (body: unknown) => <div id={`actions-${rentalId}`} class="actions">{body}</div>;
  if (answer.status !== 204) return renderFragment(c, actions(<ProblemMessage view={view} answer={answer} />));
  const restart = fields.live !== "1";
  const etag = typeof fields.etag === "string" && fields.etag ? fields.etag : null;
  const restarted = restart
    ? <span id={`status-${rentalId}`} hx-swap-oob="true" hx-get={statusPath(rentalId, etag)} hx-trigger={statusTrigger()} hx-target="this" hx-swap="outerHTML">{view.t("mine.cancelSent")}</span>
    : null;
  return renderFragment(c, <>{actions(<p>{view.t("mine.cancelSent")}</p>)}{restarted}</>);
}

/** Without JavaScript, "Cancel" opens this page: what is cancelled, "Yes, cancel it" or "Keep it". */
async function cancelStep(c: Ctx, deps: PageDeps, rentalId: number) {
  const view = viewOf(c, deps.assets);
  const { t } = view;
  const answer = await deps.client.call<Reservation>(c, `/mypages/${rentalId}`);
  if (answer.status !== 200 || !answer.body) return renderPage(c, view, t("mine.cancelTitle", { id: rentalId }), <ProblemMessage view={view} answer={answer} />, 404);
  const r = answer.body;
  const [before, after] = t("mine.cancelText", { carId: r.carId ?? "" }).split("{start}");
  return renderPage(c, view, t("mine.cancelTitle", { id: rentalId }), (
    <form method="post" action={cancelPath(rentalId)}>
      <p>{before}<Time iso={r.startAt} />{after}</p>
      <CsrfField view={view} />
      <div class="form-actions"><button type="submit" class="danger">{t("mine.cancelYes")}</button><a href="/">{t("mine.cancelNo")}</a></div>
    </form>
  ));
}

/** The reservation's timeline: a fragment for the row's disclosure, else a page of its own. */
async function timeline(c: Ctx, deps: PageDeps, rentalId: number) {
  const view = viewOf(c, deps.assets);
  const answer = await deps.client.call<{ items: TimelineItem[] }>(c, `/mypages/${rentalId}/timeline`);
  const body = answer.status === 200 && answer.body ? <TimelineList view={view} items={answer.body.items} /> : <ProblemMessage view={view} answer={answer} />;
  if (fromHtmx(c)) return renderFragment(c, body);
  return renderPage(c, view, view.t("timeline.title", { id: rentalId }), <>{body}<p><a href="/">{view.t("timeline.back")}</a></p></>);
}

/** A reservation's live status, its cancellation (with its confirmation step) and its timeline: the customer's. */
export function reservationPages(deps: PageDeps) {
  const app = new Hono<WebSessionEnv>();
  app.use(customerRoutes.status, pageFor("customer", deps.assets));
  app.use(customerRoutes.cancel, pageFor("customer", deps.assets));
  app.use(customerRoutes.timeline, pageFor("customer", deps.assets));
  app.get(customerRoutes.status, async (c) => {
    const id = idOf(c);
    return id ? statusLink(c, deps, id) : c.notFound();
  });
  app.get(customerRoutes.cancel, async (c) => {
    const id = idOf(c);
    return id ? cancelStep(c, deps, id) : c.notFound();
  });
  app.post(customerRoutes.cancel, async (c) => {
    const id = idOf(c);
    if (!id) return c.notFound();
    const fields = await formFields(c);
    if (fromHtmx(c)) return cancelFragment(c, viewOf(c, deps.assets), deps, id, fields);
    const answer = await deps.client.call(c, `/rentals/${id}`, { method: "DELETE" });
    if (answer.status === 204) return c.redirect("/", 303);
    const view = viewOf(c, deps.assets);
    return renderPage(c, view, view.t("mine.cancelTitle", { id }), <><ProblemMessage view={view} answer={answer} /><p><a href="/">{view.t("timeline.back")}</a></p></>, 409);
  });
  app.get(customerRoutes.timeline, async (c) => {
    const id = idOf(c);
    return id ? timeline(c, deps, id) : c.notFound();
  });
  return app;
}
