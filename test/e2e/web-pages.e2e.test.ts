import { beforeAll, describe, expect, test } from "bun:test";
import { encodeDeadLetter } from "@rentalnang/shared/bus/dead-letter";
import { cleanupAll } from "@rentalnang/shared/testing/cleanup";
import { eventually } from "@rentalnang/shared/testing/eventually";
import { connectTestRedis } from "@rentalnang/shared/testing/harness";
import { startStack, type Stack } from "@rentalnang/shared/testing/stack";
import { deadLetterKey, streamKey } from "@rentalnang/shared/topology/redis-keys";
import { browser, formAction } from "./sign-in-browser.ts";

/**
 * The web pages over HTTP with every process spawned: each person signs in through identity
 * as a browser would (one cookie jar each), then opens their pages and uses their forms the
 * way htmx sends them (HX-Request, the page's CSRF token, the gateway's Origin). The browser
 * tests (test/browser/) click the same pages in chromium.
 */

let stack: Stack;
const cleanup = cleanupAll();

beforeAll(async () => {
  stack = await startStack();
  cleanup.defer(() => stack.stop());
});

type Browser = ReturnType<typeof browser>;
const gateway = () => stack.gateway.url;

/** A browser signed in as `account` (password form at identity, back through the callback). */
async function signedIn(account: string): Promise<Browser> {
  const b = browser();
  const start = await b.request(`${gateway()}/auth/signin?return=/`);
  const { res, url } = await b.follow(new URL(start.headers.get("location")!, gateway()).href);
  const posted = await b.submit(formAction(await res.text(), url), { account, password: "rentalnang" });
  const back = await b.follow(new URL(posted.headers.get("location")!, url).href, (to) => to.startsWith(`${gateway()}/auth/callback`));
  expect((await b.request(back.url)).status).toBe(303);
  return b;
}

async function open(b: Browser, path: string, headers: Record<string, string> = {}) {
  const res = await b.request(`${gateway()}${path}`, { headers });
  return { status: res.status, html: await res.text(), headers: res.headers };
}

const csrfOf = (html: string) => /name="_csrf" value="([^"]+)"/.exec(html)![1]!;

/** What htmx sends: a form body, HX-Request, the page's token in X-CSRF-Token, this site's Origin. */
async function htmx(b: Browser, token: string, method: "GET" | "POST", path: string, fields: Record<string, string> = {}) {
  const headers = { "hx-request": "true", "x-csrf-token": token, origin: gateway(), "content-type": "application/x-www-form-urlencoded" };
  const init: RequestInit = method === "GET" ? { headers } : { method, headers, body: new URLSearchParams(fields) };
  const res = await b.request(`${gateway()}${path}${method === "GET" && Object.keys(fields).length ? `?${new URLSearchParams(fields)}` : ""}`, init);
  return { status: res.status, html: await res.text(), headers: res.headers };
}

/** A start of its own for each test run (rental refuses overlapping windows of one car). */
const startIn = (days: number) => new Date(Math.ceil(Date.now() / 3_600_000) * 3_600_000 + days * 86_400_000).toISOString();

