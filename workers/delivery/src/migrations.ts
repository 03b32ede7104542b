import { deadLetterMigration } from "@rentalnang/shared/db/dead-letter-store";
import { messagingMigration, type Migration } from "@rentalnang/shared/db/migrate";

export const migrations: Migration[] = [
  messagingMigration,
  {
    version: 2,
    name: "confirmation requests and cancelled rentals",
    statements: [
      `CREATE TABLE deliveries (
         id INTEGER PRIMARY KEY AUTOINCREMENT,
         rental_id INTEGER NOT NULL UNIQUE,
         payment_id INTEGER NOT NULL,
         car_id TEXT,
         rent_hour INTEGER NOT NULL,
         status TEXT NOT NULL,
         created_at TEXT NOT NULL,
         updated_at TEXT NOT NULL)`,
      "CREATE INDEX deliveries_status ON deliveries (status, id)",
      // A cancellation seen before its request existed: the request is then never created.
      `CREATE TABLE cancelled_rentals (
         rental_id INTEGER PRIMARY KEY,
         cancelled_at TEXT NOT NULL)`,
    ],
  },
  deadLetterMigration(3),
  {
    version: 4,
    name: "failed confirmation jobs",
    statements: [
      // A job that exhausted its attempts, moved out of Redis (jobs/failed-jobs.ts).
      `CREATE TABLE failed_jobs (
         job_id TEXT PRIMARY KEY,
         name TEXT NOT NULL,
         data TEXT NOT NULL,
         reason TEXT NOT NULL,
         attempts_made INTEGER NOT NULL,
         failed_at TEXT NOT NULL)`,
    ],
  },
  {
    version: 5,
    name: "the window a confirmation request is for",
    // Null for requests made from a PaymentApproved of version 1 (no window named).
    statements: ["ALTER TABLE deliveries ADD COLUMN start_at TEXT", "ALTER TABLE deliveries ADD COLUMN end_at TEXT"],
  },
];
