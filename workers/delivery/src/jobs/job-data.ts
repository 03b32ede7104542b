import type { RequestDeliveryInput } from "../deliveries/request-delivery.ts";

/** What a confirmation-request job carries: the request, and the event that caused it. */
export interface JobData extends RequestDeliveryInput {
  eventId: string;
  correlationId: string;
}
