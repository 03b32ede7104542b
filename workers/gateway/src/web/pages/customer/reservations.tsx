/** @jsxImportSource hono/jsx */
import { money } from "../../i18n/locale.ts";
import { Time } from "../../layout/time.tsx";
import type { View } from "../../layout/view.ts";
import { timelinePath } from "./customer.routes.ts";
import type { Reservation } from "./customer-resources.ts";
import { Actions, isFinal, StatusLine } from "./reservation-status.tsx";

/**
 * How many of the newest reservations whose status may still change follow it live: each
 * keeps one request parked at the gateway, and a browser opens only six connections to a
 * site. The rest show the status they had when the page was drawn.
 */
const LIVE_ROWS = 3;

/** One reservation: what was reserved, its live status, "Cancel", and its timeline on demand. */
export function ReservationItem({ view, r, live, etag = null }: { view: View; r: Reservation; live: boolean; etag?: string | null }) {
  const { t, locale } = view;
  const following = live && !isFinal(r);
  return (
    <li class="reservation" id={`reservation-${r.rentalId}`}>
      <h3>{t("mine.item", { carId: r.carId ?? "?", id: r.rentalId })}</h3>
      <dl>
        <dt>{t("mine.start")}</dt><dd><Time iso={r.startAt} /></dd>
        <dt>{t("mine.end")}</dt><dd><Time iso={r.endAt} /></dd>
        <dt>{t("mine.hours")}</dt><dd>{r.rentHour ?? "—"}</dd>
        <dt>{t("mine.price")}</dt><dd>{r.price === null ? "—" : money(t, locale, r.price)}</dd>
      </dl>
      <p aria-live="polite" aria-atomic="true">
        <StatusLine view={view} r={r} follow={following ? { etag } : undefined} />
      </p>
      <Actions view={view} r={r} live={following} etag={etag} />
      <details>
        <summary>{t("timeline.summary")}</summary>
        <div hx-get={timelinePath(r.rentalId)} hx-trigger="toggle from:closest details" hx-target="this" hx-swap="innerHTML">
          <a href={timelinePath(r.rentalId)}>{t("timeline.open")}</a>
        </div>
      </details>
    </li>
  );
}

/** "My reservations", newest first; the newest LIVE_ROWS that can still change follow live. */
export function Reservations({ view, rows }: { view: View; rows: Reservation[] }) {
  const { t } = view;
  const live = new Set(rows.filter((r) => !isFinal(r)).slice(0, LIVE_ROWS).map((r) => r.rentalId));
  return (
    <section aria-labelledby="mine-heading">
      <h2 id="mine-heading">{t("mine.heading")}</h2>
      <ul id="my-reservations" class="reservations">
        {rows.map((r) => <ReservationItem view={view} r={r} live={live.has(r.rentalId)} />)}
      </ul>
      <p class="empty-note">{t("mine.empty")}</p>
    </section>
  );
}
