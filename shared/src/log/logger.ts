import pino from "pino";

export type Logger = pino.Logger;

/**
 * JSON lines on stdout, synchronously: pino's worker transports do not run on Bun,
 * so pretty printing happens outside the process (the launcher, or `| pino-pretty`).
 */
export function createLogger(name: string, level = "info"): Logger {
  return pino({
    name,
    level,
    base: { service: name },
    timestamp: pino.stdTimeFunctions.isoTime,
    formatters: { level: (label) => ({ level: label }) },
  });
}
