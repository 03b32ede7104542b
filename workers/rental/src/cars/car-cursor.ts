import { z } from "zod";

/** Cars page in the order of their ids; a cursor is the last id seen, base64url-encoded. */
export const encodeCarCursor = (lastId: string) => Buffer.from(`car:${lastId}`).toString("base64url");

export const CarCursor = z.string().transform((raw, ctx) => {
  const match = /^car:([A-Za-z0-9._-]{1,64})$/.exec(Buffer.from(raw, "base64url").toString());
  if (!match) {
    ctx.addIssue({ code: "custom", message: "is not a cursor this API issued" });
    return z.NEVER;
  }
  return match[1]!;
});
