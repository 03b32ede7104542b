import type { RentalRow } from "./saga-rows.ts";

/** What a client was told, from the chaos load generator. */
export interface ClientRecord {
  key: string;
  status: 201 | 402 | 503;
  rentalId: number;
  /** The client cancelled it afterwards and was told 204. */
  cancelled: boolean;
}

/**
 * Every answer a client got matches what exists (a 201 is live unless cancelled with a
 * 204, a 402 or 503 is cancelled for that reason), one key never answered two rentals, and
 * no rental made under a key is unknown to every client.
 */
export function checkClients(clients: ClientRecord[], rentals: RentalRow[], v: string[]): void {
  const byId = new Map(rentals.map((r) => [r.id, r]));
  const keys = new Map<string, number>();
  for (const c of clients) {
    const seen = keys.get(c.key);
    if (seen !== undefined && seen !== c.rentalId) v.push(`key ${c.key} answered with two rentals (${seen}, ${c.rentalId})`);
    keys.set(c.key, c.rentalId);
    const r = byId.get(c.rentalId);
    if (!r) {
      v.push(`client was told ${c.status} for rental ${c.rentalId}, which does not exist`);
      continue;
    }
    const expected =
      c.status === 201 ? (c.cancelled ? "Cancelled/customer" : "live")
      : c.status === 402 ? "Cancelled/payment-declined"
      : "Cancelled/payment-unavailable";
    const actual = r.status === "Reserved" || r.status === "Confirmed" ? "live" : `${r.status}/${r.reason}`;
    if (actual !== expected) v.push(`client was told ${c.status}${c.cancelled ? "+204" : ""} for rental ${r.id}, which is ${actual}`);
  }
  for (const r of rentals) {
    if (r.key !== null && !keys.has(r.key)) v.push(`rental ${r.id} (key ${r.key}) exists but no client was told about it`);
  }
}
