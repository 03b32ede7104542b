import { describe, expect, test } from "bun:test";
import { DEFAULT_RATE_PER_HOUR, priceOf } from "@rentalnang/shared/domain/tariff";
import { signIn } from "@rentalnang/shared/testing/web-sign-in";
import { reservationItem, reserve, seoulStart, WORDS } from "./customer-page.ts";
import { checkPage, webFixture, type Person } from "./fixtures.ts";

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

const RESERVED = ["Payment approved", "Reserved and paid"];

/** A mark on the page's window: still there later means the page was never reloaded. */
const markWindow = (person: Person) => person.page.evaluate("window.__notReloaded = true");
const stillSameWindow = async (person: Person) => (await person.page.evaluate("window.__notReloaded === true")) === true;

/** The manager's pending row of a reservation (the row whose "Reservation" cell is its id). */
const pendingRow = (manager: Person, rentalId: number) =>
  manager.page.getByRole("region", { name: "Waiting for confirmation (oldest first)" })
    .getByRole("row").filter({ has: manager.page.getByRole("cell", { name: String(rentalId), exact: true }) });

/** A car's row in the customer's fleet table. */
const fleetRow = (person: Person, car: string) =>
  person.page.getByRole("region", { name: "Fleet" }).getByRole("row").filter({ has: person.page.getByRole("rowheader", { name: car, exact: true }) });

/** The steps the timeline lists, as the page words them, in order. */
async function timelineSteps(person: Person, item: ReturnType<typeof reservationItem>): Promise<string[]> {
  const details = item.getByRole("group").or(item.locator("details"));
  if ((await details.first().getAttribute("open")) === null) await item.getByText(w.timeline, { exact: true }).click();
  const list = item.getByRole("list");
  await list.getByRole("listitem").first().waitFor();
  return (await list.getByRole("listitem").locator(".what").allTextContents()).map((s) => s.trim());
}

describe("the saga in a browser", () => {
  test("reserve, confirm live, cancel with a refund, and the timeline of each", async () => {
    const customer = await web.person();
    await signIn(customer.page, { app: web.app, account: "c-1" });
    await checkPage(customer, "customer-empty");

    const first = await reserve(customer.page, { car: "aaa", start: seoulStart(3), hours: HOURS, price: PRICE });
    await first.item.getByText(w.awaiting, { exact: true }).waitFor();
    // The fleet is drawn again with the reservation: the car is taken for the chosen window now.
    expect(await fleetRow(customer, "aaa").getByRole("cell", { name: "Taken", exact: true }).count()).toBe(1);
    await checkPage(customer, "customer-awaiting");
    await markWindow(customer);

    const manager = await web.person();
    await signIn(manager.page, { app: web.app, account: "m-1", from: "/manager" });
    await pendingRow(manager, first.id).waitFor();
    await checkPage(manager, "manager-pending");
    await pendingRow(manager, first.id).getByRole("button", { name: "Confirm", exact: true }).click();
    await pendingRow(manager, first.id).getByRole("button", { name: "Confirm", exact: true }).waitFor({ state: "detached" });
    await checkPage(manager, "manager-confirmed");

    // The customer's page turns Confirmed by itself: no reload, no click.
    await first.item.getByText(w.confirmed, { exact: true }).waitFor();
    expect(await stillSameWindow(customer)).toBe(true);

    const second = await reserve(customer.page, { car: "bbb", start: seoulStart(4), hours: HOURS, price: PRICE });
    await second.item.getByText(w.awaiting, { exact: true }).waitFor();
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

    // The payment is approved during the reservation's own request: those two come first, in the order they were stamped.
    const confirmed = await timelineSteps(customer, first.item);
    expect([confirmed.slice(0, 2).sort(), confirmed.slice(2)]).toEqual([RESERVED, ["Confirmation requested", "Confirmed by a manager"]]);
    const cancelled = await timelineSteps(customer, second.item);
    expect([cancelled.slice(0, 2).sort(), cancelled[2], cancelled[3]]).toEqual([RESERVED, "Confirmation requested", "Reservation cancelled"]);
    expect(cancelled.slice(4).sort()).toEqual(["Confirmation request withdrawn", "Payment refunded"]);
    await checkPage(customer, "customer-timelines");

    await customer.page.goto(`${web.app}/reservations/${first.id}/timeline`);
    await customer.page.getByRole("heading", { level: 1, name: `Timeline of reservation ${first.id}` }).waitFor();
    await checkPage(customer, "timeline");
  }, FLOW_TIMEOUT_MS);
});
