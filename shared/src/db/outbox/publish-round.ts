import { publishAll, publishWithProbe } from "../../bus/publisher.ts";
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
 * One round trip of the relay. The oldest unpublished rows go out in one pipeline, and their
 * ids are known to come from one Redis process, whose run id the rows are marked with.
 * Before they are marked published, the rows already marked are checked against that process
 * once (republishLost); the check's outcome is kept in the database, not in this object, so
 * a relay that dies after the XADDs, or another replica, still runs it.
 *
 * Which process: a TCP connection reaches one process for its whole life (a restarted or
 * replaced Redis means a new connection: ioredis's `stream` is another socket then). So the
 * run id is asked (INFO server, in the XADDs' pipeline) on a probe round, at least once a
 * sweep, and whenever the connection is not the one it was last asked on; the other rounds
 * send only the XADDs. Either way, a round whose connection changed while its commands were
 * out (ioredis may send them again on the new one) marks nothing: its rows go out again,
 * asked with the run id, and consumers drop the copies by event id.
 */
export class PublishRound {
  /** The process this relay last saw the database's rows checked against (a cache). */
  private checkedRun: string | undefined;
  /** The run id INFO gave, and the connection it came on. */
  private reached: { runId: string; socket: unknown } | undefined;

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
    const { runId, ids } = await this.publish(rows.map((r) => r.envelope), probe);
    const bytes = rows.reduce((sum, row) => sum + row.envelope.length, 0);
    // The connection changed meanwhile: which process took the XADDs is unknown, mark nothing.
    if (!runId) return { rows: rows.length, added: ids.length, bytes, more: true, cut };
    let republishing = 0;
    if (runId !== this.checkedRun) {
      this.checkedRun = undefined;
      republishing = await republishLost(this.o, runId);
      this.checkedRun = runId;
    }
    const marked = await outboxRows.markPublished(this.o.db, rows, ids, runId);
    // Fewer marks: a check began meanwhile (another replica saw a restart); go round again.
    if (marked < rows.length) this.checkedRun = undefined;
    return { rows: rows.length, added: ids.length, bytes, more: republishing > 0 || marked < rows.length, cut };
  }

  /** XADDs the envelopes; the run id of the process that took them, unless the connection changed. */
  private async publish(envelopes: string[], probe: boolean): Promise<{ runId?: string; ids: string[] }> {
    const redis = this.o.redis;
    const socket = redis.stream;
    const known = !probe && socket && this.reached?.socket === socket ? this.reached.runId : undefined;
    try {
      const sent = known ? { runId: known, ids: await publishAll(redis, this.o.stream, envelopes) } : await publishWithProbe(redis, this.o.stream, envelopes);
      if (redis.stream !== socket) {
        this.reached = undefined;
        return { ids: sent.ids };
      }
      this.reached = { runId: sent.runId, socket };
      return sent;
    } catch (error) {
      this.reached = undefined;
      throw error;
    }
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
