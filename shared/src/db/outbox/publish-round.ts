import { publishWithProbe } from "../../bus/publisher.ts";
import { outboxRows, type UnpublishedRow } from "./outbox-rows.ts";
import { republishLost, type LossCheckOptions } from "./lost-entries.ts";

export interface RoundOutcome {
  /** Unpublished rows the round found (a full batch means there may be more). */
  rows: number;
  /** Entries it added to the stream. */
  added: number;
  /** Bytes of the envelopes it added. */
  bytes: number;
  /** Rows are waiting that the next round should take at once. */
  more: boolean;
  /** Rows were held back for lack of room under the memory budget. */
  cut: boolean;
}

/**
 * One round trip of the relay. The oldest unpublished rows go out in one pipeline that also
 * asks Redis for its run id, so the ids are known to come from that very process. Before
 * they are marked published, the rows already marked are checked against that process once
 * (republishLost); the check's outcome is kept in the database, not in this object, so a
 * relay that dies after the XADDs, or another replica, still runs it.
 */
export class PublishRound {
  /** The process this relay last saw the database's rows checked against (a cache). */
  private checkedRun: string | undefined;

  constructor(private readonly o: LossCheckOptions & { batchSize: number }) {}

  /**
   * With `probe`, asks Redis even when nothing waits (that is how an idle relay sees a
   * restart). With `costOf` and `room`, publishes only the oldest rows whose cost fits in it.
   */
  async run(probe: boolean, budget?: { room: number; costOf: (envelope: string) => number }): Promise<RoundOutcome> {
    const waiting = await outboxRows.unpublished(this.o.db, this.o.batchSize);
    const rows = fitting(waiting, budget);
    const cut = rows.length < waiting.length;
    if (rows.length === 0 && (!probe || cut)) return { rows: 0, added: 0, bytes: 0, more: false, cut };
    const { runId, ids } = await publishWithProbe(this.o.redis, this.o.stream, rows.map((r) => r.envelope));
    let republishing = 0;
    if (runId !== this.checkedRun) {
      this.checkedRun = undefined;
      republishing = await republishLost(this.o, runId);
      this.checkedRun = runId;
    }
    const marked = await outboxRows.markPublished(this.o.db, rows, ids, runId);
    // Fewer marks: a check began meanwhile (another replica saw a restart); go round again.
    if (marked < rows.length) this.checkedRun = undefined;
    const bytes = rows.reduce((sum, row) => sum + row.envelope.length, 0);
    return { rows: rows.length, added: ids.length, bytes, more: republishing > 0 || marked < rows.length, cut };
  }
}

/** The oldest rows whose summed cost stays within the room (all of them without a budget). */
function fitting(rows: UnpublishedRow[], budget?: { room: number; costOf: (envelope: string) => number }): UnpublishedRow[] {
  if (!budget) return rows;
  let left = budget.room;
  let n = 0;
  while (n < rows.length && (left -= budget.costOf(rows[n]!.envelope)) >= 0) n++;
  return rows.slice(0, n);
}
