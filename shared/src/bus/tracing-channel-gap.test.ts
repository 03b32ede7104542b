import { expect, test } from "bun:test";
import diagnostics from "node:diagnostics_channel";
import { fillTracingChannelGap } from "./tracing-channel-gap.ts";

test("a tracing channel says whether anyone listens, as on Node: false, then true once subscribed, false again after", () => {
  fillTracingChannelGap();
  fillTracingChannelGap();
  const channel = diagnostics.tracingChannel("rentalnang:test") as diagnostics.TracingChannel<object, object> & { hasSubscribers: boolean };
  expect(channel.hasSubscribers).toBe(false);
  const seen: string[] = [];
  const subscriber = { start: () => void seen.push("start"), end: () => {}, asyncStart: () => {}, asyncEnd: () => {}, error: () => {} };
  channel.subscribe(subscriber);
  expect(channel.hasSubscribers).toBe(true);
  channel.traceSync(() => 1, {});
  expect(seen).toEqual(["start"]);
  channel.unsubscribe(subscriber);
  expect(channel.hasSubscribers).toBe(false);
});
