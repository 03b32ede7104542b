import { describe, expect, test } from "bun:test";
import { Hono } from "hono";
import { cookieJar, cookieOptions, SESSION_COOKIE, type CookieSecurity } from "./session-cookie.ts";

/** The Set-Cookie header a response sets when the session cookie is written under `security`. */
async function setCookieOf(security: CookieSecurity, headers: Record<string, string> = {}) {
  const app = new Hono();
  app.get("/", (c) => {
    cookieJar(c, security).write(SESSION_COOKIE, "id-1", 3600);
    return c.text("ok");
  });
  return (await app.request("http://gateway.local/", { headers })).headers.get("set-cookie");
}

describe("the session cookie", () => {
  test("over plain HTTP: HttpOnly, SameSite=Lax, Path=/, the token's life, not Secure", async () => {
    const cookie = await setCookieOf({ publicUrl: "http://localhost:8088", trustProxy: false });
    expect(cookie).toBe("rentalnang-session=id-1; Max-Age=3600; Path=/; HttpOnly; SameSite=Lax");
  });

  test("when PUBLIC_URL is https: Secure, under the __Host- prefix", async () => {
    const cookie = await setCookieOf({ publicUrl: "https://rentals.example.com", trustProxy: false });
    expect(cookie).toBe("__Host-rentalnang-session=id-1; Max-Age=3600; Path=/; HttpOnly; Secure; SameSite=Lax");
  });

  test("behind a trusted TLS proxy (X-Forwarded-Proto: https): Secure too; an untrusted proxy's word counts for nothing", async () => {
    const forwarded = { "x-forwarded-proto": "https" };
    expect(await setCookieOf({ publicUrl: "http://localhost:8088", trustProxy: true }, forwarded)).toStartWith("__Host-rentalnang-session=id-1;");
    expect(await setCookieOf({ publicUrl: "http://localhost:8088", trustProxy: false }, forwarded)).toStartWith("rentalnang-session=id-1;");
  });

  test("is read under the name it was set with, and cleared with Max-Age=0", async () => {
    const app = new Hono();
    app.get("/", (c) => {
      const jar = cookieJar(c, { publicUrl: "https://rentals.example.com", trustProxy: false });
      const id = jar.read(SESSION_COOKIE);
      jar.clear(SESSION_COOKIE);
      return c.text(id ?? "none");
    });
    const res = await app.request("/", { headers: { cookie: "rentalnang-session=plain; __Host-rentalnang-session=secure" } });
    expect(await res.text()).toBe("secure");
    expect(res.headers.get("set-cookie")).toBe("__Host-rentalnang-session=; Max-Age=0; Path=/; Secure");
  });
});

test("cookie options never go below a Max-Age of 0", () => {
  expect(cookieOptions(false, -5)).toEqual({ httpOnly: true, sameSite: "Lax", secure: false, path: "/", maxAge: 0 });
});
