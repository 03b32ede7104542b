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
];
