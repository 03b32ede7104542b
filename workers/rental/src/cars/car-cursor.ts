import { z } from "zod";
import type { CursorPosition, Order } from "@rentalnang/shared/http/pagination";

/**
 * Cars page in the order of their ids; a cursor is the order it was issued in and the last id
 * seen, base64url-encoded. `car:<id>`, the form issued before the list had an order, reads as ascending.
 */
export const encodeCarCursor = (lastId: string, order: Order = "asc") => Buffer.from(`car:${order}:${lastId}`).toString("base64url");

export const CarCursor = z.string().transform((raw, ctx): CursorPosition<string> => {
  const match = /^car:(?:(asc|desc):)?([A-Za-z0-9._-]{1,64})$/.exec(Buffer.from(raw, "base64url").toString());
  if (!match) {
    ctx.addIssue({ code: "custom", message: "is not a cursor this API issued" });
    return z.NEVER;
  }
  return { order: match[1] === "desc" ? "desc" : "asc", last: match[2]! };
});

/** The fleet lists by id ascending unless asked otherwise: a catalogue, not a history. */
export const CARS_ORDER: Order = "asc";
