import diagnostics from "node:diagnostics_channel";

const TRACE_EVENTS = ["start", "end", "asyncStart", "asyncEnd", "error"] as const;

/**
 * Bun's `TracingChannel` lacks the `hasSubscribers` getter Node has had since 20.13 (reported
 * to Bun as "tracingChannel().hasSubscribers is undefined"). ioredis asks it before every
 * command and reads `undefined` as "someone may listen", so on Bun it traces every command
 * for no one: it copies and redacts the arguments and wraps each reply in extra promises.
 * This adds Node's getter where it is missing (true once any of the five trace channels has
 * a subscriber), so ioredis skips that work and a real subscriber (an APM agent) still gets
 * its events. Idempotent; a no-op on a runtime that has the getter.
 */
export function fillTracingChannelGap(): void {
  const prototype = Object.getPrototypeOf(diagnostics.tracingChannel("rentalnang:probe")) as object;
  if ("hasSubscribers" in prototype) return;
  Object.defineProperty(prototype, "hasSubscribers", {
    configurable: true,
    get(this: Record<(typeof TRACE_EVENTS)[number], { hasSubscribers?: boolean } | undefined>) {
      return TRACE_EVENTS.some((event) => this[event]?.hasSubscribers === true);
    },
  });
}
