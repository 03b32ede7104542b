import { AsyncLocalStorage } from "node:async_hooks";

/** What every log line of one request, event or job carries (docs/architecture.md, 'Logging'). */
export interface LogContext {
  requestId?: string;
  correlationId?: string;
  eventId?: string;
  eventType?: string;
  jobId?: string;
}

const storage = new AsyncLocalStorage<LogContext>();

/** Runs `fn` with `context` added to every log line written inside it, however deep. */
export function withLogContext<T>(context: LogContext, fn: () => T): T {
  return storage.run({ ...storage.getStore(), ...context }, fn);
}

export function currentLogContext(): LogContext {
  return storage.getStore() ?? {};
}
