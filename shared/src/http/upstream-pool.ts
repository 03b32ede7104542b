/**
 * The replicas of one upstream, each asked in turn (round robin). In a cluster one URL names
 * a Service that balances by itself and the pool holds that one URL; on one machine, where
 * nothing balances, the variable lists every replica (`http://a:8081,http://b:8081`).
 *
 * A refused connection is retried once on the next replica: nothing was sent, so the retry
 * cannot do anything twice, and a replica that is down or restarting costs the caller
 * nothing while another one is up. Any other failure is the caller's to report, since the
 * replica may have received the request.
 */
export class UpstreamPool {
  readonly urls: readonly string[];
  private turn = 0;

  constructor(urls: string | readonly string[]) {
    this.urls = typeof urls === "string" ? [urls] : [...urls];
    if (this.urls.length === 0) throw new Error("an upstream needs at least one URL");
  }

  /** The replica whose turn it is. */
  next(): string {
    const url = this.urls[this.turn]!;
    this.turn = (this.turn + 1) % this.urls.length;
    return url;
  }

  /** Runs `call` with the next replica's base URL; on a refused connection, once more with the one after. */
  async attempt<T>(call: (baseUrl: string) => Promise<T>): Promise<T> {
    try {
      return await call(this.next());
    } catch (error) {
      if (this.urls.length < 2 || !refused(error)) throw error;
      return call(this.next());
    }
  }
}

/** Bun's fetch says ECONNREFUSED (older versions ConnectionRefused) when nothing listens. */
function refused(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return code === "ECONNREFUSED" || code === "ConnectionRefused";
}
