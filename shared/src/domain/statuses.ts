import { z } from "zod";

/**
 * Statuses one worker owns and another shows: mypage reports a payment's status as payment
 * names it and a delivery's as delivery names it. Each owner's rules use these types, so a
 * new status is added here once and both sides see it.
 */

export const PaymentStatus = z.enum(["Approved", "Declined", "Refunded"]);
export type PaymentStatus = z.infer<typeof PaymentStatus>;

/** A delivery is the manager's confirmation request for a paid rental. */
export const DeliveryStatus = z.enum(["PendingConfirmation", "Confirmed", "Cancelled"]);
export type DeliveryStatus = z.infer<typeof DeliveryStatus>;
