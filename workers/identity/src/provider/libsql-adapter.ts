import type { Database } from "@rentalnang/shared/db/database";
import type { Logger } from "@rentalnang/shared/log/logger";
import { periodic } from "@rentalnang/shared/lifecycle/periodic";
import type { Adapter, AdapterPayload } from "oidc-provider";

const now = () => Math.floor(Date.now() / 1000);

/**
 * oidc-provider's storage interface over the identity database, one instance per model name:
 * every row is the model's JSON payload with its expiry, so sessions, grants and pending
 * sign-ins survive a restart. Expired rows are never returned, and the sweep deletes them.
 */
export class LibsqlAdapter implements Adapter {
  constructor(
    private readonly db: Database,
    private readonly model: string,
  ) {}

  async upsert(id: string, payload: AdapterPayload, expiresIn?: number): Promise<void> {
    const expiresAt = expiresIn ? now() + expiresIn : null;
    await this.db.execute({
      sql: `INSERT INTO oidc_payloads (model, id, payload, grant_id, user_code, uid, expires_at, consumed_at)
            VALUES (?, ?, ?, ?, ?, ?, ?, NULL)
            ON CONFLICT (model, id) DO UPDATE SET payload = excluded.payload, grant_id = excluded.grant_id,
              user_code = excluded.user_code, uid = excluded.uid, expires_at = excluded.expires_at`,
      args: [this.model, id, JSON.stringify(payload), payload.grantId ?? null, payload.userCode ?? null, payload.uid ?? null, expiresAt],
    });
  }

  find(id: string) {
    return this.findWhere("id = ?", id);
  }

  findByUid(uid: string) {
    return this.findWhere("uid = ?", uid);
  }

  findByUserCode(userCode: string) {
    return this.findWhere("user_code = ?", userCode);
  }

  async consume(id: string): Promise<void> {
    await this.db.execute({ sql: "UPDATE oidc_payloads SET consumed_at = ? WHERE model = ? AND id = ?", args: [now(), this.model, id] });
  }

  async destroy(id: string): Promise<void> {
    await this.db.execute({ sql: "DELETE FROM oidc_payloads WHERE model = ? AND id = ?", args: [this.model, id] });
  }

  async revokeByGrantId(grantId: string): Promise<void> {
    await this.db.execute({ sql: "DELETE FROM oidc_payloads WHERE model = ? AND grant_id = ?", args: [this.model, grantId] });
  }

  private async findWhere(condition: string, value: string): Promise<AdapterPayload | undefined> {
    const { rows } = await this.db.execute({
      sql: `SELECT payload, consumed_at FROM oidc_payloads
            WHERE model = ? AND ${condition} AND (expires_at IS NULL OR expires_at > ?)`,
      args: [this.model, value, now()],
    });
    const row = rows[0];
    if (!row) return undefined;
    const payload = JSON.parse(String(row.payload)) as AdapterPayload;
    return row.consumed_at === null ? payload : { ...payload, consumed: Number(row.consumed_at) };
  }
}

/** How often expired provider rows are deleted. */
const SWEEP_EVERY_MS = 10 * 60_000;

/** Deletes expired sessions, codes, grants and interactions (find already ignores them). */
export function expirySweep(db: Database, logger: Logger) {
  return periodic("oidc-expiry-sweep", SWEEP_EVERY_MS, async () => {
    const { rowsAffected } = await db.execute({ sql: "DELETE FROM oidc_payloads WHERE expires_at <= ?", args: [now()] });
    if (rowsAffected > 0) logger.debug({ deleted: rowsAffected }, "expired provider rows deleted");
  }, logger);
}
