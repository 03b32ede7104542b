import { z } from "zod";
import { fromFlatReply } from "./flat-reply.ts";

/**
 * What a consumer writes to its group's dead-letter stream (`deadLetterKey` in
 * shared/src/topology/redis-keys.ts) when it gives up on an entry, and what the dead-letters
 * CLI reads back to list, redrive or drop it.
 */
export const DeadLetterRecord = z.object({
  /** The stream the entry came from, where a redrive puts it back. */
  stream: z.string(),
  entryId: z.string(),
  group: z.string(),
  reason: z.string(),
  /** How many times the group had handed the entry out. */
  deliveries: z.number().int().nonnegative(),
  /** The entry's own fields, as they were on the stream. */
  fields: z.record(z.string(), z.string()),
  failedAt: z.iso.datetime(),
});
export type DeadLetterRecord = z.infer<typeof DeadLetterRecord>;

/**
 * On the stream every value is a string (`fields` as JSON). Reading is lenient: a letter
 * written by hand or by an older version still lists, with blanks where it says nothing.
 */
const Stored = z.object({
  stream: z.string().catch(""),
  entryId: z.string().catch(""),
  group: z.string().catch(""),
  reason: z.string().catch(""),
  deliveries: z.coerce.number().int().nonnegative().catch(0),
  fields: z
    .string()
    .transform(parseJsonOrUndefined)
    .pipe(DeadLetterRecord.shape.fields)
    .catch({}),
  failedAt: z.string().catch(""),
});

function parseJsonOrUndefined(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined; // fails the schema, so the fields read as empty
  }
}

/** The XADD field list of a dead letter. */
export function encodeDeadLetter(record: DeadLetterRecord): string[] {
  const r = DeadLetterRecord.parse(record);
  return [
    "stream", r.stream, "entryId", r.entryId, "group", r.group, "reason", r.reason,
    "deliveries", String(r.deliveries), "fields", JSON.stringify(r.fields), "failedAt", r.failedAt,
  ];
}

/** A dead letter from its flat XRANGE field list. */
export function decodeDeadLetter(list: readonly string[]): DeadLetterRecord {
  return Stored.parse(fromFlatReply(list));
}
