import type { Logger } from "../../log/logger.ts";
import type { AttemptLedger, Attempts } from "./attempts.ts";
import type { DegradedClock } from "./degraded.ts";
import { dispatch, type Dispatchable, type Handlers, type Outcome } from "./dispatch.ts";
import { entryKey, type StreamEntry } from "../entries.ts";
import { parseEntry } from "./parse-entry.ts";
import { describeFailure, isPoison } from "./poison.ts";
import type { Accepted } from "./handlers.ts";
import { emptySettlement, settle, type SettleTarget, type Settlement } from "./settle.ts";

export type Observe = (outcome: "ok" | "skipped" | "failed" | "dead", type: string) => void;

export interface ProcessorOptions extends Handlers {
  target: SettleTarget;
  ledger: AttemptLedger;
  degraded: DegradedClock;
  logger: Logger;
  maxDeliveries: number;
  maxCrashes: number;
  observe: Observe;
  /** Absent: the handlers take every type. */
  accepts?: Accepted | undefined;
}

type Item = Dispatchable & { attempts: Attempts };

/**
 * Takes a batch of entries from reading to settled, and decides what goes to dead letters.
 * An entry is dead-lettered only when it is poison (bad envelope, schema failure, unknown
 * event, PoisonEventError), when its handler failed `maxDeliveries` times with errors of its
 * own, or when `maxCrashes` processes died holding it. A failure the caller calls transient
 * (a dependency is away) only delays the entry, for as long as the outage lasts.
 *
 * After a death the entries that were in hand are suspects: they are taken one at a time, so
 * that the next death is blamed on the one entry in hand, not on its batch.
 */
export class BatchProcessor {
  /** Entries this process is handling: a janitor's reclaim of them is not a new attempt. */
  private readonly inFlight = new Set<string>();

  constructor(private readonly o: ProcessorOptions) {}

  /** `deliveries` by `entryKey`; an entry missing from it is on its first delivery. */
  async process(entries: StreamEntry[], deliveries?: Map<string, number>): Promise<void> {
    const mine = entries.filter((e) => !this.inFlight.has(entryKey(e)));
    if (mine.length === 0) return;
    for (const e of mine) this.inFlight.add(entryKey(e));
    try {
      await this.run(mine, deliveries ?? new Map());
    } finally {
      for (const e of mine) this.inFlight.delete(entryKey(e));
    }
  }

  private async run(entries: StreamEntry[], deliveries: Map<string, number>): Promise<void> {
    const s = emptySettlement();
    const valid: Dispatchable[] = [];
    for (const entry of entries) {
      const count = deliveries.get(entryKey(entry)) ?? 1;
      const parsed = entry.fields === null ? undefined : parseEntry(entry);
      if (!parsed) s.acked.push(entry); // deleted while pending: nothing left to handle
      else if (!parsed.ok) this.kill(s, { entry, deliveries: count }, parsed.reason, "unknown");
      else if (this.o.accepts && !this.o.accepts.includes(parsed.event.type)) this.pass(s, entry, parsed.event.type);
      else valid.push({ entry, event: parsed.event, deliveries: count });
    }
    const items = valid.length > 0 ? await this.take(valid, s) : [];
    if (!items.some((i) => i.attempts.crashes > 0)) return this.together(items, s);
    await settle(this.o.target, s);
    await this.o.ledger.untake(items);
    for (const item of items) {
      await this.o.ledger.hold(item.entry);
      await this.together([item], emptySettlement());
    }
  }

  /** Marks the entries as held; those that `maxCrashes` processes died holding are dead-lettered. */
  private async take(valid: Dispatchable[], s: Settlement): Promise<Item[]> {
    const attempts = await this.o.ledger.take(valid.map((v) => v.entry));
    const items: Item[] = [];
    valid.forEach((v, i) => {
      const { crashes } = attempts[i]!;
      if (crashes >= this.o.maxCrashes) this.kill(s, v, `its process died ${crashes} times while handling it`, v.event.type);
      else items.push({ ...v, attempts: attempts[i]! });
    });
    return items;
  }

  private async together(items: Item[], s: Settlement): Promise<void> {
    const outcomes = items.length > 0 ? await dispatch(items, this.o) : [];
    items.forEach((item, i) => this.account(s, item, outcomes[i]!));
    await settle(this.o.target, s);
  }

  private account(s: Settlement, item: Item, outcome: Outcome): void {
    const { entry, event } = item;
    if (outcome.ok) {
      s.acked.push(entry);
      this.o.observe("ok", event.type);
      if (this.o.degraded.clear()) this.o.logger.info("handlers succeed again: no longer degraded");
      return;
    }
    const { error } = outcome;
    if (isPoison(error)) return this.kill(s, item, describeFailure(error), event.type);
    const transient = this.o.isTransient(error);
    if (!transient && item.attempts.failures + 1 >= this.o.maxDeliveries) {
      return this.kill(s, item, describeFailure(error), event.type);
    }
    s.pending.push({ entry, ownFailure: !transient });
    this.o.observe("failed", event.type);
    const where = { err: error, stream: entry.stream, entryId: entry.id, eventId: event.id, deliveries: item.deliveries };
    if (!transient) this.o.logger.warn(where, "handler failed; the entry stays pending");
    else if (this.o.degraded.mark(describeFailure(error))) {
      this.o.logger.warn(where, "a dependency is away: degraded; entries stay pending until it is back");
    } else this.o.logger.debug(where, "dependency still away; the entry stays pending");
  }

  /** An event of a type the handlers do not take: acked with the batch, untouched. */
  private pass(s: Settlement, entry: StreamEntry, type: string): void {
    s.acked.push(entry);
    this.o.observe("skipped", type);
  }

  private kill(s: Settlement, item: Pick<Dispatchable, "entry" | "deliveries">, reason: string, type: string): void {
    s.dead.push({ entry: item.entry, reason, deliveries: item.deliveries });
    this.o.observe("dead", type);
  }
}
