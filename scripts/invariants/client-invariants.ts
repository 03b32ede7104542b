import type { RentalFact } from "../../workers/rental/src/rentals/rental-facts.ts";

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
 * no rental made under a key is unknown to every client. The rentals come a stretch at a
 * time (`stretch`); `finish` names the answers about rentals no stretch held.
 */
export function checkClients(clients: ClientRecord[], v: string[]) {
  const keys = new Map<string, number>();
  const told = new Map<number, ClientRecord[]>();
  for (const c of clients) {
    const seen = keys.get(c.key);
    if (seen !== undefined && seen !== c.rentalId) v.push(`key ${c.key} answered with two rentals (${seen}, ${c.rentalId})`);
    keys.set(c.key, c.rentalId);
    told.set(c.rentalId, [...(told.get(c.rentalId) ?? []), c]);
  }
  return {
    stretch(rentals: RentalFact[]) {
      for (const r of rentals) {
        for (const c of told.get(r.rentalId) ?? []) checkAnswer(c, r, v);
        told.delete(r.rentalId);
        if (r.key !== null && !keys.has(r.key)) v.push(`rental ${r.rentalId} (key ${r.key}) exists but no client was told about it`);
      }
    },
    finish() {
      for (const c of [...told.values()].flat()) v.push(`client was told ${c.status} for rental ${c.rentalId}, which does not exist`);
    },
  };
}

function checkAnswer(c: ClientRecord, r: RentalFact, v: string[]) {
  const expected =
    c.status === 201 ? (c.cancelled ? "Cancelled/customer" : "live")
    : c.status === 402 ? "Cancelled/payment-declined"
    : "Cancelled/payment-unavailable";
  const actual = r.status === "Reserved" || r.status === "Confirmed" ? "live" : `${r.status}/${r.reason}`;
  if (actual !== expected) v.push(`client was told ${c.status}${c.cancelled ? "+204" : ""} for rental ${r.rentalId}, which is ${actual}`);
}
