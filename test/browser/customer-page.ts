import type { Locator, Page } from "playwright-core";
import { eventually } from "@rentalnang/shared/testing/eventually";

/**
 * The customer's page as a person reads it, in English or Korean: the reserve form's labels,
 * the statuses and buttons, found by role and accessible name so that what a screen reader
 * would announce is what the tests press.
 */
export const WORDS = {
  en: {
    car: "Car", start: "Start", hours: "Hours", reserve: "Reserve", cancel: "Cancel", timeline: "Timeline",
    myReservations: "My reservations", price: (amount: string) => `Price: ${amount} won`,
    item: (car: string, id: number) => `Car ${car}, reservation ${id}`,
    awaiting: "Awaiting confirmation", confirmed: "Confirmed", cancelled: "Cancelled", refunded: "Refunded",
  },
  ko: {
    car: "차량", start: "시작", hours: "시간", reserve: "예약", cancel: "취소", timeline: "타임라인",
    myReservations: "내 예약", price: (amount: string) => `요금: ${amount}원`,
    item: (car: string, id: number) => `차량 ${car}, 예약 ${id}`,
    awaiting: "확정 대기 중", confirmed: "확정됨", cancelled: "취소됨", refunded: "환불됨",
  },
} as const;
export type Language = keyof typeof WORDS;

const SEOUL_OFFSET_MS = 9 * 3_600_000;

/** "YYYY-MM-DDTHH:00", `days` from today at `hour` o'clock in Seoul (the contexts' time zone, no DST), as datetime-local takes it. */
export function seoulStart(days: number, hour = 10): string {
  const day = new Date(Date.now() + SEOUL_OFFSET_MS + days * 86_400_000).toISOString().slice(0, 10);
  return `${day}T${String(hour).padStart(2, "0")}:00`;
}

export interface Reservation {
  id: number;
  item: Locator;
}

/** The ids of the reservations "My reservations" lists (each item's heading names it). */
async function listedIds(page: Page, language: Language): Promise<number[]> {
  const headings = await page.getByRole("heading", { level: 3, name: itemPattern(language) }).allTextContents();
  return headings.map((text) => Number(itemPattern(language).exec(text.trim())?.[2]));
}

/** Fills "Car", "Start" and "Hours", waits for the price shown before paying, presses "Reserve". */
export async function reserve(page: Page, { car, start, hours, price, language = "en" }: {
  car: string; start: string; hours: number; price: number; language?: Language;
}): Promise<Reservation> {
  const w = WORDS[language];
  await page.getByLabel(w.car, { exact: true }).selectOption(car);
  await page.getByLabel(w.start, { exact: true }).fill(start);
  await page.getByLabel(w.hours, { exact: true }).fill(String(hours));
  await page.getByLabel(w.hours, { exact: true }).dispatchEvent("change");
  await page.getByRole("status").filter({ hasText: w.price(price.toLocaleString("en-US")) }).waitFor();
  const before = new Set(await listedIds(page, language));
  await page.getByRole("button", { name: w.reserve, exact: true }).click();
  const id = await eventually(async () => (await listedIds(page, language)).find((n) => !before.has(n)), { what: `a new reservation of ${car} in the list` });
  return { id, item: reservationItem(page, car, id, language) };
}

/** The list item of one reservation in "My reservations". */
export function reservationItem(page: Page, car: string, id: number, language: Language = "en"): Locator {
  return page.getByRole("listitem").filter({ has: page.getByRole("heading", { level: 3, name: WORDS[language].item(car, id), exact: true }) });
}

/** An item's heading in a language, "Car aaa, reservation 12", with the car and the id as groups. */
function itemPattern(language: Language): RegExp {
  const sample = WORDS[language].item("@car@", 0);
  return new RegExp(`^${sample.replace("@car@", "(\\S+)").replace(/0$/, "(\\d+)")}$`);
}
