import type { Redis } from "../bus/redis.ts";
import type { MemoryReading, RedisMemory } from "../bus/redis-memory.ts";
import { readStreamState, type StreamState } from "../bus/stream-groups.ts";
import type { OutboxRelay } from "../db/outbox/relay.ts";
import type { Check } from "../http/health.ts";
import type { Metrics } from "../observability/metrics.ts";

/** How long a count of unpublished rows is reused: a reservation asks for it every time. */
const BACKLOG_FRESH_MS = 500;

/** What a use case may ask about the event bus before it commits to work that makes events. */
export interface BusPressure {
  /** Redis memory against its budget: the last reading, refreshed in the background (about once a second). */
  memory(): Promise<MemoryReading>;
  /** This worker's unpublished outbox rows (a count at most half a second old; 0 without an outbox). */
  outboxBacklog(): Promise<number>;
}

export interface BusPressureOptions {
  redis: Redis;
  memory: RedisMemory;
  metrics: Metrics;
  relay?: OutboxRelay | undefined;
  /** The stream this worker publishes, with the groups the topology says read it. */
  published?: { stream: string; groups: readonly string[] } | undefined;
}

/**
 * The pressure on the event bus as one worker sees it — Redis memory against the budget, its
 * outbox backlog, the lag of every group reading its stream — for use cases (cached, so asking
 * costs nothing per request), readiness (reported as degraded, never unready: reads still
 * work) and /metrics (what an alert needs).
 */
export function watchBusPressure(o: BusPressureOptions): { pressure: BusPressure; checks: Record<string, Check> } {
  let counted: { n: number; at: number } | undefined;
  let counting: Promise<number> | undefined;
  const outboxBacklog = async (): Promise<number> => {
    if (!o.relay) return 0;
    if (counted && Date.now() - counted.at < BACKLOG_FRESH_MS) return counted.n;
    counting ??= o.relay
      .backlog()
      .then((n) => (counted = { n, at: Date.now() }).n)
      .finally(() => (counting = undefined));
    return counting;
  };
  registerMetrics(o);

  const checks: Record<string, Check> = {
    redisMemory: async () => {
      const m = await o.memory.read();
      const limits = { budgetBytes: m.budgetBytes ?? null, publishLimitBytes: m.publishLimitBytes ?? null, maxBytes: m.maxBytes };
      return { usedBytes: m.usedBytes, ...limits, ...(m.overBudget ? { degraded: true } : {}) };
    },
  };
  if (o.relay) {
    const relay = o.relay;
    checks.outbox = async () => {
      const details = { unpublished: await relay.backlog() };
      return relay.paused ? { ...details, degraded: true, paused: relay.paused } : details;
    };
  }
  if (o.published) {
    const { stream, groups } = o.published;
    checks.stream = async () => {
      const state = await readStreamState(o.redis, stream, groups);
      const byGroup = Object.fromEntries(state.groups.map((g) => [g.group, { lag: g.lag, pending: g.pending, ...(g.exists ? {} : { missing: true }) }]));
      return { stream, length: state.length, groups: byGroup };
    };
  }
  return { pressure: { memory: () => o.memory.recent(), outboxBacklog }, checks };
}

function registerMetrics(o: BusPressureOptions): void {
  const { metrics, memory } = o;
  metrics.gauge("redis_memory_used_bytes", "Redis INFO used_memory", async (set) => set((await memory.read()).usedBytes));
  metrics.gauge("redis_memory_budget_bytes", "The share of Redis maxmemory the system may use (0: Redis has no maxmemory)", async (set) =>
    set((await memory.read()).budgetBytes ?? 0),
  );
  metrics.gauge("redis_memory_max_bytes", "Redis maxmemory (0: none)", async (set) => set((await memory.read()).maxBytes));
  if (o.relay) {
    const relay = o.relay;
    metrics.gauge("outbox_paused", "1 while the outbox relay holds rows back because Redis is at its memory budget", (set) => set(relay.paused ? 1 : 0));
  }
  if (o.published) {
    const { stream, groups } = o.published;
    // The three gauges are collected at once on a scrape: they share one read.
    let reading: Promise<StreamState> | undefined;
    const state = () => (reading ??= readStreamState(o.redis, stream, groups).finally(() => (reading = undefined)));
    metrics.gauge<"stream">("stream_length", "Entries in the stream this worker publishes", async (set) => set((await state()).length, { stream }), ["stream"]);
    metrics.gauge<"stream" | "group">(
      "stream_group_lag",
      "Entries of the stream not yet delivered to the group (a group not created yet counts the whole stream)",
      async (set) => {
        for (const g of (await state()).groups) set(g.lag, { stream, group: g.group });
      },
      ["stream", "group"],
    );
    metrics.gauge<"stream" | "group">(
      "stream_group_pending",
      "Entries delivered to the group and not yet acked",
      async (set) => {
        for (const g of (await state()).groups) set(g.pending, { stream, group: g.group });
      },
      ["stream", "group"],
    );
  }
}
