import LibsqlAsync from "libsql/promise";

/**
 * Takes the WAL checkpoint off the commits and off the event loop. SQLite checkpoints inside
 * the commit that takes the WAL past `wal_autocheckpoint` frames (1000 by default); with
 * `synchronous = NORMAL` that checkpoint syncs the WAL and the database file, and the engine
 * being synchronous, the whole process waits those milliseconds: whatever waited for that
 * commit (a reservation's answer, a fold that wakes a reader) and everything else in hand.
 *
 * The pacer asks for a PASSIVE checkpoint every CHECKPOINT_EVERY_WRITES write transactions,
 * on a connection of its own, through libsql's asynchronous API, which runs it on another
 * thread: the process goes on meanwhile, its writer too (a PASSIVE checkpoint waits for no
 * reader or writer). The WAL is synced at least as often as before, and SQLite's own
 * checkpoint stays in place for whatever the pacer misses (a burst of big transactions).
 */

/**
 * Write transactions between checkpoints. The workers' transactions add 5–12 frames each (a
 * reservation, a charge, a fold, a request, an outbox mark), so the pacer checkpoints at about
 * 250–600 frames, before SQLite's own at 1000.
 */
export const CHECKPOINT_EVERY_WRITES = 50;

export class CheckpointPacer {
  #connection: LibsqlAsync | undefined;
  #writes = 0;
  #running: Promise<void> | undefined;
  #closed = false;

  /** `path`: the database file, opened again for the checkpoints. */
  constructor(private readonly path: string) {}

  /** After each committed write transaction. */
  wrote(): void {
    this.#writes++;
    if (this.#running || this.#closed || this.#writes < CHECKPOINT_EVERY_WRITES) return;
    this.#running = this.#checkpoint().finally(() => (this.#running = undefined));
  }

  /** Waits for a checkpoint under way, then closes the pacer's connection. */
  async close(): Promise<void> {
    this.#closed = true;
    await this.#running;
    this.#connection?.close();
  }

  async #checkpoint(): Promise<void> {
    const writes = this.#writes;
    try {
      this.#connection ??= new LibsqlAsync(this.path, {});
      await this.#connection.exec("PRAGMA wal_checkpoint(PASSIVE)");
      this.#writes -= writes;
    } catch {
      // Not now (the file is locked, or going away): the next write asks again, and SQLite's
      // own checkpoint still runs at its threshold.
    }
  }
}
