import type { Database } from "@rentalnang/shared/db/database";
import type { Executor } from "@rentalnang/shared/db/executor";

/** A confirmation job that exhausted its attempts, as kept in delivery's database. */
export interface FailedJob {
  jobId: string;
  name: string;
  data: unknown;
  reason: string;
  attemptsMade: number;
  failedAt: string;
}

/** Idempotent by job id: a job moved twice (two replicas, a crash before its removal) is one row. */
export async function recordFailedJob(db: Executor, job: FailedJob) {
  await db.execute({
    sql: `INSERT INTO failed_jobs (job_id, name, data, reason, attempts_made, failed_at)
          VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (job_id) DO NOTHING`,
    args: [job.jobId, job.name, JSON.stringify(job.data), job.reason, job.attemptsMade, job.failedAt],
  });
}

export async function listFailedJobs(db: Executor, jobIds?: string[]): Promise<FailedJob[]> {
  const r = await db.execute("SELECT * FROM failed_jobs ORDER BY failed_at, job_id");
  const rows = r.rows.map((row) => ({
    jobId: String(row.job_id),
    name: String(row.name),
    data: JSON.parse(String(row.data)) as unknown,
    reason: String(row.reason),
    attemptsMade: Number(row.attempts_made),
    failedAt: String(row.failed_at),
  }));
  return jobIds ? rows.filter((j) => jobIds.includes(j.jobId)) : rows;
}

export async function deleteFailedJob(db: Executor, jobId: string) {
  await db.execute({ sql: "DELETE FROM failed_jobs WHERE job_id = ?", args: [jobId] });
}

export async function countFailedJobs(db: Database): Promise<number> {
  const r = await db.execute("SELECT COUNT(*) AS n FROM failed_jobs");
  return Number(r.rows[0]?.n ?? 0);
}
