/** @jsxImportSource hono/jsx */
import { priceOf, RENT_HOURS } from "@rentalnang/shared/domain/tariff";
import { money } from "../../i18n/locale.ts";
import { CsrfField } from "../../layout/layout.tsx";
import type { View } from "../../layout/view.ts";
import { customerRoutes } from "./customer.routes.ts";
import type { Car } from "./customer-resources.ts";

/** What the form asks for: a car, a start (an instant; none: the next full hour) and hours. */
export interface Choice {
  carId: string | undefined;
  startAt: string | undefined;
  rentHour: number;
}

/** The price before paying (the workers' rule: hours × the car's rate), when a car is chosen. */
export function Price({ view, cars, choice }: { view: View; cars: Car[]; choice: Choice }) {
  const { t, locale } = view;
  const car = cars.find((c) => c.id === choice.carId) ?? cars[0];
  const text = car ? t("reserve.price", { price: money(t, locale, priceOf(choice.rentHour, car.ratePerHour)) }) : t("reserve.priceUnknown");
  return <output class="price" for="car start rent-hour">{text}</output>;
}

/** Every active car, with whether it is free for the whole chosen window. `oob`: swapped in by a quote. */
export function Fleet({ view, cars, free, oob }: { view: View; cars: Car[]; free: Set<string>; oob?: boolean }) {
  const { t, locale } = view;
  return (
    <div id="fleet" class="table-wrap" hx-swap-oob={oob ? "true" : undefined}>
      {cars.length === 0 ? <p>{t("fleet.empty")}</p> : (
        <table>
          <caption>{t("fleet.heading")}</caption>
          <thead><tr><th scope="col">{t("fleet.car")}</th><th scope="col">{t("fleet.model")}</th><th scope="col">{t("fleet.rate")}</th><th scope="col">{t("fleet.free")}</th></tr></thead>
          <tbody>
            {cars.map((car) => (
              <tr>
                <th scope="row">{car.id}</th>
                <td>{car.model}</td>
                <td>{money(t, locale, car.ratePerHour)}</td>
                <td>{free.has(car.id) ? <span class="free">{t("fleet.freeYes")}</span> : <span class="taken">{t("fleet.freeNo")}</span>}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </div>
  );
}

/** A fresh Idempotency-Key for the next reservation: a resubmitted form does not reserve twice. */
export function IdempotencyKey({ oob }: { oob?: boolean }) {
  return <input type="hidden" id="idempotency-key" name="idempotencyKey" value={crypto.randomUUID()} hx-swap-oob={oob ? "true" : undefined} />;
}

/**
 * The reserve form, labelled "Car", "Start" and "Hours", the price under it and "Reserve".
 * "Start" is the browser's local time: /assets/app.js copies it as an instant into the
 * hidden startAt. Each change asks for a new quote (price and free cars); "Reserve" adds the
 * new reservation to the top of "My reservations".
 */
export function ReserveForm({ view, cars, choice }: { view: View; cars: Car[]; choice: Choice }) {
  const { t } = view;
  return (
    <form id="reserve-form" method="post" action={customerRoutes.reserve} hx-post={customerRoutes.reserve} hx-target="#my-reservations" hx-swap="afterbegin">
      <CsrfField view={view} />
      <IdempotencyKey />
      <label for="car">{t("reserve.car")}</label>
      <select id="car" name="carId" required>
        {cars.map((car) => (
          <option value={car.id} selected={car.id === choice.carId}>{t("car.option", { id: car.id, model: car.model, rate: money(t, view.locale, car.ratePerHour) })}</option>
        ))}
      </select>
      <label for="start">{t("reserve.start")}</label>
      <input type="datetime-local" id="start" name="start" data-iso-field="start-at" aria-describedby="start-hint" />
      <span class="hint" id="start-hint">{t("reserve.startHint")}</span>
      <input type="hidden" id="start-at" name="startAt" value={choice.startAt ?? ""} />
      <label for="rent-hour">{t("reserve.hours")}</label>
      <input type="number" id="rent-hour" name="rentHour" min={RENT_HOURS.min} max={RENT_HOURS.max} step="1" value={String(choice.rentHour)} required aria-describedby="hours-hint" />
      <span class="hint" id="hours-hint">{t("reserve.hoursHint")}</span>
      <div id="quote" aria-live="polite" hx-get={customerRoutes.quote} hx-trigger="change from:#reserve-form" hx-include="#reserve-form" hx-params="carId,startAt,rentHour"
        hx-target="this" hx-swap="innerHTML">
        <Price view={view} cars={cars} choice={choice} />
      </div>
      <div class="form-actions"><button type="submit">{t("reserve.button")}</button></div>
      <div id="reserve-message" class="message" role="status" aria-live="polite"></div>
    </form>
  );
}
