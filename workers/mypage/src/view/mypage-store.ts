import type { Row, Transaction } from "@libsql/client";
import type { Database } from "@rentalnang/shared/db/database";
import { pageQuery } from "@rentalnang/shared/db/page-query";
import { statusOf, type Facts, type Status } from "./mypage.ts";

type Executor = Pick<Transaction, "execute"> | Database;

const toFacts = (r: Row) => JSON.parse(String(r.facts)) as Facts;

export async function findView(db: Executor, rentalId: number): Promise<Facts | undefined> {
  const r = await db.execute({ sql: "SELECT facts FROM mypages WHERE rental_id = ?", args: [rentalId] });
  return r.rows[0] ? toFacts(r.rows[0]) : undefined;
}

export async function saveView(db: Executor, v: Facts) {
  await db.execute({
    sql: `INSERT INTO mypages (rental_id, facts, customer_id, status, updated_at) VALUES (?, ?, ?, ?, ?)
          ON CONFLICT (rental_id) DO UPDATE SET facts = excluded.facts, customer_id = excluded.customer_id,
            status = excluded.status, updated_at = excluded.updated_at`,
    args: [v.rentalId, JSON.stringify(v), v.customerId, statusOf(v), v.updatedAt],
  });
}

export async function listViews(db: Database, f: { customerId?: string; status?: Status; before?: number; limit: number }) {
  const r = await db.execute(pageQuery({
    from: "SELECT rental_id, facts FROM mypages",
    idColumn: "rental_id",
    equal: { customer_id: f.customerId, status: f.status },
    before: f.before,
    limit: f.limit,
  }));
  return r.rows.map((row) => ({ id: Number(row.rental_id), facts: toFacts(row) }));
}

export async function clearViews(db: Database) {
  await db.execute("DELETE FROM mypages");
}
