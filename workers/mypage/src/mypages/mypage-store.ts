import type { Database, Row } from "@rentalnang/shared/db/database";
import type { Executor } from "@rentalnang/shared/db/executor";
import { pageQuery, type PageSpec } from "@rentalnang/shared/db/page-query";
import { statusOf, type Mypage, type MypageStatus } from "./mypage.ts";

const rowToMypage = (r: Row) => JSON.parse(String(r.facts)) as Mypage;

export async function findMypage(db: Executor, rentalId: number): Promise<Mypage | undefined> {
  const r = await db.execute({ sql: "SELECT facts FROM mypages WHERE rental_id = ?", args: [rentalId] });
  return r.rows[0] ? rowToMypage(r.rows[0]) : undefined;
}

/** Rentals asked for per SELECT: well under SQLite's limit of bound parameters. */
const IDS_PER_SELECT = 500;

/** A row as stored: the view, and its `facts` text (`JSON.stringify` of it, as every write makes it). */
export interface StoredMypage {
  mypage: Mypage;
  facts: string;
}

export const toStored = (mypage: Mypage): StoredMypage => ({ mypage, facts: JSON.stringify(mypage) });

/**
 * The rows of these rentals, by rental id, each with the text it was parsed from (a fold
 * compares its result with it), in one query per few hundred ids (a fold's whole batch).
 */
export async function findMypages(db: Executor, rentalIds: readonly number[]): Promise<Map<number, StoredMypage>> {
  const found = new Map<number, StoredMypage>();
  for (let i = 0; i < rentalIds.length; i += IDS_PER_SELECT) {
    const chunk = rentalIds.slice(i, i + IDS_PER_SELECT);
    const r = await db.execute({ sql: `SELECT facts FROM mypages WHERE rental_id IN (${chunk.map(() => "?").join(", ")})`, args: [...chunk] });
    for (const row of r.rows) {
      const facts = String(row.facts);
      const mypage = JSON.parse(facts) as Mypage;
      found.set(mypage.rentalId, { mypage, facts });
    }
  }
  return found;
}

export async function saveMypage(db: Executor, v: Mypage) {
  await saveMypages(db, [toStored(v)]);
}

/** Rows per upsert: five parameters each, well under SQLite's limit. */
const ROWS_PER_UPSERT = 100;

/** Writes the rows with their texts, up to a hundred per statement (a fold's whole batch at once). */
export async function saveMypages(db: Executor, rows: readonly StoredMypage[]) {
  for (let i = 0; i < rows.length; i += ROWS_PER_UPSERT) {
    const chunk = rows.slice(i, i + ROWS_PER_UPSERT);
    await db.execute({
      sql: `INSERT INTO mypages (rental_id, facts, customer_id, status, updated_at) VALUES ${chunk.map(() => "(?, ?, ?, ?, ?)").join(", ")}
            ON CONFLICT (rental_id) DO UPDATE SET facts = excluded.facts, customer_id = excluded.customer_id,
              status = excluded.status, updated_at = excluded.updated_at`,
      args: chunk.flatMap(({ mypage: v, facts }) => [v.rentalId, facts, v.customerId, statusOf(v), v.updatedAt]),
    });
  }
}

export async function listMypages(db: Database, f: PageSpec & { customerId?: string; status?: MypageStatus }) {
  const r = await db.execute(pageQuery({
    from: "SELECT rental_id, facts FROM mypages",
    idColumn: "rental_id",
    equal: { customer_id: f.customerId, status: f.status },
    order: f.order,
    after: f.after,
    limit: f.limit,
  }));
  return r.rows.map((row) => ({ id: Number(row.rental_id), mypage: rowToMypage(row) }));
}

export async function clearMypages(db: Executor) {
  await db.execute("DELETE FROM mypages");
}
