import { z } from "zod";
import type { Envelope } from "./envelope.ts";

/**
 * The saga's events, versioned. A consumer parses `data` with the schema for
 * `type`@`version`; an unknown pair is a poison entry and goes to dead letters.
 */

const rentalId = z.number().int().positive();
export const CancelReason = z.enum(["customer", "payment-declined", "payment-unavailable"]);
export type CancelReason = z.infer<typeof CancelReason>;

export const Rented = z.object({
  rentalId,
  carId: z.string(),
  rentHour: z.number().int().positive(),
  price: z.number().int().nonnegative(),
  customerId: z.string().nullable(),
  paymentId: z.number().int().positive(),
});
export type Rented = z.infer<typeof Rented>;

export const RentalCancelled = z.object({
  rentalId,
  carId: z.string(),
  rentHour: z.number().int().positive(),
  price: z.number().int().nonnegative(),
  customerId: z.string().nullable(),
  paymentId: z.number().int().positive().nullable(),
  reason: CancelReason,
  /** Who cancelled (a customer, or a manager), when someone did: absent for the saga's own cancels, in lab mode and in events written before it existed. */
  cancelledBy: z.string().optional(),
});
export type RentalCancelled = z.infer<typeof RentalCancelled>;

/** The window a reservation holds its car for, [startAt, endAt), ISO 8601 UTC. */
const held = { startAt: z.iso.datetime(), endAt: z.iso.datetime() };

/** Version 2 of Rented and RentalCancelled: version 1 and the window. */
export const RentedV2 = Rented.extend(held);
export type RentedV2 = z.infer<typeof RentedV2>;
export const RentalCancelledV2 = RentalCancelled.extend(held);
export type RentalCancelledV2 = z.infer<typeof RentalCancelledV2>;

export const PaymentApproved = z.object({
  paymentId: z.number().int().positive(),
  rentalId,
  amount: z.number().int().nonnegative(),
  rentHour: z.number().int().positive(),
  carId: z.string().nullable(),
});
export type PaymentApproved = z.infer<typeof PaymentApproved>;

/** Version 2: the window paid for; null for a charge whose caller did not name one (the lab mode's v1 body). */
export const PaymentApprovedV2 = PaymentApproved.extend({ startAt: z.iso.datetime().nullable(), endAt: z.iso.datetime().nullable() });
export type PaymentApprovedV2 = z.infer<typeof PaymentApprovedV2>;

export const PaymentRefunded = z.object({
  paymentId: z.number().int().positive(),
  rentalId,
  amount: z.number().int().nonnegative(),
});
export type PaymentRefunded = z.infer<typeof PaymentRefunded>;

export const ConfirmationRequested = z.object({
  deliveryId: z.number().int().positive(),
  rentalId,
  carId: z.string().nullable(),
  rentHour: z.number().int().positive(),
});
export type ConfirmationRequested = z.infer<typeof ConfirmationRequested>;

export const ReservationConfirmed = z.object({
  deliveryId: z.number().int().positive(),
  rentalId,
  /** The manager who confirmed: absent in lab mode and in events written before it existed. */
  confirmedBy: z.string().optional(),
});
export type ReservationConfirmed = z.infer<typeof ReservationConfirmed>;

export const ConfirmationCancelled = z.object({
  deliveryId: z.number().int().positive(),
  rentalId,
});
export type ConfirmationCancelled = z.infer<typeof ConfirmationCancelled>;

export const catalog = {
  "Rented@1": Rented,
  "Rented@2": RentedV2,
  "RentalCancelled@1": RentalCancelled,
  "RentalCancelled@2": RentalCancelledV2,
  "PaymentApproved@1": PaymentApproved,
  "PaymentApproved@2": PaymentApprovedV2,
  "PaymentRefunded@1": PaymentRefunded,
  "ConfirmationRequested@1": ConfirmationRequested,
  "ReservationConfirmed@1": ReservationConfirmed,
  "ConfirmationCancelled@1": ConfirmationCancelled,
} as const;

type Catalog = typeof catalog;
type Key = keyof Catalog;
type TypeOf<K> = K extends `${infer T}@${number}` ? T : never;

/** A parsed domain event: the envelope with `type` narrowed and `data` typed. */
export type DomainEvent = {
  [K in Key]: Omit<Envelope, "type" | "data"> & { type: TypeOf<K>; data: z.infer<Catalog[K]> };
}[Key];
export type EventType = DomainEvent["type"];

export class UnknownEventError extends Error {
  override name = "UnknownEventError";
}

/** Types the `data` of an envelope; throws on an unknown type/version or a bad payload. */
export function parseDomainEvent(envelope: Envelope): DomainEvent {
  const schema = (catalog as Record<string, z.ZodType>)[`${envelope.type}@${envelope.version}`];
  if (!schema) throw new UnknownEventError(`unknown event ${envelope.type}@${envelope.version}`);
  return { ...envelope, data: schema.parse(envelope.data) } as DomainEvent;
}

/**
 * The window an event names: version 2 of Rented, RentalCancelled and PaymentApproved carry
 * it; version 1 (still read: entries written before stay in the streams) and the other events
 * do not.
 */
export function windowOf(data: DomainEvent["data"]): { startAt: string; endAt: string } | null {
  return "startAt" in data && data.startAt && data.endAt ? { startAt: data.startAt, endAt: data.endAt } : null;
}

/** The version each producer writes today. */
export const currentVersion: Record<EventType, number> = {
  Rented: 2,
  RentalCancelled: 2,
  PaymentApproved: 2,
  PaymentRefunded: 1,
  ConfirmationRequested: 1,
  ReservationConfirmed: 1,
  ConfirmationCancelled: 1,
};
