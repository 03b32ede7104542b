import { compareStreamIds } from "../db/outbox/stream-ids.ts";
import { fromFlatReply } from "./flat-reply.ts";
import type { Redis } from "./redis.ts";

export interface GroupState {
  group: string;
  /** False for a group the topology declares that Redis does not hold (its consumer never started). */
  exists: boolean;
  /** Entries not yet delivered to the group (XINFO GROUPS `lag`; the whole stream for a missing group). */
  lag: number;
  /** Entries delivered to the group and not yet acked. */
  pending: number;
  /** The oldest entry id the group may still need: its oldest pending entry, or its last delivered one. */
  needs: string;
}

export interface StreamState {
  length: number;
  groups: GroupState[];
}

/**
 * Every consumer group of a stream as Redis holds it, plus the groups `declared` for it that
 * Redis does not hold yet: a declared group that does not exist needs the whole stream.
 */
export async function readStreamState(redis: Redis, stream: string, declared: readonly string[]): Promise<StreamState> {
  const [[groupsError, groupsReply], [, length]] = ((await redis.pipeline().call("XINFO", "GROUPS", stream).xlen(stream).exec()) ?? []) as [
    [Error | null, unknown[][]],
    [Error | null, number],
  ];
  if (groupsError && !/no such key/i.test(groupsError.message)) throw groupsError;
  const held = (groupsError ? [] : groupsReply).map(fromFlatReply);
  const oldestPending = await oldestPendingOf(redis, stream, held.filter((g) => Number(g.pending) > 0).map((g) => String(g.name)));
  const groups: GroupState[] = held.map((g) => {
    const group = String(g.name);
    const delivered = String(g["last-delivered-id"]);
    const minPending = oldestPending.get(group);
    const needs = minPending && compareStreamIds(minPending, delivered) < 0 ? minPending : delivered;
    // lag is nil when Redis cannot tell (entries deleted in the group's unread part): the
    // stream's length bounds it.
    const lag = g.lag === null || g.lag === undefined ? Number(length ?? 0) : Number(g.lag);
    return { group, exists: true, lag, pending: Number(g.pending), needs };
  });
  for (const group of declared) {
    if (!groups.some((g) => g.group === group)) groups.push({ group, exists: false, lag: Number(length ?? 0), pending: 0, needs: "0-0" });
  }
  return { length: Number(length ?? 0), groups };
}

/** Each group's oldest pending entry id, for all of them in one pipelined round trip. */
async function oldestPendingOf(redis: Redis, stream: string, groups: string[]): Promise<Map<string, string>> {
  if (groups.length === 0) return new Map();
  const pipeline = redis.pipeline();
  for (const group of groups) pipeline.xpending(stream, group);
  const replies = (await pipeline.exec()) ?? [];
  const oldest = new Map<string, string>();
  replies.forEach(([error, reply], i) => {
    if (error) throw error;
    const [, minPending] = reply as [number, string | null];
    if (minPending) oldest.set(groups[i]!, minPending);
  });
  return oldest;
}

/** The oldest entry any group still needs; undefined when no group reads the stream at all. */
export function oldestNeeded(state: StreamState): string | undefined {
  let oldest: string | undefined;
  for (const g of state.groups) if (oldest === undefined || compareStreamIds(g.needs, oldest) < 0) oldest = g.needs;
  return oldest;
}
