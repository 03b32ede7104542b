import { ZodError } from "zod";
import { Envelope } from "../events/envelope.ts";
import { UnknownEventError } from "../events/catalog.ts";
import type { Logger } from "../log/logger.ts";
import { withLogContext } from "../log/context.ts";
import { decodeEntries, decodeReadReply, EVENT_FIELD, type StreamEntry } from "./entries.ts";
import { redisErrorCode, type Redis } from "./redis.ts";

/** Thrown by a handler for an event that can never succeed: it goes to dead letters at once. */
export class PoisonEventError extends Error {
  override name = "PoisonEventError";
}

export interface Delivery {
  stream: string;
  entryId: string;
  /** How many times the group has handed this entry out, this time included. */
  deliveries: number;
}

export type EventHandler = (event: Envelope, delivery: Delivery) => Promise<void>;

/**
 * Handles a whole batch at once (one transaction for many events). If it fails with an
 * error of its own, the batch is handled again entry by entry, to find the culprit.
 */
export type BatchHandler = (events: Envelope[]) => Promise<void>;

export interface ConsumerOptions {
  /** For short commands: XACK, XAUTOCLAIM, dead letters. */
  redis: Redis;
  /** Opens the dedicated connection that XREADGROUP ... BLOCK ties up. */
  openBlocking: () => Redis;
  streams: string[];
  group: string;
  consumer: string;
  deadLetterStream: string;
  handle: EventHandler;
  /** Optional: takes the batch in one go, for handlers that can (a projection). */
  handleMany?: BatchHandler;
  logger: Logger;
  batchSize?: number;
  blockMs?: number;
  /**
   * An entry whose handler failed this many times with an error of its own (a bug, a
   * rejected write) is dead-lettered.
   */
  maxDeliveries?: number;
  /**
   * An entry whose handler keeps failing because a dependency is away (the database, Redis)
   * is retried up to this many deliveries — minutes of outage — before it is dead-lettered
   * too; so is an entry that crashes its process every time.
   */
  maxTransientDeliveries?: number;
  /** An entry pending longer than this is presumed abandoned (longer than the slowest handler). */
  claimIdleMs?: number;
  /** Pause after an error talking to Redis before reading again. */
  retryDelayMs?: number;
  /** Told how each entry ended (for metrics). */
  observe?: (outcome: "ok" | "failed" | "dead", type: string) => void;
}

/** Entries whose own failures are remembered at once (the oldest are forgotten first). */
const MAX_TRACKED_FAILURES = 10_000;

/** Enough to cover a batch's range even when older pending entries of ours sit inside it. */
const XPENDING_PAGE = 10_000;

const DEFAULTS = {
  observe: () => {},
  batchSize: 64,
  blockMs: 2_000,
  maxDeliveries: 5,
  maxTransientDeliveries: 40,
  claimIdleMs: 15_000,
  retryDelayMs: 500,
};

/**
 * A Redis Streams consumer-group reader (docs/architecture.md, 'Stream mechanics').
 *
 * On start it re-reads its own pending entries (id `0`), then new ones (`>`), with a finite
 * BLOCK on a dedicated connection. A janitor reclaims entries other consumers abandoned
 * (XAUTOCLAIM) and dead-letters an entry that keeps failing (`maxDeliveries` for errors of its
 * own, `maxTransientDeliveries` while a dependency is away). Entries are acked
 * in one XACK per stream per batch, only after the handler committed. Groups start at `0`
 * so a consumer that joins late still sees history; a deleted stream or group (NOGROUP) is
 * recreated.
 */
export class StreamConsumer {
  private readonly o: Required<Omit<ConsumerOptions, "handleMany">> & Pick<ConsumerOptions, "handleMany">;
  private blocking: Redis | undefined;
  private stopping = false;
  private loop: Promise<void> | undefined;
  private janitorTimer: ReturnType<typeof setInterval> | undefined;
  private janitorRun: Promise<void> | undefined;
  private healthy = false;
  private readonly ownFailures = new Map<string, number>();

  constructor(options: ConsumerOptions) {
    this.o = { ...DEFAULTS, ...options };
  }

  /** True while the loop runs and its last round trip to Redis succeeded. */
  get running(): boolean {
    return this.loop !== undefined && !this.stopping && this.healthy;
  }

  /** Starts reading; never throws: while Redis is away it stays unhealthy and keeps trying. */
  async start(): Promise<void> {
    this.blocking = this.o.openBlocking();
    this.healthy = await this.ensureGroups().then(
      () => true,
      (error) => {
        this.o.logger.warn({ err: error }, "cannot create consumer groups yet; retrying");
        return false;
      },
    );
    this.loop = this.run();
    const every = Math.max(50, Math.floor(this.o.claimIdleMs / 2));
    this.janitorTimer = setInterval(() => {
      this.janitorRun ??= this.reclaim()
        .catch((error) => this.o.logger.warn({ err: error }, "janitor round failed"))
        .finally(() => (this.janitorRun = undefined));
    }, every);
  }

