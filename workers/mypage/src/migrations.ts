import { deadLetterMigration } from "@rentalnang/shared/db/dead-letter-store";
import type { Migration } from "@rentalnang/shared/db/migrate";

export const migrations: Migration[] = [
  {
    version: 1,
    name: "mypage view",
    statements: [
      // `facts` holds the folded view (JSON); the derived columns are there to filter on.
      `CREATE TABLE mypages (
         rental_id INTEGER PRIMARY KEY,
         facts TEXT NOT NULL,
         customer_id TEXT,
         status TEXT NOT NULL,
         updated_at TEXT NOT NULL)`,
      "CREATE INDEX mypages_customer ON mypages (customer_id, rental_id)",
      "CREATE INDEX mypages_status ON mypages (status, rental_id)",
    ],
  },
  {
    version: 2,
    name: "the events the view folded",
    statements: [
      // Every event folded into the view, kept once by id: what rebuild:mypage refolds the view
      // from (the streams keep only what some group has not acked yet), and a rental's timeline.
      `CREATE TABLE mypage_events (
         event_id TEXT PRIMARY KEY,
         rental_id INTEGER NOT NULL,
         type TEXT NOT NULL,
         version INTEGER NOT NULL,
         source TEXT NOT NULL,
         occurred_at TEXT NOT NULL,
         correlation_id TEXT NOT NULL,
         causation_id TEXT,
         data TEXT NOT NULL,
         recorded_at TEXT NOT NULL)`,
      "CREATE INDEX mypage_events_rental ON mypage_events (rental_id, occurred_at)",
      "CREATE INDEX mypage_events_time ON mypage_events (occurred_at)",
      // The events of rows folded before this table existed are nowhere in it, and cannot be
      // recovered from the view's facts: such rows are remembered so that a rebuild from the
      // log refuses to drop them (rebuild.ts says what to do instead).
      "CREATE TABLE mypages_before_event_log (rental_id INTEGER PRIMARY KEY)",
      "INSERT INTO mypages_before_event_log (rental_id) SELECT rental_id FROM mypages",
    ],
  },
  deadLetterMigration(3),
];
