/** @jsxImportSource hono/jsx */
import type { MessageKey } from "../../i18n/en.ts";
import type { View } from "../../layout/view.ts";
import { cancelPath, statusPath } from "./customer.routes.ts";
import type { Reservation } from "./customer-resources.ts";

/**
 * Whether a reservation's status can still change by itself, so the page keeps following it:
 * confirmed, or cancelled with the payment settled (refunded, declined, or never taken), is
 * final. A confirmed one may still be cancelled: that is this page's own action, which starts
 * following it again.
 */
export function isFinal(r: Reservation): boolean {
  if (r.status === "Confirmed") return true;
  return r.status === "Cancelled" && r.paymentStatus !== "Approved";
}

/** Whether the customer may still cancel it: live, and its window not yet started. */
export function cancellable(r: Reservation, now = Date.now()): boolean {
  if (r.status === "Cancelled") return false;
  return r.startAt === null || Date.parse(r.startAt) > now;
}

interface Follow {
  /** The row's ETag from mypage; none before the first answer. */
  etag: string | null;
  /** Seconds to wait before asking again (only after a failed read); 0 asks at once. */
  delaySeconds?: number;
}

/**
 * The event a status link's 204 names in `HX-Trigger` when mypage's row did not change during
 * the wait: htmx fires it on the element that asked, which asks again with the same ETag
 * (nothing swapped, no second read of the unchanged row).
 */
export const UNCHANGED_EVENT = "status-unchanged";

/** A status element's `hx-trigger`: once in the page (after `delaySeconds`, if any), and again on {@link UNCHANGED_EVENT}. */
export const statusTrigger = (delaySeconds?: number) => `${delaySeconds ? `load delay:${delaySeconds}s` : "load"}, ${UNCHANGED_EVENT}`;

/**
 * The reservation's status, payment and reason. While `follow` is given it is a link in a
 * chain of long polls: htmx loads its URL as soon as it is in the page, the gateway answers
 * when mypage's row changes with this element again, and the new one asks again; a final
 * status stops the chain. After a wait with no change it answers 204 and the element asks again. The caller wraps it in an aria-live region.
 */
export function StatusLine({ view, r, follow, note }: { view: View; r: Reservation; follow?: Follow | undefined; note?: string }) {
  const { t } = view;
  const paymentKey: MessageKey = r.paymentStatus ? `payment.${r.paymentStatus}` : "payment.none";
  const reasonKey = r.cancelReason ? (`reason.${r.cancelReason}` as MessageKey) : undefined;
  const poll = follow
    ? { "hx-get": statusPath(r.rentalId, follow.etag), "hx-trigger": statusTrigger(follow.delaySeconds), "hx-target": "this", "hx-swap": "outerHTML" }
    : {};
  return (
    <span id={`status-${r.rentalId}`} {...poll}>
      {t("mine.status")}: <span class="status">{t(`status.${r.status}`)}</span>
      {" · "}{t("mine.payment")}: <span class="payment">{t(paymentKey)}</span>
      {reasonKey ? <>{" · "}{t(reasonKey)}</> : null}
      {note ? <>{" · "}{note}</> : null}
    </span>
  );
}

/**
 * The row's actions: "Cancel" while it can be cancelled. Without JavaScript the button opens
 * a confirmation page; with htmx it asks the browser to confirm, then posts. `live` says
 * whether a status chain is running for the row (a cancel restarts one that is not); `oob`
 * lets a status answer replace it in passing.
 */
export function Actions({ view, r, live, etag, oob }: { view: View; r: Reservation; live: boolean; etag: string | null; oob?: boolean }) {
  const { t } = view;
  return (
    <div id={`actions-${r.rentalId}`} class="actions" hx-swap-oob={oob ? "true" : undefined}>
      {cancellable(r) ? (
        <form method="get" action={cancelPath(r.rentalId)} hx-post={cancelPath(r.rentalId)} hx-confirm={t("mine.cancelConfirm", { id: r.rentalId, carId: r.carId ?? "" })}
          hx-target={`#actions-${r.rentalId}`} hx-swap="outerHTML">
          <input type="hidden" name="live" value={live ? "1" : "0"} />
          <input type="hidden" name="etag" value={etag ?? ""} />
          <button type="submit" class="danger">{t("mine.cancel")}</button>
        </form>
      ) : null}
    </div>
  );
}
