import type { Logger } from "../log/logger.ts";

export interface ShutdownStep {
  name: string;
  run: () => Promise<unknown> | unknown;
}

/**
 * Runs on SIGTERM, SIGINT or SIGHUP (docs/architecture.md, 'Shutdown'): each step in order, the whole within
 * `deadlineMs` (below the platform's grace period); past it the process exits 1 anyway.
 * Returns a function that triggers the same sequence, for tests and fatal errors.
 */
export function onShutdown(logger: Logger, deadlineMs: number, steps: ShutdownStep[]) {
  let started: Promise<void> | undefined;
  const shutdown = (reason: string) => {
    started ??= (async () => {
      const began = performance.now();
      logger.info({ reason, deadlineMs }, "shutting down");
      const deadline = setTimeout(() => {
        logger.error({ deadlineMs }, "shutdown deadline passed; exiting now");
        process.exit(1);
      }, deadlineMs);
      for (const step of steps) {
        const t0 = performance.now();
        try {
          await step.run();
          logger.debug({ step: step.name, ms: Math.round(performance.now() - t0) }, "shutdown step done");
        } catch (error) {
          logger.error({ err: error, step: step.name }, "shutdown step failed");
        }
      }
      clearTimeout(deadline);
      logger.info({ ms: Math.round(performance.now() - began) }, "stopped cleanly");
      process.exit(0);
    })();
    return started;
  };
  process.on("SIGTERM", () => void shutdown("SIGTERM"));
  process.on("SIGINT", () => void shutdown("SIGINT"));
  process.on("SIGHUP", () => void shutdown("SIGHUP")); // its terminal closed
  return shutdown;
}
