import pino from "pino";
import { currentLogContext } from "./context.ts";

export type Logger = pino.Logger;

/**
 * JSON lines on stdout, each carrying the request or event it belongs to (log/context.ts),
 * written synchronously: pino's worker transports do not run on Bun,
 * so pretty printing happens outside the process (the launcher, or `| pino-pretty`).
 */
export function createLogger(name: string, level = "info", destination?: pino.DestinationStream): Logger {
  return pino({
    name,
    level,
    base: { service: name },
    timestamp: pino.stdTimeFunctions.isoTime,
    formatters: { level: (label) => ({ level: label }) },
    // The request id / correlation id of whatever this line was written for.
    mixin: () => ({ ...currentLogContext() }),
  }, destination ?? pino.destination({ sync: true }));
}
