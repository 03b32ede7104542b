/** @jsxImportSource hono/jsx */
import type { Child } from "hono/jsx";
import { signInHref } from "../../layout/layout.tsx";
import type { View } from "../../layout/view.ts";
import type { Car, Reservation } from "./customer-resources.ts";
import { Fleet, ReserveForm, type Choice } from "./reserve-form.tsx";
import { Reservations } from "./reservations.tsx";

/** Signed out: what this is, and "Sign in" (which comes back here). */
export function Welcome({ view }: { view: View }) {
  const { t } = view;
  return (
    <>
      <p>{t("welcome.text")}</p>
      <p><a href={signInHref("/")}>{t("welcome.signIn")}</a></p>
    </>
  );
}

export interface HomeData {
  cars: Car[];
  free: Set<string>;
  rows: Reservation[];
  choice: Choice;
  /** A problem to show above the form (a plain form's failed reservation). */
  message?: Child;
}

/** The customer's page: the reserve form, the fleet for the chosen window, and "My reservations". */
export function CustomerHome({ view, data }: { view: View; data: HomeData }) {
  const { t } = view;
  return (
    <>
      {data.message ? <div class="message" role="alert">{data.message}</div> : null}
      <section aria-labelledby="reserve-heading">
        <h2 id="reserve-heading">{t("reserve.heading")}</h2>
        <ReserveForm view={view} cars={data.cars} choice={data.choice} />
      </section>
      <section aria-labelledby="fleet-heading">
        <h2 id="fleet-heading">{t("fleet.title")}</h2>
        <Fleet view={view} cars={data.cars} free={data.free} />
      </section>
      <Reservations view={view} rows={data.rows} />
    </>
  );
}
