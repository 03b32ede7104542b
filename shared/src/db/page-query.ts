import type { InStatement } from "@libsql/client";

/** One page of a list: `limit` rows in `order` of the id, past the id `after` (a cursor's). */
export interface PageSpec {
  limit: number;
  /** `desc` newest first (the default), `asc` oldest first. */
  order?: "asc" | "desc";
  /** Only rows past this id in that order: below it newest first, above it oldest first. */
  after?: number;
}

export interface PageQuery extends PageSpec {
  /** `SELECT … FROM …`, without WHERE. */
  from: string;
  /** The key the cursor and the order follow. */
  idColumn: string;
  /** `column = value` filters; an undefined value means "no filter". */
  equal?: Record<string, string | number | undefined>;
  /** Conditions that always apply (e.g. `deleted_at IS NULL`). */
  always?: string[];
}

/** A page query in either order that fetches one extra row, so `toPage` can tell if more exist. */
export function pageQuery(q: PageQuery): InStatement {
  const where = [...(q.always ?? [])];
  const args: (string | number)[] = [];
  for (const [column, value] of Object.entries(q.equal ?? {})) {
    if (value === undefined) continue;
    where.push(`${column} = ?`);
    args.push(value);
  }
  const ascending = q.order === "asc";
  if (q.after !== undefined) {
    where.push(`${q.idColumn} ${ascending ? ">" : "<"} ?`);
    args.push(q.after);
  }
  return {
    sql: `${q.from} ${where.length ? `WHERE ${where.join(" AND ")}` : ""} ORDER BY ${q.idColumn} ${ascending ? "ASC" : "DESC"} LIMIT ?`,
    args: [...args, q.limit + 1],
  };
}
