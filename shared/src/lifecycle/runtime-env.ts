/**
 * Bun's settings every process runs with: `npm start` (scripts/start.ts), the tests' and the
 * bench's stack (shared/src/testing/processes.ts), and the image (the Dockerfile sets the same).
 * A setting in the process's own environment wins.
 *
 * BUN_GC_TIMER_INTERVAL: Bun's own timer asks for a collection every second while the heap
 * grows (beside JavaScriptCore's, paced by allocation), so every busy process paused for a
 * collection once a second, a few milliseconds each, whatever it was doing; with six of them a
 * saga met one in about one case in ten (one in twenty without that timer). Every 10 s
 * instead: JavaScriptCore still collects as the allocations ask, and an idle process still
 * gives its memory back (docs/performance.md).
 *
 * BUN_JSC_useFTLJIT=0: JavaScriptCore's last JIT tier off. Its compilations cost memory (a few
 * MB of resident memory per process under load) and, in these processes, saved no CPU: the
 * tiers below it run the sagas in as little (docs/performance.md, "Memory").
 */
export const RUNTIME_ENV: Readonly<Record<string, string>> = {
  BUN_GC_TIMER_INTERVAL: "10000",
  BUN_JSC_useFTLJIT: "0",
};
