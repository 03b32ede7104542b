import type { Logger } from "../log/logger.ts";
import { EXIT_CONFIG } from "../lifecycle/exit-codes.ts";

/** How long in-flight requests get to finish once draining starts. */
const DEFAULT_DRAIN_MS = 10_000;

/**
 * Serves a fetch handler with Bun and logs the bound port: with PORT=0 that line is how
 * the launcher and the end-to-end tests learn where the process listens.
 */
export function serve(
  fetch: (req: Request) => Response | Promise<Response>,
  port: number,
  logger: Logger,
) {
  let server: ReturnType<typeof Bun.serve>;
  try {
    server = Bun.serve({ port, fetch, idleTimeout: 30 });
  } catch (error) {
    if ((error as { code?: string }).code === "EADDRINUSE") {
      // One line, and the exit status that tells a supervisor not to retry in a loop.
      logger.fatal(`port ${port} is in use (another process or a stack already running?); set PORT to another one`);
      process.exit(EXIT_CONFIG);
    }
    throw error;
  }
  // Always said (unless silent), whatever LOG_LEVEL: it is how a supervisor learns the port.
  const lifecycle = logger.level === "silent" ? logger : logger.child({}, { level: "info" });
  lifecycle.info({ port: server.port, url: `http://127.0.0.1:${server.port}` }, "listening");
  return {
    server,
    /** Stops accepting, lets in-flight requests finish, and force-closes what is left after `ms`. */
    async drain(ms = DEFAULT_DRAIN_MS) {
      const graceful = server.stop(false);
      const late = Bun.sleep(ms).then(() => "late" as const);
      if ((await Promise.race([graceful, late])) === "late") await server.stop(true);
    },
  };
}
