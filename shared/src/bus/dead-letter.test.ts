import { describe, expect, test } from "bun:test";
import { streamKey } from "../topology/redis-keys.ts";
import { decodeDeadLetter, encodeDeadLetter, type DeadLetterRecord } from "./dead-letter.ts";
import { fromFlatReply } from "./flat-reply.ts";

const record: DeadLetterRecord = {
  stream: streamKey("p", "rental"),
  entryId: "1700000000000-0",
  group: "payment",
  reason: "TypeError: boom",
  deliveries: 3,
  fields: { event: '{"id":"e1"}' },
  failedAt: "2026-01-02T03:04:05.678Z",
};

describe("dead-letter record", () => {
  test("what the consumer writes, the CLI reads back as it was", () => {
    expect(decodeDeadLetter(encodeDeadLetter(record))).toEqual(record);
  });

  test("encoding refuses a record that does not fit the schema", () => {
    expect(() => encodeDeadLetter({ ...record, failedAt: "yesterday" })).toThrow();
    expect(() => encodeDeadLetter({ ...record, deliveries: -1 })).toThrow();
  });

  test("a letter written by hand or by an older version still reads, with blanks", () => {
    expect(decodeDeadLetter(["reason", "manual", "fields", "{not json", "deliveries", "x"])).toEqual({
      stream: "", entryId: "", group: "", reason: "manual", deliveries: 0, fields: {}, failedAt: "",
    });
  });
});

describe("flat replies", () => {
  test("[k1, v1, k2, v2] becomes { k1: v1, k2: v2 }; a trailing key without value is dropped", () => {
    expect(fromFlatReply(["a", 1, "b", 2, "c"])).toEqual({ a: 1, b: 2 });
    expect(fromFlatReply([])).toEqual({});
  });
});