/** The status element's next link (`hx-get`), or undefined once the chain stopped. */
const nextLink = (html: string) => /hx-get="([^"]*\/status[^"]*)"/.exec(html)?.[1]?.replace(/&amp;/g, "&");

/** The manager's "Recent requests" row of a request, as drawn in `html`. */
const historyRow = (html: string, deliveryId: number) => new RegExp(`<tr id="history-${deliveryId}"[^>]*>.*?</tr>`, "s").exec(html)?.[0];

/**
 * Follows a reservation's status chain, as htmx does, until `words` shows. A wait with no
 * change answers 204 naming the event on which the element asks again with the same link.
 */
async function followUntil(b: Browser, token: string, rentalId: number, words: string) {
  let link: string | undefined = `/ui/reservations/${rentalId}/status`;
  for (let hop = 0; hop < 20 && link; hop++) {
    const answer = await htmx(b, token, "GET", link);
    if (answer.status === 204) {
      expect(answer.headers.get("hx-trigger")).toBe("status-unchanged");
      continue;
    }
    expect(answer.status).toBe(200);
    if (answer.html.includes(words)) return answer.html;
    link = nextLink(answer.html);
  }
  throw new Error(`reservation ${rentalId} never showed ${words}`);
}

describe("signed out", () => {
  test("/ welcomes and offers Sign in; the assets come from the gateway with long cache headers", async () => {
    const page = await open(browser(), "/");
    expect(page.status).toBe(200);
    expect(page.html).toStartWith("<!DOCTYPE html>");
    expect(page.html).toContain('<html lang="en">');
    expect(page.html).toContain('href="/auth/signin?return=%2F">Sign in</a>');
    for (const src of page.html.match(/\/assets\/[\w.]+\?v=[\w-]+/g)!) {
      const res = await fetch(`${gateway()}${src}`);
      expect(res.status).toBe(200);
      expect(res.headers.get("cache-control")).toContain("immutable");
    }
  });

  test("a page of a role sends the browser to sign in; an htmx request is told to load the sign-in itself", async () => {
    const res = await browser().request(`${gateway()}/manager`);
    expect(res.status).toBe(303);
    expect(res.headers.get("location")).toBe("/auth/signin?return=%2Fmanager");
    const piece = await browser().request(`${gateway()}/ui/reservations/1/status`, { headers: { "hx-request": "true" } });
    expect(piece.headers.get("hx-redirect")).toStartWith("/auth/signin?return=");
  });

  test("Korean by Accept-Language, with lang set", async () => {
    const page = await open(browser(), "/", { "accept-language": "ko-KR,ko;q=0.9" });
    expect(page.html).toContain('<html lang="ko">');
    expect(page.html).toContain(">로그인</a>");
  });
});

describe("the customer's page", () => {
  test("shows the fleet, the reserve form labelled Car, Start and Hours with the price, Reserve, and My reservations", async () => {
    const page = await open(await signedIn("c-1"), "/");
    expect(page.status).toBe(200);
    for (const label of [">Car</label>", ">Start</label>", ">Hours</label>", ">Reserve</button>", ">My reservations</h2>", ">Sign out</button>"]) {
      expect(page.html).toContain(label);
    }
    expect(page.html).toContain("Price: 1,000 won");
    expect(page.html).toContain("Signed in as c-1 (customer)");
    for (const car of ["aaa", "bbb", "ccc", "ddd", "eee"]) expect(page.html).toContain(`<th scope="row">${car}</th>`);
  });

  test("the switch's cookie turns the page Korean", async () => {
    const b = await signedIn("c-2");
    const token = csrfOf((await open(b, "/")).html);
    const switched = await b.request(`${gateway()}/lang`, {
      method: "POST", headers: { origin: gateway(), "content-type": "application/x-www-form-urlencoded" }, body: new URLSearchParams({ lang: "ko", return: "/", _csrf: token }),
    });
    expect(switched.status).toBe(303);
    const page = await open(b, "/");
    expect(page.html).toContain('<html lang="ko">');
    for (const label of [">차량</label>", ">시작</label>", ">시간</label>", ">예약</button>", ">내 예약</h2>"]) expect(page.html).toContain(label);
  });

  test("a quote prices the choice and says which cars are free", async () => {
    const b = await signedIn("c-1");
    const token = csrfOf((await open(b, "/")).html);
    const quote = await htmx(b, token, "GET", "/ui/quote", { carId: "bbb", rentHour: "3", startAt: startIn(30) });
    expect(quote.html).toContain("Price: 3,000 won");
    expect(quote.html).toContain('hx-swap-oob="true"');
  });

  test("a form without the page's token is refused (403)", async () => {
    const b = await signedIn("c-1");
    const res = await b.request(`${gateway()}/reservations`, {
      method: "POST", headers: { origin: gateway(), "content-type": "application/x-www-form-urlencoded" }, body: new URLSearchParams({ carId: "aaa", rentHour: "1" }),
    });
    expect(res.status).toBe(403);
  });
});

describe("reserving and following the status live", () => {
  test("Reserve shows the reservation at once, its status chain follows it to Confirmed, then stops", async () => {
    const customer = await signedIn("c-1");
    const token = csrfOf((await open(customer, "/")).html);
    const made = await htmx(customer, token, "POST", "/reservations", { carId: "aaa", rentHour: "2", startAt: startIn(40) });
    expect(made.status).toBe(200);
    const rentalId = Number(/id="reservation-(\d+)"/.exec(made.html)![1]);
    expect(made.html).toContain(">Reserved</span>");
    expect(nextLink(made.html)).toBe(`/ui/reservations/${rentalId}/status`);
    // Each answer is the element again, carrying mypage's ETag for the next wait.
    const awaiting = await followUntil(customer, token, rentalId, "Awaiting confirmation");
    expect(nextLink(awaiting)).toMatch(new RegExp(`^/ui/reservations/${rentalId}/status\\?etag=`));

    const manager = await signedIn("m-1");
    const managerPage = await open(manager, "/manager");
    const deliveryId = Number(new RegExp(`<tr id="delivery-(\\d+)"[^>]*><th[^>]*>\\d+</th><td[^>]*>${rentalId}</td>`).exec(managerPage.html)![1]);
    expect(historyRow(managerPage.html, deliveryId)).toContain(">Waiting for confirmation</td>");
    const confirmed = await htmx(manager, csrfOf(managerPage.html), "POST", `/manager/deliveries/${deliveryId}/confirm`);
    expect(confirmed.html).toContain(">Confirmed</span>");
    // "Recent requests" comes along out of band, the request confirmed there too.
    expect(confirmed.html).toContain('<template><div id="history" hx-swap-oob="true">');
    expect(historyRow(confirmed.html, deliveryId)).toContain(">Confirmed</td>");

    const final = await followUntil(customer, token, rentalId, ">Confirmed</span>");
    expect(nextLink(final)).toBeUndefined();
  });

  test("Cancel ends in Cancelled and Refunded, and the timeline shows each step in words", async () => {
    const b = await signedIn("c-2");
    const token = csrfOf((await open(b, "/")).html);
    const made = await htmx(b, token, "POST", "/reservations", { carId: "bbb", rentHour: "1", startAt: startIn(41) });
    const rentalId = Number(/id="reservation-(\d+)"/.exec(made.html)![1]);
    await followUntil(b, token, rentalId, "Awaiting confirmation");
    const cancelled = await htmx(b, token, "POST", `/reservations/${rentalId}/cancel`, { live: "0", etag: "" });
    expect(cancelled.html).toContain("Cancelling; the refund follows.");
    const refunded = await followUntil(b, token, rentalId, ">Refunded</span>");
    expect(refunded).toContain(">Cancelled</span>");
    expect(nextLink(refunded)).toBeUndefined();
    const timeline = await eventually(async () => {
      const piece = await htmx(b, token, "GET", `/reservations/${rentalId}/timeline`);
      expect(piece.html).toContain("Payment refunded");
      return piece.html;
    });
    for (const step of ["Reserved and paid", "Payment approved", "Confirmation requested", "Reservation cancelled", "from rental", "<time datetime="]) {
      expect(timeline).toContain(step);
    }
  });

  test("without JavaScript: the form reserves and the page shows it; Cancel asks first, then cancels", async () => {
    const b = await signedIn("c-2");
    const token = csrfOf((await open(b, "/")).html);
    const form = (fields: Record<string, string>) => ({
      method: "POST", headers: { origin: gateway(), "content-type": "application/x-www-form-urlencoded" }, body: new URLSearchParams({ ...fields, _csrf: token }),
    });
    const posted = await b.request(`${gateway()}/reservations`, form({ carId: "eee", rentHour: "1", start: startIn(42).slice(0, 16) }));
    expect(posted.status).toBe(303);
    const location = posted.headers.get("location")!;
    const rentalId = Number(/^\/\?reserved=(\d+)$/.exec(location)![1]);
    // The page waits for mypage to show the new reservation (read-your-writes).
    expect((await open(b, location)).html).toContain(`id="reservation-${rentalId}"`);
    const step = await open(b, `/reservations/${rentalId}/cancel`);
    expect(step.html).toContain(">Yes, cancel it</button>");
    expect(step.html).toContain(">Keep it</a>");
    const cancelled = await b.request(`${gateway()}/reservations/${rentalId}/cancel`, form({}));
    expect(cancelled.status).toBe(303);
    expect(cancelled.headers.get("location")).toBe("/");
  });

  test("without JavaScript, with mypage away: the page still lists the reservation just made, from rental's record, and follows it", async () => {
    const b = await signedIn("c-1");
    const token = csrfOf((await open(b, "/")).html);
    await stack.replicas.mypage[0]!.stop();
    try {
      const posted = await b.request(`${gateway()}/reservations`, {
        method: "POST", headers: { origin: gateway(), "content-type": "application/x-www-form-urlencoded" },
        body: new URLSearchParams({ carId: "ddd", rentHour: "2", start: startIn(43).slice(0, 16), _csrf: token }),
      });
      expect(posted.status).toBe(303);
      const location = posted.headers.get("location")!;
      const rentalId = Number(/^\/\?reserved=(\d+)$/.exec(location)![1]);
      const page = await open(b, location);
      expect(page.status).toBe(200);
      const item = page.html.slice(page.html.indexOf(`id="reservation-${rentalId}"`));
      expect(item).toContain(`Car ddd, reservation ${rentalId}`);
      expect(item).toContain(">Reserved</span>");
      expect(nextLink(item)).toBe(`/ui/reservations/${rentalId}/status`);
      expect(page.html).toContain("The mypage service did not answer"); // the list's own problem, in words
    } finally {
      await stack.restartWith("mypage");
    }
  });

  test("a declined payment, an overlap and an unknown car are explained in words", async () => {
    const b = await signedIn("c-1");
    const token = csrfOf((await open(b, "/")).html);
    const declined = await htmx(b, token, "POST", "/reservations", { carId: "ccc", rentHour: "600", startAt: startIn(50) });
    expect(declined.headers.get("hx-retarget")).toBe("#reserve-message");
    expect(declined.html).toContain("The payment was declined");
    const start = startIn(60);
    await htmx(b, token, "POST", "/reservations", { carId: "ddd", rentHour: "2", startAt: start });
    const overlap = await htmx(b, token, "POST", "/reservations", { carId: "ddd", rentHour: "1", startAt: start });
    expect(overlap.html).toContain("This car is already taken from <time datetime=");
    const unknown = await htmx(b, token, "POST", "/reservations", { carId: "nope", rentHour: "1", startAt: start });
    expect(unknown.html).toContain("There is no car nope.");
  });
});

describe("the manager's and the operator's pages", () => {
  test("the manager sees pending confirmations, the history and the fleet, and adds and retires a car", async () => {
    const b = await signedIn("m-1");
    const page = await open(b, "/manager");
    expect(page.status).toBe(200);
    for (const text of ["Waiting for confirmation (oldest first)", "Recent requests", ">Fleet</h2>", ">Car id</label>", ">Model</label>", ">Rate per hour (won)</label>", ">Add car</button>"]) {
      expect(page.html).toContain(text);
    }
    const token = csrfOf(page.html);
    const added = await htmx(b, token, "POST", "/manager/cars", { id: "web-1", model: "Avante", ratePerHour: "1500" });
    expect(added.html).toContain('<tr id="car-web-1"');
    expect(added.html).toContain(">Retire</button>");
    expect((await htmx(b, token, "POST", "/manager/cars", { id: "web-1", model: "Avante", ratePerHour: "1500" })).html).toContain("A car with the id web-1 already exists.");
    expect((await htmx(b, token, "POST", "/manager/cars/web-1/retire")).html).toContain("Car web-1 is retired.");
  });

  test("the operator sees the board's link and the dead letters", async () => {
    const page = await open(await signedIn("o-1"), "/operator");
    expect(page.status).toBe(200);
    expect(page.html).toContain('href="/admin/queues"');
    expect(page.html).toContain("Dead letters");
    expect(page.html).toContain("No dead letters.");
  });

  test("the operator redrives one dead letter and deletes another from the page", async () => {
    const redis = await connectTestRedis(cleanup, stack.redisUrl);
    const letter = (n: number) => encodeDeadLetter({
      stream: streamKey(stack.prefix, "rental"), entryId: `${n}-0`, group: "mypage", reason: `page ${n}`, deliveries: 5,
      fields: { event: JSON.stringify({ type: "Probe", data: { n } }) }, failedAt: new Date().toISOString(),
    });
    const ids = [await redis.xadd(deadLetterKey(stack.prefix, "mypage"), "*", ...letter(1)), await redis.xadd(deadLetterKey(stack.prefix, "mypage"), "*", ...letter(2))];
    const b = await signedIn("o-1");
    const page = await open(b, "/operator");
    for (const text of ['data-label="Reason">page 1</td>', 'data-label="Event">Probe</td>', ">Redrive</button>", ">Delete</button>"]) expect(page.html).toContain(text);
    const token = csrfOf(page.html);
    expect((await htmx(b, token, "POST", `/operator/dead-letters/mypage/${ids[0]}/redrive`)).html).toContain("Put back on its stream.");
    expect((await htmx(b, token, "POST", `/operator/dead-letters/mypage/${ids[1]}/delete`)).html).toContain("Deleted.");
    expect((await htmx(b, token, "POST", `/operator/dead-letters/mypage/${ids[1]}/delete`)).html).toContain("It is no longer there");
  });

  test("another role's page is a 403 page that says whose it is", async () => {
    const customer = await signedIn("c-1");
    const managers = await open(customer, "/manager");
    expect(managers.status).toBe(403);
    expect(managers.headers.get("content-type")).toContain("text/html");
    expect(managers.html).toContain("This page is for the role manager. You are signed in as c-1 (customer).");
    expect((await open(await signedIn("m-1"), "/operator")).status).toBe(403);
    // A manager's home is their own page.
    const home = await (await signedIn("m-1")).request(`${gateway()}/`);
    expect(home.headers.get("location")).toBe("/manager");
  });
});
