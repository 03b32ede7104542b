import { Envelope } from "../../events/envelope.ts";
import { EVENT_FIELD, type StreamEntry } from "../entries.ts";

export type ParsedEntry = { ok: true; event: Envelope } | { ok: false; reason: string };

/** The envelope an entry carries, or why it carries none (such an entry is poison). */
export function parseEntry(entry: StreamEntry): ParsedEntry {
  const raw = entry.fields?.[EVENT_FIELD];
  if (raw === undefined) return { ok: false, reason: `no "${EVENT_FIELD}" field` };
  let json: unknown;
  try {
    json = JSON.parse(raw);
  } catch {
    return { ok: false, reason: "event is not valid JSON" };
  }
  const result = Envelope.safeParse(json);
  if (!result.success) return { ok: false, reason: `bad envelope: ${result.error.issues[0]?.message}` };
  return { ok: true, event: result.data };
}