  /** Stops after the batch in hand is handled and acked. */
  async stop(): Promise<void> {
    this.stopping = true;
    clearInterval(this.janitorTimer);
    await this.janitorRun;
    // Interrupting a blocked read is safe: whatever it was handed stays pending and is
    // read again from `0` on the next start (or reclaimed by a janitor).
    const closing = this.loop;
    await Promise.race([closing, Bun.sleep(50)]);
    this.blocking?.disconnect();
    await closing;
  }

  private async run(): Promise<void> {
    const blocking = this.blocking!;
    // Our own pending entries first, from the start of each stream, then new ones.
    let cursors: Map<string, string> | undefined = new Map(this.o.streams.map((s) => [s, "0"]));
    while (!this.stopping) {
      try {
        if (cursors && cursors.size > 0) {
          const keys = [...cursors.keys()];
          const reply = await blocking.call("XREADGROUP", [
            "GROUP", this.o.group, this.o.consumer, "COUNT", this.o.batchSize,
            "STREAMS", ...keys, ...keys.map((k) => cursors!.get(k)!),
          ]);
          const entries = decodeReadReply(reply);
          for (const key of keys) {
            const mine = entries.filter((e) => e.stream === key);
            if (mine.length === 0) cursors.delete(key);
            else cursors.set(key, mine.at(-1)!.id);
          }
          await this.handleBatch(entries, await this.deliveryCounts(entries));
          if (cursors.size === 0) cursors = undefined;
        } else {
          const reply = await blocking.call("XREADGROUP", [
            "GROUP", this.o.group, this.o.consumer, "COUNT", this.o.batchSize,
            "BLOCK", this.o.blockMs, "STREAMS", ...this.o.streams, ...this.o.streams.map(() => ">"),
          ]);
          await this.handleBatch(decodeReadReply(reply), 1);
        }
        this.healthy = true;
      } catch (error) {
        if (this.stopping) break;
        this.healthy = false;
        if (redisErrorCode(error) === "NOGROUP") {
          this.o.logger.warn({ group: this.o.group }, "consumer group missing; recreating it");
          await this.ensureGroups().catch(() => {});
          cursors = new Map(this.o.streams.map((s) => [s, "0"]));
          continue;
        }
        this.o.logger.warn({ err: error }, "stream read failed; retrying");
        // An ack may have failed with the connection: re-read our own pending entries first,
        // rather than leave them to the janitor's idle timeout.
        cursors = new Map(this.o.streams.map((s) => [s, "0"]));
        await Bun.sleep(this.o.retryDelayMs);
      }
    }
  }

  private async ensureGroups(): Promise<void> {
    for (const stream of this.o.streams) {
      try {
        await this.o.redis.call("XGROUP", ["CREATE", stream, this.o.group, "0", "MKSTREAM"]);
      } catch (error) {
        if (redisErrorCode(error) !== "BUSYGROUP") throw error;
      }
    }
  }

  /**
   * Handles entries in stream order; acks the ones handled or dead-lettered in one XACK
   * per stream. A handler that throws leaves its entry pending for a later delivery.
   */
  private async handleBatch(entries: StreamEntry[], deliveries: number | Map<string, number>) {
    if (entries.length === 0) return;
    const done: StreamEntry[] = [];
    const dead: { entry: StreamEntry; reason: string; deliveries: number }[] = [];
    let valid: { entry: StreamEntry; event: Envelope; count: number }[] = [];
    for (const entry of entries) {
      const count = typeof deliveries === "number" ? deliveries : (deliveries.get(entry.id) ?? 1);
      if (entry.fields === null) {
        done.push(entry);
        continue;
      }
      const parsed = parseEntry(entry);
      const type = parsed.ok ? parsed.event.type : "unknown";
      if (count > this.o.maxTransientDeliveries) {
        dead.push({ entry, reason: `delivered ${count} times without success`, deliveries: count });
        this.o.observe("dead", type);
      } else if (!parsed.ok) {
        dead.push({ entry, reason: parsed.reason, deliveries: count });
        this.o.observe("dead", type);
      } else {
        valid.push({ entry, event: parsed.event, count });
      }
    }
    if (this.o.handleMany && valid.length > 1) {
      try {
        await this.o.handleMany(valid.map((v) => v.event));
        for (const v of valid) {
          done.push(v.entry);
          this.o.observe("ok", v.event.type);
        }
        valid = [];
      } catch (error) {
        if (isTransient(error)) {
          for (const v of valid) this.o.observe("failed", v.event.type);
          this.o.logger.warn({ err: error, entries: valid.length }, "batch handler failed; the entries stay pending");
          valid = [];
        }
        // Otherwise one of them is at fault: handle them one by one below.
      }
    }
    for (const { entry, event, count } of valid) {
      try {
        await withLogContext({ correlationId: event.correlationId, eventId: event.id, eventType: event.type }, () =>
          this.o.handle(event, { stream: entry.stream, entryId: entry.id, deliveries: count }),
        );
        done.push(entry);
        this.o.observe("ok", event.type);
      } catch (error) {
        const ownFailures = isTransient(error) ? 0 : this.countOwnFailure(entry.id);
        if (isPoison(error) || ownFailures >= this.o.maxDeliveries) {
          dead.push({ entry, reason: describe(error), deliveries: count });
          this.o.observe("dead", event.type);
        } else {
          this.o.observe("failed", event.type);
          this.o.logger.warn(
            { err: error, stream: entry.stream, entryId: entry.id, eventId: event.id, deliveries: count },
            "handler failed; the entry stays pending",
          );
        }
      }
    }
    await this.settle(done, dead);
  }

