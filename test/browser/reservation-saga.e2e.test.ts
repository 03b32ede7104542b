import { describe, expect, test } from "bun:test";
import type { Locator } from "playwright-core";
import { DEFAULT_RATE_PER_HOUR, priceOf } from "@rentalnang/shared/domain/tariff";
import { eventually } from "@rentalnang/shared/testing/eventually";
import { signIn } from "@rentalnang/shared/testing/web-sign-in";
import { reserve, seoulStart, WORDS } from "./customer-page.ts";
import { VIEWPORTS } from "@rentalnang/shared/testing/browser";
import { checkPage, rightEdgeOnPhone, webFixture, type Person } from "./fixtures.ts";

/**
 * The saga by clicking, in a real browser: a customer reserves and watches the status, a
 * manager (another browser context: another person) confirms, and the customer's page
 * follows without a reload; the customer cancels another reservation and sees it refunded;
 * each reservation's timeline shows every step. Every page passes checkPage.
 */

const web = webFixture();
const w = WORDS.en;
const HOURS = 3;
const PRICE = priceOf(HOURS, DEFAULT_RATE_PER_HOUR);
/** The whole flow is one test (each step needs the one before); on a busy 2-core machine it takes a while. */
const FLOW_TIMEOUT_MS = 120_000;

const PENDING = "Waiting for confirmation (oldest first)";
const HISTORY = "Recent requests";
const RESERVED = ["Payment approved", "Reserved and paid"];

/** A mark on the page's window: still there later means the page was never reloaded. */
const markWindow = (person: Person) => person.page.evaluate("window.__notReloaded = true");
const stillSameWindow = async (person: Person) => (await person.page.evaluate("window.__notReloaded === true")) === true;

/** The manager's pending row of a reservation (the row whose "Reservation" cell is its id). */
const pendingRow = (manager: Person, rentalId: number) =>
  manager.page.getByRole("region", { name: PENDING })
    .getByRole("row").filter({ has: manager.page.getByRole("cell", { name: String(rentalId), exact: true }) });

/** The manager's "Recent requests" row of a reservation. */
const historyRow = (manager: Person, rentalId: number) =>
  manager.page.getByRole("region", { name: HISTORY })
    .getByRole("row").filter({ has: manager.page.getByRole("cell", { name: String(rentalId), exact: true }) });

/** The reservations the manager's pending table lists, top to bottom (each row's first cell; its header cell is the request). */
async function pendingReservations(manager: Person): Promise<number[]> {
  const rows = await manager.page.getByRole("region", { name: PENDING }).getByRole("row").all();
  const cells = await Promise.all(rows.map((row) => row.getByRole("cell").allTextContents()));
  return cells.filter((row) => row.length > 0).map((row) => Number(row[0]));
}

/** Whether `steps` has `wanted` in this order (others may come between). */
const inOrder = (steps: string[], wanted: string[]) => wanted.every((step, i) => i === 0 || steps.indexOf(wanted[i - 1]!) < steps.indexOf(step)) && wanted.every((step) => steps.includes(step));

/** A car's row in the customer's fleet table. */
const fleetRow = (person: Person, car: string) =>
  person.page.getByRole("region", { name: "Fleet" }).getByRole("row").filter({ has: person.page.getByRole("rowheader", { name: car, exact: true }) });

/**
 * The steps the timeline lists, as the page words them, in order, once it lists `count` of
 * them: the last events may reach mypage after the status a test waited for, and the
 * timeline loads each time its "Timeline" opens, so it is closed and opened again until then.
 */
async function timelineSteps(item: Locator, count: number): Promise<string[]> {
  const toggle = item.getByText(w.timeline, { exact: true });
  const steps = item.getByRole("list").getByRole("listitem").locator(".what");
  return eventually(async () => {
    if ((await item.locator("details").getAttribute("open")) !== null) await toggle.click();
    await toggle.click();
    await steps.first().waitFor();
    const words = (await steps.allTextContents()).map((s) => s.trim());
    return words.length >= count && words;
  }, { what: `${count} steps in the timeline` });
}

