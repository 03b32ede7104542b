import { describe, expect, test } from "bun:test";
import { encodeDeadLetter } from "@rentalnang/shared/bus/dead-letter";
import { connectTestRedis } from "@rentalnang/shared/testing/harness";
import { cleanupAll } from "@rentalnang/shared/testing/cleanup";
import { fillSignIn, signIn, signOut } from "@rentalnang/shared/testing/web-sign-in";
import { deadLetterKey, streamKey } from "@rentalnang/shared/topology/redis-keys";
import { VIEWPORTS } from "@rentalnang/shared/testing/browser";
import { checkPage, rightEdgeOnPhone, webFixture } from "./fixtures.ts";

/**
 * Who is signed in, in a real browser: one person signs out and another signs in in the same
 * browser (asked for their password again, their own page, not the first person's), and the
 * operator's page with the board's link and the dead letters.
 */

const web = webFixture();
const cleanup = cleanupAll();
/** Several sign-ins and page checks in one test, on a busy 2-core machine. */
const FLOW_TIMEOUT_MS = 90_000;

describe("signing out in a browser", () => {
  test("the manager signs out and a customer signs in in the same browser: asked for the password, on the customer's own page", async () => {
    const person = await web.person();
    const { page } = person;
    await signIn(page, { app: web.app, account: "m-1", from: "/manager" });
    await page.getByText("Signed in as m-1 (manager)").waitFor();
    await signOut(page);
    await checkPage(person, "signed-out");

    await page.getByRole("link", { name: "Sign in", exact: true }).first().click();
    // identity asks again: its own page, the password field empty, nobody signed in behind it.
    const password = page.getByLabel("Password", { exact: true });
    await password.waitFor();
    expect(new URL(page.url()).origin).toBe(new URL(web.stack.identity.url).origin);
    expect(await password.inputValue()).toBe("");
    await checkPage(person, "identity-sign-in");
    await fillSignIn(page, { app: web.app, account: "c-2" });
    await page.getByText("Signed in as c-2 (customer)").waitFor();
    await page.getByRole("button", { name: "Reserve", exact: true }).waitFor();

    // The manager's page is not the customer's: it says so, and links back to the customer's own.
    const answer = await page.goto(`${web.app}/manager`);
    expect(answer?.status()).toBe(403);
    await page.getByRole("heading", { level: 1, name: "This page is not yours" }).waitFor();
    person.watch.reset(); // the 403 was the point of that step
    await page.getByRole("link", { name: "Go to your page", exact: true }).click();
    await page.getByRole("button", { name: "Reserve", exact: true }).waitFor();
    await checkPage(person, "customer-after-switch");
  }, FLOW_TIMEOUT_MS);
});

describe("the operator's page in a browser", () => {
  test("shows the queue board's link and the dead letters, and deletes one after asking", async () => {
    const redis = await connectTestRedis(cleanup, web.stack.redisUrl);
    await redis.xadd(deadLetterKey(web.stack.prefix, "payment"), "*", ...encodeDeadLetter({
      stream: streamKey(web.stack.prefix, "rental"), entryId: "1-0", group: "payment", reason: "a probe that no handler takes", deliveries: 5,
      fields: { event: JSON.stringify({ type: "Probe", data: {} }) }, failedAt: new Date().toISOString(),
    }));
    const person = await web.person();
    const { page } = person;
    await signIn(page, { app: web.app, account: "o-1", from: "/operator" });
    const letters = page.getByRole("region", { name: "Dead letters" });
    const row = letters.getByRole("row").filter({ hasText: "a probe that no handler takes" });
    await row.waitFor();
    expect(await row.getByRole("cell", { name: "Probe", exact: true }).count()).toBe(1);
    await page.getByRole("region", { name: "Queue board" }).getByRole("link", { name: "Queue board", exact: true }).waitFor();
    await checkPage(person, "operator");
    // On a phone each letter is a card: its buttons are on screen, not off to the right of a table.
    for (const name of ["Redrive", "Delete"]) {
      expect(await rightEdgeOnPhone(person, row.getByRole("button", { name, exact: true }))).toBeLessThanOrEqual(VIEWPORTS.phone.width);
    }

    const asked: string[] = [];
    page.once("dialog", async (dialog) => {
      asked.push(dialog.message());
      await dialog.accept();
    });
    await row.getByRole("button", { name: "Delete", exact: true }).click();
    await letters.getByText("Deleted.").waitFor();
    expect(asked).toEqual([expect.stringContaining("payment")]);
    expect(await redis.xlen(deadLetterKey(web.stack.prefix, "payment"))).toBe(0);

    await page.getByRole("link", { name: "Queue board", exact: true }).click();
    await page.waitForURL(`${web.app}/admin/queues**`);
    await page.getByText(/confirm/i).first().waitFor();
    // The board is bull-board's own page, which this project does not draw: its axe findings
    // (unnamed icon buttons, an unlabelled logo) are bull-board's to fix; the rest holds.
    await checkPage(person, "queue-board", { axe: false });
  }, FLOW_TIMEOUT_MS);
});
