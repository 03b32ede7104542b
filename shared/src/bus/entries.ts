import { fromFlatReply } from "./flat-reply.ts";

/** Decoding of raw stream replies, kept apart from the loop that reads them. */

export interface StreamEntry {
  stream: string;
  id: string;
  /** null when the entry was deleted (XDEL/trim) while still pending. */
  fields: Record<string, string> | null;
}

type RawEntry = [id: string, fields: string[] | null];

export function decodeEntries(stream: string, raw: unknown): StreamEntry[] {
  return ((raw ?? []) as RawEntry[]).map(([id, list]) => ({ stream, id, fields: list ? fromFlatReply(list) : null }));
}

/** XREADGROUP reply: [[stream, [[id, [k, v, ...]], ...]], ...] or null. */
export function decodeReadReply(reply: unknown): StreamEntry[] {
  if (!reply) return [];
  return (reply as [string, unknown][]).flatMap(([stream, raw]) => decodeEntries(stream, raw));
}

/** Field under which an entry carries its JSON envelope. */
export const EVENT_FIELD = "event";

/** How an entry is named where entries of several streams meet (one group reads them all). */
export const entryKey = (entry: Pick<StreamEntry, "stream" | "id">) => `${entry.stream}/${entry.id}`;
