import { deadLetterMigration } from "@rentalnang/shared/db/dead-letter-store";
import { messagingMigration, type Migration } from "@rentalnang/shared/db/migrate";

export const migrations: Migration[] = [
  messagingMigration,
  {
    version: 2,
    name: "rentals and idempotency keys",
    statements: [
      `CREATE TABLE rentals (
         id INTEGER PRIMARY KEY AUTOINCREMENT,
         car_id TEXT NOT NULL,
         rent_hour INTEGER NOT NULL,
         price INTEGER NOT NULL,
         customer_id TEXT,
         status TEXT NOT NULL,
         payment_id INTEGER,
         cancel_reason TEXT,
         manager_confirmed INTEGER NOT NULL DEFAULT 0,
         created_at TEXT NOT NULL,
         updated_at TEXT NOT NULL,
         deleted_at TEXT)`,
      "CREATE INDEX rentals_customer ON rentals (customer_id, id)",
      "CREATE INDEX rentals_status ON rentals (status, id)",
      `CREATE TABLE idempotency_keys (
         key TEXT PRIMARY KEY,
         fingerprint TEXT NOT NULL,
         rental_id INTEGER NOT NULL,
         response_status INTEGER,
         response_body TEXT,
         created_at TEXT NOT NULL)`,
    ],
  },
  {
    version: 3,
    name: "idempotency keys by rental",
    // Settling a rental records its answer by rental id, on every reservation.
    statements: ["CREATE INDEX idempotency_keys_rental ON idempotency_keys (rental_id)"],
  },
  deadLetterMigration(4),
];
