/** Decoding of raw stream replies, kept apart from the loop that reads them. */

export interface StreamEntry {
  stream: string;
  id: string;
  /** null when the entry was deleted (XDEL/trim) while still pending. */
  fields: Record<string, string> | null;
}

type RawEntry = [id: string, fields: string[] | null];

export function decodeEntries(stream: string, raw: unknown): StreamEntry[] {
  return ((raw ?? []) as RawEntry[]).map(([id, list]) => ({ stream, id, fields: list ? pairs(list) : null }));
}

/** XREADGROUP reply: [[stream, [[id, [k, v, ...]], ...]], ...] or null. */
export function decodeReadReply(reply: unknown): StreamEntry[] {
  if (!reply) return [];
  return (reply as [string, unknown][]).flatMap(([stream, raw]) => decodeEntries(stream, raw));
}

function pairs(list: string[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (let i = 0; i + 1 < list.length; i += 2) out[list[i]!] = list[i + 1]!;
  return out;
}

/** Field under which an entry carries its JSON envelope. */
export const EVENT_FIELD = "event";
