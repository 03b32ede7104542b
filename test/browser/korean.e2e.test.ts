import { describe, expect, test } from "bun:test";
import { DEFAULT_RATE_PER_HOUR, priceOf } from "@rentalnang/shared/domain/tariff";
import { signIn } from "@rentalnang/shared/testing/web-sign-in";
import { reserve, seoulStart, WORDS } from "./customer-page.ts";
import { checkPage, webFixture } from "./fixtures.ts";

/**
 * The pages in Korean, as the original was: a browser that prefers Korean (locale ko-KR, so
 * Accept-Language ko) gets Korean pages and a Korean sign-in page, and reserves in Korean; an
 * English browser switches with the page's own language buttons.
 */

const web = webFixture();
const ko = WORDS.ko;
const FLOW_TIMEOUT_MS = 90_000;

describe("the pages in Korean", () => {
  test("a Korean browser signs in, reserves and sees the status in Korean", async () => {
    const person = await web.person({ locale: "ko-KR" });
    const { page } = person;
    await page.goto(web.app);
    expect(await page.getAttribute("html", "lang")).toBe("ko");
    await checkPage(person, "ko-welcome");
    await signIn(page, { app: web.app, account: "c-1", language: "ko" });
    expect(await page.getAttribute("html", "lang")).toBe("ko");
    await page.getByRole("heading", { level: 2, name: ko.myReservations }).waitFor();

    const hours = 2;
    const made = await reserve(page, { car: "ccc", start: seoulStart(5), hours, price: priceOf(hours, DEFAULT_RATE_PER_HOUR), language: "ko" });
    await made.item.getByText(ko.awaiting, { exact: true }).waitFor();
    await checkPage(person, "ko-customer");

    const manager = await web.person({ locale: "ko-KR" });
    await signIn(manager.page, { app: web.app, account: "m-1", from: "/manager", language: "ko" });
    await manager.page.getByRole("button", { name: "확정", exact: true }).first().waitFor();
    await checkPage(manager, "ko-manager");

    const operator = await web.person({ locale: "ko-KR" });
    await signIn(operator.page, { app: web.app, account: "o-1", from: "/operator", language: "ko" });
    await operator.page.getByRole("heading", { level: 2, name: "데드 레터" }).waitFor();
    await checkPage(operator, "ko-operator");
  }, FLOW_TIMEOUT_MS);

  test("an English browser switches to Korean with the page's button, and back", async () => {
    const person = await web.person();
    const { page } = person;
    await signIn(page, { app: web.app, account: "c-2" });
    await page.getByRole("button", { name: "한국어", exact: true }).click();
    await page.getByRole("button", { name: ko.reserve, exact: true }).waitFor();
    expect(await page.getAttribute("html", "lang")).toBe("ko");
    expect(await page.getByRole("button", { name: "한국어", exact: true }).getAttribute("aria-pressed")).toBe("true");
    await page.getByLabel(ko.car, { exact: true }).waitFor();
    await page.getByRole("button", { name: "English", exact: true }).click();
    await page.getByRole("button", { name: WORDS.en.reserve, exact: true }).waitFor();
    expect(await page.getAttribute("html", "lang")).toBe("en");
    expect(person.watch.problems()).toEqual([]);
  }, FLOW_TIMEOUT_MS);
});
