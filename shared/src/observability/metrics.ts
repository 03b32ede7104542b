import client from "prom-client";
import type { Hono, MiddlewareHandler } from "hono";

/** Seconds: from a fast local request to a payment call that times out. */
const BUCKETS = [0.002, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5];

/**
 * Prometheus metrics of one process (prom-client), served at GET /metrics.
 * Names follow Prometheus conventions; every series carries `service`.
 */
export class Metrics {
  readonly registry = new client.Registry();
  readonly httpDuration: client.Histogram<"method" | "route" | "status">;
  readonly eventsHandled: client.Counter<"group" | "type" | "outcome">;
  readonly outboxPublished: client.Counter;

  constructor(service: string) {
    this.registry.setDefaultLabels({ service });
    client.collectDefaultMetrics({ register: this.registry });
    this.httpDuration = new client.Histogram({
      name: "http_request_duration_seconds",
      help: "HTTP requests by route and status",
      labelNames: ["method", "route", "status"],
      buckets: BUCKETS,
      registers: [this.registry],
    });
    this.eventsHandled = new client.Counter({
      name: "events_handled_total",
      help: "Stream entries settled by this process's consumer: ok, skipped (a type it does not take, acked untouched), failed (left pending) or dead (dead-lettered)",
      labelNames: ["group", "type", "outcome"],
      registers: [this.registry],
    });
    this.outboxPublished = new client.Counter({
      name: "outbox_published_total",
      help: "Outbox rows published to the stream",
      registers: [this.registry],
    });
  }

  /** A gauge read at scrape time (a backlog, a queue depth, a circuit state). */
  gauge<L extends string>(name: string, help: string, collect: (set: (value: number, labels?: Partial<Record<L, string>>) => void) => Promise<void> | void, labelNames: L[] = []) {
    new client.Gauge<L>({
      name,
      help,
      labelNames,
      registers: [this.registry],
      async collect() {
        await collect((value, labels) => (labels ? this.set(labels as never, value) : this.set(value)));
      },
    });
  }

  /** A counter whose total is kept elsewhere and read at scrape time (seconds spent degraded). */
  counter<L extends string>(name: string, help: string, read: (set: (value: number, labels?: Partial<Record<L, string>>) => void) => void, labelNames: L[] = []) {
    new client.Counter<L>({
      name,
      help,
      labelNames,
      registers: [this.registry],
      collect() {
        this.reset();
        read((value, labels) => (labels ? this.inc(labels as never, value) : this.inc(value)));
      },
    });
  }

  /** A latency histogram with the process's usual buckets. */
  histogram<L extends string>(name: string, help: string, labelNames: L[]) {
    return new client.Histogram<L>({ name, help, labelNames, buckets: BUCKETS, registers: [this.registry] });
  }

  /** Times every request by its route pattern (not its path, which would explode the series). */
  middleware(): MiddlewareHandler {
    const histogram = this.httpDuration;
    return async function measure(c, next) {
      const end = histogram.startTimer();
      await next();
      end({ method: c.req.method, route: c.req.routePath || "unmatched", status: String(c.res.status) });
    };
  }

  routes(app: Hono<any>) {
    app.get("/metrics", async (c) => c.body(await this.registry.metrics(), 200, { "content-type": this.registry.contentType }));
  }
}
