import type { DeliveryFact } from "../../workers/delivery/src/deliveries/delivery-facts.ts";
import type { MypageFact } from "../../workers/mypage/src/mypages/mypage-facts.ts";
import type { PaymentFact } from "../../workers/payment/src/payments/payment-facts.ts";
import type { RentalFact } from "../../workers/rental/src/rentals/rental-facts.ts";
import type { SagaRows } from "./saga-rows.ts";

/**
 * The saga's invariants across the four databases: each rental's payment, confirmation
 * request and view agree with its status, and nothing exists for a rental that does not.
 * Takes one stretch of rental ids (saga-rows.ts) and pushes one line per violation onto `v`.
 */
export function checkSaga(rows: SagaRows, v: string[]): void {
  const rentals = new Map(rows.rentals.map((r) => [r.rentalId, r]));
  for (const r of rows.rentals) {
    const p = rows.payments.get(r.rentalId);
    const d = rows.requests.get(r.rentalId);
    const view = rows.views.get(r.rentalId);
    if (r.status === "PaymentPending") v.push(`rental ${r.rentalId} is stuck in PaymentPending`);
    if (r.status === "Reserved" || r.status === "Confirmed") checkLive(r, p, d, view, v);
    if (r.status === "Cancelled") checkCancelled(r, p, d, view, v);
  }
  for (const [rentalId, view] of rows.views) {
    checkViewDetails(view, rentals.get(rentalId), rows.payments.get(rentalId), rows.requests.get(rentalId), v);
  }
  for (const [rentalId, p] of rows.payments) if (!rentals.has(rentalId)) v.push(`payment ${p.id} (${p.status}) is for unknown rental ${rentalId}`);
  for (const [rentalId, d] of rows.requests) if (!rentals.has(rentalId)) v.push(`confirmation request ${d.id} is for unknown rental ${rentalId}`);
  for (const rentalId of rows.views.keys()) if (!rentals.has(rentalId)) v.push(`mypage row for unknown rental ${rentalId}`);
}

function checkLive(r: RentalFact, p: PaymentFact | undefined, d: DeliveryFact | undefined, view: MypageFact | undefined, v: string[]) {
  const id = r.rentalId;
  if (r.deleted) v.push(`rental ${id} is ${r.status} but deleted`);
  if (p?.status !== "Approved" || p.id !== r.paymentId) v.push(`rental ${id} is ${r.status} but its payment is ${p ? `${p.id} ${p.status}` : "missing"}`);
  const want = r.status === "Confirmed" ? "Confirmed" : "PendingConfirmation";
  if (d?.status !== want) v.push(`rental ${id} is ${r.status} but its confirmation request is ${d?.status ?? "missing"}`);
  const wantView = r.status === "Confirmed" ? "Confirmed" : "AwaitingConfirmation";
  if (!view) v.push(`rental ${id} has no mypage row`);
  else if (view.status !== wantView || view.paymentStatus !== "Approved" || view.confirmationStatus !== want) {
    v.push(`rental ${id} is ${r.status} but mypage shows ${view.status}/${view.paymentStatus}/${view.confirmationStatus}`);
  }
}

function checkCancelled(r: RentalFact, p: PaymentFact | undefined, d: DeliveryFact | undefined, view: MypageFact | undefined, v: string[]) {
  const id = r.rentalId;
  if (p?.status === "Approved") v.push(`cancelled rental ${id} (${r.reason}) keeps an Approved charge (payment ${p.id})`);
  if (d && d.status !== "Cancelled") v.push(`cancelled rental ${id} keeps a live confirmation request (${d.status})`);
  if ((r.reason === "customer") !== r.deleted) v.push(`rental ${id} cancelled for ${r.reason} has deleted=${r.deleted}`);
  if (!view) {
    v.push(`cancelled rental ${id} has no mypage row`);
    return;
  }
  if (view.status !== "Cancelled" || view.cancelReason !== r.reason) {
    v.push(`cancelled rental ${id} (${r.reason}) shows ${view.status} (${view.cancelReason}) on mypage`);
  }
  // The view learns a payment's status from its events (Approved, Refunded) and a decline from
  // the rental's cancel reason. A charge declined after rental gave up on the call (payment
  // died before answering: payment-unavailable) publishes nothing, and no money moved: the
  // view rightly shows no payment then.
  const announced = p && p.status !== "Declined" ? p.status : null;
  const paid = announced ?? (r.reason === "payment-declined" ? "Declined" : null);
  if (view.paymentStatus !== paid) v.push(`rental ${id}: mypage says payment ${view.paymentStatus}, payment says ${paid}`);
  if (d && view.confirmationStatus !== "Cancelled") v.push(`rental ${id}: mypage says request ${view.confirmationStatus}, delivery says Cancelled`);
}

/**
 * The view copies its details from the events; each must equal what the detail's owner
 * holds: customer, car and price from the rental, the amount charged from the payment, the
 * car of the confirmation request from delivery.
 */
function checkViewDetails(view: MypageFact, r: RentalFact | undefined, p: PaymentFact | undefined, d: DeliveryFact | undefined, v: string[]) {
  const differs = (what: string, shown: unknown, owner: string, held: unknown) => {
    if (shown !== held) v.push(`rental ${view.rentalId}: mypage says ${what} ${JSON.stringify(shown)}, ${owner} ${JSON.stringify(held)}`);
  };
  if (r) {
    differs("customerId", view.customerId, "rental says", r.customerId);
    differs("carId", view.carId, "rental says", r.carId);
    differs("price", view.price, "rental says", r.price);
    // A view folded from version 1 events has no window; one that has a window has the rental's.
    if (view.startAt) differs("window", `${view.startAt}/${view.endAt}`, "rental says", `${r.startAt}/${r.endAt}`);
  }
  if (p) differs("price", view.price, "payment charged", p.amount);
  if (d?.carId != null) differs("carId", view.carId, "delivery says", d.carId);
}