  /**
   * Failures of an entry's handler with errors of its own, counted apart from deliveries
   * spent while a dependency was away (in memory: a restart grants a few more tries).
   */
  private countOwnFailure(entryId: string): number {
    const n = (this.ownFailures.get(entryId) ?? 0) + 1;
    this.ownFailures.delete(entryId); // re-insert: the map stays in least-recent order
    this.ownFailures.set(entryId, n);
    if (this.ownFailures.size > MAX_TRACKED_FAILURES) this.ownFailures.delete(this.ownFailures.keys().next().value!);
    return n;
  }

  private async settle(
    done: StreamEntry[],
    dead: { entry: StreamEntry; reason: string; deliveries: number }[],
  ): Promise<void> {
    if (done.length === 0 && dead.length === 0) return;
    const pipeline = this.o.redis.multi();
    for (const { entry, reason, deliveries } of dead) {
      this.o.logger.error({ stream: entry.stream, entryId: entry.id, reason }, "entry dead-lettered");
      pipeline.xadd(
        this.o.deadLetterStream, "*",
        "stream", entry.stream, "entryId", entry.id, "group", this.o.group,
        "reason", reason, "deliveries", String(deliveries),
        "fields", JSON.stringify(entry.fields ?? {}), "failedAt", new Date().toISOString(),
      );
    }
    for (const entry of [...done, ...dead.map((d) => d.entry)]) this.ownFailures.delete(entry.id);
    const byStream = new Map<string, string[]>();
    for (const entry of [...done, ...dead.map((d) => d.entry)]) {
      byStream.set(entry.stream, [...(byStream.get(entry.stream) ?? []), entry.id]);
    }
    for (const [stream, ids] of byStream) pipeline.xack(stream, this.o.group, ...ids);
    const results = (await pipeline.exec()) ?? [];
    const failed = results.find(([error]) => error);
    if (failed) throw failed[0];
  }

  /** Claims entries idle past `claimIdleMs` (a consumer died or a handler failed) and retries them. */
  private async reclaim(): Promise<void> {
    for (const stream of this.o.streams) {
      let start = "0-0";
      do {
        if (this.stopping) return;
        const reply = (await this.o.redis.call("XAUTOCLAIM", [
          stream, this.o.group, this.o.consumer, this.o.claimIdleMs, start, "COUNT", this.o.batchSize,
        ])) as [string, unknown, unknown?];
        start = reply[0];
        const entries = decodeEntries(stream, reply[1]);
        if (entries.length > 0) await this.handleBatch(entries, await this.deliveryCounts(entries));
      } while (start !== "0-0");
    }
  }

  /** Delivery counts of entries we hold, from the group's pending list (one XPENDING per stream). */
  private async deliveryCounts(entries: StreamEntry[]): Promise<Map<string, number>> {
    const counts = new Map<string, number>();
    for (const stream of new Set(entries.map((e) => e.stream))) {
      const ids = entries.filter((e) => e.stream === stream).map((e) => e.id);
      const pending = (await this.o.redis.call("XPENDING", [
        stream, this.o.group, ids[0]!, ids.at(-1)!, XPENDING_PAGE, this.o.consumer,
      ])) as [string, string, number, number][];
      for (const [id, , , n] of pending) counts.set(id, Number(n));
    }
    return counts;
  }
}

type Parsed = { ok: true; event: Envelope } | { ok: false; reason: string };

function parseEntry(entry: StreamEntry): Parsed {
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

function isPoison(error: unknown): boolean {
  return error instanceof PoisonEventError || error instanceof ZodError || error instanceof UnknownEventError;
}

/**
 * A failure that says nothing about the entry: a dependency was unreachable, busy or slow.
 * Such entries are retried for longer before they are dead-lettered.
 */
export function isTransient(error: unknown): boolean {
  if (!(error instanceof Error)) return false;
  const code = String((error as { code?: unknown }).code ?? "");
  if (/^(SQLITE_(BUSY|LOCKED|IOERR|FULL|CANTOPEN|PROTOCOL)|ECONN\w*|ETIMEDOUT|EPIPE|ENOTFOUND|EAI_AGAIN|HRANA_\w*|SERVER_ERROR)/.test(code)) {
    return true;
  }
  return /ECONNREFUSED|ECONNRESET|ETIMEDOUT|socket|Connection is closed|Command timed out|fetch failed|Unable to connect|MaxRetriesPerRequest|Stream isn't writeable|database is locked/i.test(
    `${error.name}: ${error.message}`,
  );
}

function describe(error: unknown): string {
  if (error instanceof ZodError) {
    const issue = error.issues[0];
    return `bad event data: ${issue?.path.join(".")} ${issue?.message}`;
  }
  return error instanceof Error ? `${error.name}: ${error.message}` : String(error);
}
