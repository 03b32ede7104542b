/**
 * Who may do what, written out from the external contract's access table ("Identity and
 * access"), not taken from the code: each row is a request and the status each kind of caller
 * must get. Paths name fixtures in braces, filled in by the test:
 *
 *   {own}        a rental (and its mypage row) of c-1, the customer the test signs in as
 *   {other}      a rental of c-2, another customer
 *   {ownPayment} / {otherPayment}  their payments
 *   {delivery}   the manager's confirmation request for {own}
 *   {fresh}      a new reservation of c-1, made just before the request (for cancels)
 *   {freshOther} the same for c-2
 *   {newRental}  a rental id nobody charged yet (for the service's charge)
 *   {newCar}     a car id nobody added yet; {car} a car of the fleet; {spareCar} one added for retiring
 */

/** The callers: a customer (c-1), a manager (m-1), an operator (o-1), rental's own client identity, and nobody. */
export type Caller = "customer" | "manager" | "operator" | "client" | "none";

export type Owner = "rental" | "payment" | "delivery" | "mypage";

export interface AccessRow {
  method: "GET" | "POST" | "DELETE";
  path: string;
  /** The worker that owns the route (asked directly in the second run). */
  owner: Owner;
  body?: Record<string, unknown>;
  /** Only service to service: the gateway does not offer it. */
  directOnly?: boolean;
  expect: Partial<Record<Caller, number>>;
}

const reserve = { carId: "acc", rentHour: 1 };
const anyRole = { customer: 200, manager: 200, operator: 200, client: 403, none: 401 };
const managerOnly = { customer: 403, manager: 200, operator: 403, client: 403, none: 401 };

export const ACCESS_TABLE: AccessRow[] = [
  // POST /rentals: customers only; customerId = the token's subject, another one is 403.
  { method: "POST", path: "/rentals", owner: "rental", body: reserve, expect: { customer: 201, manager: 403, operator: 403, client: 403, none: 401 } },
  { method: "POST", path: "/rentals", owner: "rental", body: { ...reserve, customerId: "c-1" }, expect: { customer: 201 } },
  { method: "POST", path: "/rentals", owner: "rental", body: { ...reserve, customerId: "c-2" }, expect: { customer: 403 } },
  // One rental, mypage row or payment: own, or a manager or an operator; another customer's is 404.
  { method: "GET", path: "/rentals/{own}", owner: "rental", expect: anyRole },
  { method: "GET", path: "/rentals/{other}", owner: "rental", expect: { customer: 404, manager: 200, operator: 200 } },
  { method: "GET", path: "/mypages/{own}", owner: "mypage", expect: anyRole },
  { method: "GET", path: "/mypages/{other}", owner: "mypage", expect: { customer: 404, manager: 200, operator: 200 } },
  { method: "GET", path: "/payments/{ownPayment}", owner: "payment", expect: anyRole },
  { method: "GET", path: "/payments/{otherPayment}", owner: "payment", expect: { customer: 404, manager: 200, operator: 200 } },
  // Lists: everyone with a role (a customer's are filtered to their own rows: checked apart).
  { method: "GET", path: "/rentals", owner: "rental", expect: anyRole },
  { method: "GET", path: "/mypages", owner: "mypage", expect: anyRole },
  { method: "GET", path: "/payments", owner: "payment", expect: anyRole },
  // Cancel: own, or a manager; not an operator.
  { method: "DELETE", path: "/rentals/{fresh}", owner: "rental", expect: { customer: 204, manager: 204, operator: 403, client: 403, none: 401 } },
  { method: "DELETE", path: "/rentals/{freshOther}", owner: "rental", expect: { customer: 404, manager: 204 } },
  // The manager's confirmations.
  { method: "GET", path: "/deliveries", owner: "delivery", expect: managerOnly },
  { method: "GET", path: "/deliveries/{delivery}", owner: "delivery", expect: managerOnly },
  { method: "POST", path: "/deliveries/{delivery}/confirm", owner: "delivery", expect: managerOnly },
  // The fleet: everyone reads it, managers add and retire cars.
  { method: "GET", path: "/cars", owner: "rental", expect: anyRole },
  { method: "GET", path: "/cars/{car}", owner: "rental", expect: anyRole },
  { method: "POST", path: "/cars", owner: "rental", body: { id: "{newCar}", model: "Avante", ratePerHour: 1000 }, expect: { customer: 403, manager: 201, operator: 403, client: 403, none: 401 } },
  { method: "DELETE", path: "/cars/{spareCar}", owner: "rental", expect: { customer: 403, manager: 204, operator: 403, client: 403, none: 401 } },
  // The queue board: operators.
  { method: "GET", path: "/admin/queues/api/queues", owner: "delivery", expect: { customer: 403, manager: 403, operator: 200, client: 403, none: 401 } },
  // The charge: only the rental service's own client identity.
  {
    method: "POST", path: "/payments", owner: "payment", directOnly: true,
    body: { rentalId: "{newRental}", rentHour: 1, amount: 1000, startAt: "2026-12-01T09:00:00Z", endAt: "2026-12-01T10:00:00Z" },
    expect: { customer: 403, manager: 403, operator: 403, client: 201, none: 401 },
  },
  // With a token the charge names its amount and window (v1's bare charge is the lab mode's only).
  { method: "POST", path: "/payments", owner: "payment", directOnly: true, body: { rentalId: "{newRental}", rentHour: 1 }, expect: { client: 400 } },
];
