import { afterAll, setDefaultTimeout } from "bun:test";
import { stopTestRedis } from "@rentalnang/shared/testing/harness";

/**
 * Preloaded by bunfig.toml for every `bun test` run. Tests that need Redis share one private
 * redis-server per run (testRedis()), each under its own STREAM_PREFIX (testPrefix()).
 * Integration tests on a shared 2-core machine get a generous default timeout: here for the
 * first file of a run (setDefaultTimeout is per file), and through `npm test`'s --timeout for
 * every file.
 */
setDefaultTimeout(30_000);

afterAll(stopTestRedis);