/** Whether the element has the keyboard's focus (the project's types have no DOM: hence the cast). */
const isFocused = (target: Locator) => target.evaluate((el) => el === (el.ownerDocument as { activeElement: unknown }).activeElement);

/** Presses Tab until the focus is on the element of `role` named `name` (its label or text); fails after `max` presses. */
async function tabTo(person: Person, role: "combobox" | "spinbutton" | "button", name: string, max = 25): Promise<void> {
  const target = person.page.getByRole(role, { name, exact: true }).first();
  for (let i = 0; i < max; i++) {
    await person.page.keyboard.press("Tab");
    if (await isFocused(target)) return;
  }
  throw new Error(`${role} "${name}" was not reached with ${max} presses of Tab`);
}

describe("the saga in a browser", () => {
  test("reserve, confirm live, cancel with a refund, and the timeline of each", async () => {
    const customer = await web.person();
    await signIn(customer.page, { app: web.app, account: "c-1" });
    await checkPage(customer, "customer-empty");

    const first = await reserve(customer.page, { car: "aaa", start: seoulStart(3), hours: HOURS, price: PRICE });
    await first.item.getByText(w.awaiting, { exact: true }).waitFor();
    // Times show in the browser's zone (Seoul here): the start as typed, not 01:00 UTC, once the page's script has formatted it.
    const start = first.item.getByRole("definition").first();
    await eventually(async () => /, 10:00\sAM$/.test((await start.textContent()) ?? ""), { what: "the start shown as 10:00 AM in Seoul" });
    // The fleet is drawn again with the reservation: the car is taken for the chosen window now.
    await fleetRow(customer, "aaa").getByRole("cell", { name: "Taken", exact: true }).waitFor();
    await checkPage(customer, "customer-awaiting");
    await markWindow(customer);

    const second = await reserve(customer.page, { car: "bbb", start: seoulStart(4), hours: HOURS, price: PRICE });
    await second.item.getByText(w.awaiting, { exact: true }).waitFor();

    const manager = await web.person();
    await signIn(manager.page, { app: web.app, account: "m-1", from: "/manager" });
    await pendingRow(manager, second.id).waitFor();
    expect(await pendingReservations(manager)).toEqual([first.id, second.id]); // oldest first
    await checkPage(manager, "manager-pending");
    // On a phone each request is a card: its "Confirm" is on screen, not off to the right of a table.
    const confirm = pendingRow(manager, first.id).getByRole("button", { name: "Confirm", exact: true });
    expect(await rightEdgeOnPhone(manager, confirm)).toBeLessThanOrEqual(VIEWPORTS.phone.width);
    await historyRow(manager, first.id).getByRole("cell", { name: "Waiting for confirmation", exact: true }).waitFor();
    await confirm.click();
    await confirm.waitFor({ state: "detached" });
    // "Recent requests" says so too, without a reload.
    await historyRow(manager, first.id).getByRole("cell", { name: "Confirmed", exact: true }).waitFor();
    await checkPage(manager, "manager-confirmed");

    // The customer's page turns Confirmed by itself: no reload, no click.
    await first.item.getByText(w.confirmed, { exact: true }).waitFor();
    expect(await stillSameWindow(customer)).toBe(true);

    const asked: string[] = [];
    customer.page.once("dialog", async (dialog) => {
      asked.push(dialog.message());
      await dialog.accept();
    });
    await second.item.getByRole("button", { name: w.cancel, exact: true }).click();
    await second.item.getByText(w.cancelled, { exact: true }).waitFor();
    await second.item.getByText(w.refunded, { exact: true }).waitFor();
    expect(asked).toEqual([expect.stringContaining(String(second.id))]);
    expect(await second.item.getByRole("button", { name: w.cancel, exact: true }).count()).toBe(0);
    expect(await stillSameWindow(customer)).toBe(true);
    await checkPage(customer, "customer-reservations");

    // Every step once, each after its cause: the order of steps that cause nothing of each
    // other follows their time (the payment is approved, and may be asked to confirm, before
    // rental records the reservation).
    const confirmed = await timelineSteps(first.item, 4);
    expect(confirmed.toSorted()).toEqual([...RESERVED, "Confirmation requested", "Confirmed by a manager"].sort());
    expect(inOrder(confirmed, ["Payment approved", "Confirmation requested", "Confirmed by a manager"])).toBe(true);
    expect(inOrder(confirmed, ["Reserved and paid", "Confirmed by a manager"])).toBe(true);
    const cancelled = await timelineSteps(second.item, 6);
    expect(cancelled.toSorted()).toEqual([...RESERVED, "Confirmation requested", "Reservation cancelled", "Payment refunded", "Confirmation request withdrawn"].sort());
    expect(inOrder(cancelled, ["Reserved and paid", "Reservation cancelled", "Payment refunded"])).toBe(true);
    expect(inOrder(cancelled, ["Payment approved", "Confirmation requested", "Confirmation request withdrawn"])).toBe(true);
    expect(inOrder(cancelled, ["Reservation cancelled", "Confirmation request withdrawn"])).toBe(true);
    await checkPage(customer, "customer-timelines");

    await customer.page.goto(`${web.app}/reservations/${first.id}/timeline`);
    await customer.page.getByRole("heading", { level: 1, name: `Timeline of reservation ${first.id}` }).waitFor();
    await checkPage(customer, "timeline");
  }, FLOW_TIMEOUT_MS);

  test("a customer reserves and cancels by keyboard alone", async () => {
    const customer = await web.person();
    await signIn(customer.page, { app: web.app, account: "c-2" });
    const { page } = customer;
    await page.keyboard.press("Tab");
    expect(await isFocused(page.getByRole("link", { name: "Skip to content" }))).toBe(true);
    await page.keyboard.press("Enter");
    await tabTo(customer, "combobox", w.car);
    await page.keyboard.press("ArrowDown");
    expect(await page.getByLabel(w.car, { exact: true }).inputValue()).toBe("bbb");
    await tabTo(customer, "spinbutton", w.hours);
    await page.keyboard.press("ControlOrMeta+A");
    await page.keyboard.type("2");
    await tabTo(customer, "button", w.reserve);
    await page.keyboard.press("Enter");
    const mine = page.getByRole("heading", { level: 3, name: /^Car bbb, reservation \d+$/ });
    await mine.waitFor();
    const item = page.getByRole("listitem").filter({ has: mine });
    await item.getByText("Price").waitFor();
    expect(await item.getByRole("definition").nth(3).textContent()).toBe("2,000 won");

    customer.page.once("dialog", (dialog) => dialog.accept());
    await tabTo(customer, "button", w.cancel);
    await page.keyboard.press("Enter");
    await item.getByText(w.cancelled, { exact: true }).waitFor();
    expect(customer.watch.problems()).toEqual([]);
  }, FLOW_TIMEOUT_MS);

  test("a declined payment is said in words, in place of a new reservation", async () => {
    const customer = await web.person();
    await signIn(customer.page, { app: web.app, account: "c-2" });
    const { page } = customer;
    await page.getByLabel(w.car, { exact: true }).selectOption("ddd");
    await page.getByLabel(w.start, { exact: true }).fill(seoulStart(6));
    await page.getByLabel(w.hours, { exact: true }).fill("600"); // over payment's limit of 500 000 won
    await page.getByRole("button", { name: w.reserve, exact: true }).click();
    // payment declines by amount: the advice is fewer hours.
    await page.getByText("The payment was declined, so nothing was reserved or charged: the amount is over the payment limit. Choose fewer hours for a smaller amount.", { exact: true }).waitFor();
    expect(await page.getByRole("heading", { level: 3, name: /^Car ddd,/ }).count()).toBe(0);
    await checkPage(customer, "customer-declined");
  }, FLOW_TIMEOUT_MS);
});
