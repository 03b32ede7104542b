import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { openDatabase, type Database } from "@rentalnang/shared/db/database";
import { migrate } from "@rentalnang/shared/db/migrate";
import { tempDir } from "@rentalnang/shared/testing/temp-dir";
import { migrations } from "../migrations.ts";
import { LibsqlAdapter } from "./libsql-adapter.ts";

const dir = tempDir("oidc-adapter");
let db: Database;

beforeAll(async () => {
  db = await openDatabase(dir.db("identity"));
  await migrate(db, migrations);
});
afterAll(async () => {
  await db.close();
  dir.cleanup();
});

describe("the provider's libSQL adapter", () => {
  test("stores a payload per model, found by id and by uid", async () => {
    const sessions = new LibsqlAdapter(db, "Session");
    await sessions.upsert("s1", { uid: "u1", accountId: "c-1" }, 60);
    expect(await sessions.find("s1")).toEqual({ uid: "u1", accountId: "c-1" });
    expect(await sessions.findByUid("u1")).toEqual({ uid: "u1", accountId: "c-1" });
    expect(await new LibsqlAdapter(db, "Interaction").find("s1")).toBeUndefined();
    await sessions.upsert("s1", { uid: "u1", accountId: "c-2" }, 60);
    expect((await sessions.find("s1"))?.accountId).toBe("c-2");
  });

  test("never returns an expired payload", async () => {
    const codes = new LibsqlAdapter(db, "AuthorizationCode");
    await codes.upsert("gone", { grantId: "g0" }, 1);
    await Bun.sleep(1_100);
    expect(await codes.find("gone")).toBeUndefined();
  });

  test("marks a consumed payload, and destroys one", async () => {
    const codes = new LibsqlAdapter(db, "AuthorizationCode");
    await codes.upsert("c1", { grantId: "g1" }, 60);
    await codes.consume("c1");
    expect((await codes.find("c1"))?.consumed).toBeGreaterThan(0);
    await codes.destroy("c1");
    expect(await codes.find("c1")).toBeUndefined();
  });

  test("revokes every payload of a grant", async () => {
    const tokens = new LibsqlAdapter(db, "RefreshToken");
    await tokens.upsert("r1", { grantId: "g2" }, 60);
    await tokens.upsert("r2", { grantId: "g2" }, 60);
    await tokens.upsert("r3", { grantId: "g3" }, 60);
    await tokens.revokeByGrantId("g2");
    expect(await tokens.find("r1")).toBeUndefined();
    expect(await tokens.find("r2")).toBeUndefined();
    expect(await tokens.find("r3")).toBeDefined();
  });
});
