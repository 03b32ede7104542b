import { deadLetterMigration } from "@rentalnang/shared/db/dead-letter-store";
import { messagingMigration, type Migration } from "@rentalnang/shared/db/migrate";

export const migrations: Migration[] = [
  messagingMigration,
  {
    version: 2,
    name: "payments and cancelled rentals",
    statements: [
      `CREATE TABLE payments (
         id INTEGER PRIMARY KEY AUTOINCREMENT,
         rental_id INTEGER NOT NULL UNIQUE,
         amount INTEGER NOT NULL,
         rent_hour INTEGER NOT NULL,
         car_id TEXT,
         customer_id TEXT,
         status TEXT NOT NULL,
         created_at TEXT NOT NULL,
         updated_at TEXT NOT NULL)`,
      "CREATE INDEX payments_status ON payments (status, id)",
      // A rental cancelled before its charge arrived: a late charge for it is refused.
      `CREATE TABLE cancelled_rentals (
         rental_id INTEGER PRIMARY KEY,
         reason TEXT NOT NULL,
         cancelled_at TEXT NOT NULL)`,
    ],
  },
  deadLetterMigration(3),
  {
    version: 4,
    name: "the window a payment pays for",
    // Null for charges taken before callers sent it (v1 callers, lab mode).
    statements: ["ALTER TABLE payments ADD COLUMN start_at TEXT", "ALTER TABLE payments ADD COLUMN end_at TEXT"],
  },
];
