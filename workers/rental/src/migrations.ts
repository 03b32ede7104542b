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
  {
    version: 5,
    name: "idempotency keys per customer, with an expiry",
    // SQLite cannot change a primary key: the table is rebuilt. A key kept from before belongs
    // to its rental's customer ('' when the rental had none) and expires a day after it was made.
    statements: [
      `CREATE TABLE idempotency_keys_scoped (
         scope TEXT NOT NULL,
         key TEXT NOT NULL,
         fingerprint TEXT NOT NULL,
         rental_id INTEGER NOT NULL,
         response_status INTEGER,
         response_body TEXT,
         created_at TEXT NOT NULL,
         expires_at TEXT NOT NULL,
         PRIMARY KEY (scope, key))`,
      `INSERT INTO idempotency_keys_scoped
         (scope, key, fingerprint, rental_id, response_status, response_body, created_at, expires_at)
       SELECT coalesce(r.customer_id, ''), k.key, k.fingerprint, k.rental_id, k.response_status, k.response_body,
              k.created_at, strftime('%Y-%m-%dT%H:%M:%fZ', k.created_at, '+24 hours')
       FROM idempotency_keys k LEFT JOIN rentals r ON r.id = k.rental_id`,
      "DROP TABLE idempotency_keys",
      "ALTER TABLE idempotency_keys_scoped RENAME TO idempotency_keys",
      "CREATE INDEX idempotency_keys_rental ON idempotency_keys (rental_id)",
      "CREATE INDEX idempotency_keys_expiry ON idempotency_keys (expires_at)",
    ],
  },
  {
    version: 6,
    name: "the fleet, and the window each reservation holds",
    // A rental kept from before held its car from its creation for its hours: that is the
    // window it was charged for. The partial index holds only live reservations, the ones a
    // conflict check and the availability query look at; its WHERE is written exactly as
    // theirs (rentals/conflict-store.ts), so that SQLite may use it.
    statements: [
      `CREATE TABLE cars (
         id TEXT PRIMARY KEY,
         model TEXT NOT NULL,
         rate_per_hour INTEGER NOT NULL,
         created_at TEXT NOT NULL,
         retired_at TEXT)`,
      "ALTER TABLE rentals ADD COLUMN start_at TEXT",
      "ALTER TABLE rentals ADD COLUMN end_at TEXT",
      `UPDATE rentals SET
         start_at = strftime('%Y-%m-%dT%H:%M:%fZ', created_at),
         end_at = strftime('%Y-%m-%dT%H:%M:%fZ', created_at, '+' || rent_hour || ' hours')`,
      `CREATE INDEX rentals_live_window ON rentals (car_id, start_at, end_at)
         WHERE status IN ('PaymentPending', 'Reserved', 'Confirmed')`,
    ],
  },
];
