import { describe, expect, test } from "bun:test";
import { checkPage, webFixture } from "./fixtures.ts";

/**
 * The API reference at /docs in a real browser: Swagger UI, its files from the gateway
 * itself, draws the public API from /openapi.json with nothing fetched from a CDN.
 */

const web = webFixture();
/** Swagger UI draws the whole document in the browser: slow on a busy 2-core machine. */
const PAGE_TIMEOUT_MS = 60_000;

describe("the API reference in a browser", () => {
  test("/docs draws the public API from the gateway alone, with no console error and no serious accessibility finding", async () => {
    const person = await web.person();
    const { page } = person;
    await page.goto(`${web.app}/docs`);
    await page.getByRole("heading", { name: /rentalnang/ }).first().waitFor();
    await page.getByRole("button", { name: /\/rentals/ }).first().waitFor();
    expect(await page.getByRole("button", { name: "Authorize" }).count()).toBe(1);
    await checkPage(person, "api-reference");
    await person.close();
  }, PAGE_TIMEOUT_MS);
});
