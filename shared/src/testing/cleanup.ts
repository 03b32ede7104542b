import { afterAll, afterEach } from "bun:test";

/**
 * What a test (or a file's tests) must undo, registered where the thing is made rather than in
 * a list kept by hand: `cleanup.defer(() => redis.disconnect())`, `cleanup.use(tempDir(...))`.
 * `run()` undoes everything, the last registered first (a consumer stops before the
 * connection it reads from closes), goes on past a failing step and throws all failures at
 * the end. It is reusable: after `run()` it starts empty.
 */
export class Cleanup {
  #stack = new AsyncDisposableStack();

  /** Registers `step`; the returned function drops it (for a thing the test abandons on purpose). */
  defer(step: () => unknown): () => void {
    let wanted = true;
    this.#stack.defer(async () => {
      if (wanted) await step();
    });
    return () => {
      wanted = false;
    };
  }

  /** Registers the disposal of `resource` and returns it. */
  use<T extends AsyncDisposable | Disposable>(resource: T): T {
    return this.#stack.use(resource);
  }

  readonly run = async (): Promise<void> => {
    const stack = this.#stack;
    this.#stack = new AsyncDisposableStack();
    await stack.disposeAsync();
  };
}

/** A Cleanup run after each test of the file (or describe block) that calls it. */
export const cleanupEach = (): Cleanup => runAfter(afterEach);

/** A Cleanup run once, after all the tests of the file (or describe block) that calls it. */
export const cleanupAll = (): Cleanup => runAfter(afterAll);

function runAfter(hook: (run: () => Promise<void>) => void): Cleanup {
  const cleanup = new Cleanup();
  hook(cleanup.run);
  return cleanup;
}
