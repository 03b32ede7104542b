/** @jsxImportSource hono/jsx */
import type { DeliveryStatus } from "@rentalnang/shared/domain/statuses";
import { money } from "../../i18n/locale.ts";
import { CardTable, RowAction, cardRow, cell, rowHeader } from "../../layout/card-table.tsx";
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
    <tr id={`delivery-${d.id}`} {...cardRow}>
      <th {...rowHeader(t("pending.request"))}>{d.id}</th>
      <td {...cell(t("pending.rental"))}>{d.rentalId}</td>
      <td {...cell(t("pending.car"))}>{d.carId ?? "—"}</td>
      <td {...cell(t("pending.start"))}><Time iso={d.startAt} /></td>
      <td {...cell(t("pending.hours"))}>{d.rentHour}</td>
      <td {...cell(t("pending.requested"))}><Time iso={d.createdAt} /></td>
      <td {...cell()}>
        {d.status === "PendingConfirmation" ? (
          <RowAction view={view} action={confirmPath(d.id)} label={t("pending.confirm")} />
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
    <CardTable
      columns={[t("pending.request"), t("pending.rental"), t("pending.car"), t("pending.start"),
        t("pending.hours"), t("pending.requested"), t("pending.action")]}>
      {items.map((d) => <PendingRow view={view} d={d} />)}
    </CardTable>
  );
}

/** The latest requests, whatever their status, newest first. */
export function History({ view, items }: { view: View; items: Delivery[] }) {
  const { t } = view;
  return (
    <CardTable
      columns={[t("pending.request"), t("pending.rental"), t("pending.car"),
        t("pending.start"), t("history.status"), t("history.updated")]}>
      {items.map((d) => (
        <tr id={`history-${d.id}`} {...cardRow}>
          <th {...rowHeader(t("pending.request"))}>{d.id}</th><td {...cell(t("pending.rental"))}>{d.rentalId}</td><td {...cell(t("pending.car"))}>{d.carId ?? "—"}</td>
          <td {...cell(t("pending.start"))}><Time iso={d.startAt} /></td><td {...cell(t("history.status"))}>{t(`delivery.${d.status}`)}</td>
          <td {...cell(t("history.updated"))}><Time iso={d.updatedAt} /></td>
        </tr>
      ))}
    </CardTable>
  );
}

/** One active car with "Retire" (after the browser's confirm). */
export function CarRow({ view, car }: { view: View; car: Car }) {
  const { t, locale } = view;
  return (
    <tr id={`car-${car.id}`} {...cardRow}>
      <th {...rowHeader(t("fleet.car"))}>{car.id}</th>
      <td {...cell(t("fleet.model"))}>{car.model}</td>
      <td {...cell(t("fleet.rate"))}>{money(t, locale, car.ratePerHour)}</td>
      <td {...cell()}>
        <RowAction view={view} action={retirePath(car.id)} label={t("cars.retire")} confirm={t("cars.retireConfirm", { id: car.id })} danger />
      </td>
    </tr>
  );
}

/** The fleet with "Retire" per car, and the form that adds one ("Car id", "Model", "Rate per hour (won)"). */
export function FleetAdmin({ view, cars }: { view: View; cars: Car[] }) {
  const { t } = view;
  return (
    <>
      <CardTable columns={[t("fleet.car"), t("fleet.model"), t("fleet.rate"), t("pending.action")]} bodyId="fleet-rows">
        {cars.map((car) => <CarRow view={view} car={car} />)}
      </CardTable>
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
