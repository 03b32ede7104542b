/** @jsxImportSource hono/jsx */
import type { DeliveryStatus } from "@rentalnang/shared/domain/statuses";
import { money } from "../../i18n/locale.ts";
import { CsrfField } from "../../layout/layout.tsx";
import { Time } from "../../layout/time.tsx";
import type { View } from "../../layout/view.ts";
import type { Car } from "../customer/customer-resources.ts";
import { confirmPath, managerRoutes, retirePath } from "./manager.routes.ts";

/** A confirmation request as delivery shows it (the fields the page draws). */
export interface Delivery {
  id: number;
  rentalId: number;
  carId: string | null;
  rentHour: number;
  startAt: string | null;
  status: DeliveryStatus;
  createdAt: string;
  updatedAt: string;
}

/** One pending request with "Confirm" (htmx replaces the row with the confirmed one). */
export function PendingRow({ view, d }: { view: View; d: Delivery }) {
  const { t } = view;
  return (
    <tr id={`delivery-${d.id}`}>
      <th scope="row">{d.id}</th>
      <td>{d.rentalId}</td>
      <td>{d.carId ?? "—"}</td>
      <td><Time iso={d.startAt} /></td>
      <td>{d.rentHour}</td>
      <td><Time iso={d.createdAt} /></td>
      <td>
        {d.status === "PendingConfirmation" ? (
          <form method="post" action={confirmPath(d.id)} hx-post={confirmPath(d.id)} hx-target="closest tr" hx-swap="outerHTML">
            <CsrfField view={view} />
            <button type="submit">{t("pending.confirm")}</button>
          </form>
        ) : <span role="status">{t(`delivery.${d.status}`)}</span>}
      </td>
    </tr>
  );
}

/** Requests waiting for a manager, oldest first. */
export function Pending({ view, items }: { view: View; items: Delivery[] }) {
  const { t } = view;
  if (items.length === 0) return <p>{t("pending.empty")}</p>;
  return (
    <div class="table-wrap">
      <table>
        <thead><tr>
          <th scope="col">{t("pending.request")}</th><th scope="col">{t("pending.rental")}</th><th scope="col">{t("pending.car")}</th>
          <th scope="col">{t("pending.start")}</th><th scope="col">{t("pending.hours")}</th><th scope="col">{t("pending.requested")}</th>
          <th scope="col">{t("pending.action")}</th>
        </tr></thead>
        <tbody>{items.map((d) => <PendingRow view={view} d={d} />)}</tbody>
      </table>
    </div>
  );
}

/** The latest requests, whatever their status, newest first. */
export function History({ view, items }: { view: View; items: Delivery[] }) {
  const { t } = view;
  return (
    <div class="table-wrap">
      <table>
        <thead><tr>
          <th scope="col">{t("pending.request")}</th><th scope="col">{t("pending.rental")}</th><th scope="col">{t("pending.car")}</th>
          <th scope="col">{t("pending.start")}</th><th scope="col">{t("history.status")}</th><th scope="col">{t("history.updated")}</th>
        </tr></thead>
        <tbody>
          {items.map((d) => (
            <tr><th scope="row">{d.id}</th><td>{d.rentalId}</td><td>{d.carId ?? "—"}</td><td><Time iso={d.startAt} /></td><td>{t(`delivery.${d.status}`)}</td><td><Time iso={d.updatedAt} /></td></tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

/** One active car with "Retire" (after the browser's confirm). */
export function CarRow({ view, car }: { view: View; car: Car }) {
  const { t, locale } = view;
  return (
    <tr id={`car-${car.id}`}>
      <th scope="row">{car.id}</th>
      <td>{car.model}</td>
      <td>{money(t, locale, car.ratePerHour)}</td>
      <td>
        <form method="post" action={retirePath(car.id)} hx-post={retirePath(car.id)} hx-confirm={t("cars.retireConfirm", { id: car.id })} hx-target="closest tr" hx-swap="outerHTML">
          <CsrfField view={view} />
          <button type="submit" class="danger">{t("cars.retire")}</button>
        </form>
      </td>
    </tr>
  );
}

/** The fleet with "Retire" per car, and the form that adds one ("Car id", "Model", "Rate per hour (won)"). */
export function FleetAdmin({ view, cars }: { view: View; cars: Car[] }) {
  const { t } = view;
  return (
    <>
      <div class="table-wrap">
        <table>
          <thead><tr><th scope="col">{t("fleet.car")}</th><th scope="col">{t("fleet.model")}</th><th scope="col">{t("fleet.rate")}</th><th scope="col">{t("pending.action")}</th></tr></thead>
          <tbody id="fleet-rows">{cars.map((car) => <CarRow view={view} car={car} />)}</tbody>
        </table>
      </div>
      <h3 id="add-car-heading">{t("cars.add")}</h3>
      <form method="post" action={managerRoutes.addCar} hx-post={managerRoutes.addCar} hx-target="#fleet-rows" hx-swap="afterbegin" aria-labelledby="add-car-heading">
        <CsrfField view={view} />
        <label for="new-car-id">{t("cars.id")}</label>
        <input id="new-car-id" name="id" required maxlength={64} autocomplete="off" />
        <label for="new-car-model">{t("cars.model")}</label>
        <input id="new-car-model" name="model" required maxlength={100} autocomplete="off" />
        <label for="new-car-rate">{t("cars.rate")}</label>
        <input id="new-car-rate" name="ratePerHour" type="number" min={1} step="1" required />
        <div class="form-actions"><button type="submit">{t("cars.addButton")}</button></div>
        <div id="car-message" class="message" role="status"></div>
      </form>
    </>
  );
}
