import type { InStatement } from "@libsql/client";

export interface PageQuery {
  /** `SELECT … FROM …`, without WHERE. */
  from: string;
  /** The key the cursor and the newest-first order follow. */
  idColumn: string;
  /** `column = value` filters; an undefined value means "no filter". */
  equal?: Record<string, string | number | undefined>;
  /** Conditions that always apply (e.g. `deleted_at IS NULL`). */
  always?: string[];
  /** Only rows with an id below this one (the cursor). */
  before?: number;
  limit: number;
}

/** A newest-first page query that fetches one extra row, so `toPage` can tell if more exist. */
export function pageQuery(q: PageQuery): InStatement {
  const where = [...(q.always ?? [])];
  const args: (string | number)[] = [];
  for (const [column, value] of Object.entries(q.equal ?? {})) {
    if (value === undefined) continue;
    where.push(`${column} = ?`);
    args.push(value);
  }
  if (q.before !== undefined) {
    where.push(`${q.idColumn} < ?`);
    args.push(q.before);
  }
  return {
    sql: `${q.from} ${where.length ? `WHERE ${where.join(" AND ")}` : ""} ORDER BY ${q.idColumn} DESC LIMIT ?`,
    args: [...args, q.limit + 1],
  };
}
