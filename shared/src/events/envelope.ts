import { z } from "zod";

/** Every event on the bus travels in this envelope (docs/architecture.md, 'Envelope'). */
export const Envelope = z.object({
  id: z.string().min(1).max(100),
  type: z.string().min(1).max(100),
  version: z.number().int().positive(),
  occurredAt: z.iso.datetime(),
  source: z.string().min(1),
  aggregateId: z.string().min(1),
  correlationId: z.string().min(1),
  causationId: z.string().min(1).nullable(),
  traceparent: z.string().optional(),
  data: z.unknown(),
});
export type Envelope = z.infer<typeof Envelope>;

/** What a state change hands to the outbox: the envelope minus what the outbox fills in. */
export interface NewEvent {
  type: string;
  version: number;
  aggregateId: string;
  data: unknown;
  correlationId?: string;
  causationId?: string | null;
}

export function newEventId(): string {
  return Bun.randomUUIDv7();
}
