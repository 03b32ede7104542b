import type { Logger } from "../log/logger.ts";

/**
 * A worker service that runs `round` every `everyMs` (and once at start), one round at a
 * time: a round still running when the next is due makes that one skip. A failed round is
 * logged and the next one tries again. `stop` waits for the round in hand.
 */
export function periodic<T>(name: string, everyMs: number, round: () => Promise<T>, logger: Logger) {
  let timer: ReturnType<typeof setInterval> | undefined;
  let running: Promise<unknown> | undefined;
  const tick = () => {
    running ??= round()
      .catch((error) => logger.warn({ err: error, service: name }, `${name} round failed`))
      .finally(() => (running = undefined));
  };
  return {
    name,
    start() {
      tick();
      timer = setInterval(tick, everyMs);
    },
    async stop() {
      clearInterval(timer);
      await running;
    },
  };
}
