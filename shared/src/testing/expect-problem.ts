import { expect } from "bun:test";
import type { Reply } from "./http-client.ts";

/**
 * The checks every error answer must pass: the status, an RFC 9457 problem+json body that
 * repeats it, and the X-Request-Id that ties it to the logs.
 */
export function expectProblem(reply: Reply, status: number): void {
  expect(reply.status).toBe(status);
  expect(reply.headers.get("content-type")).toStartWith("application/problem+json");
  expect(reply.headers.get("x-request-id")).toBeTruthy();
  expect(reply.body).toMatchObject({ status, title: expect.any(String), type: expect.any(String) });
}
