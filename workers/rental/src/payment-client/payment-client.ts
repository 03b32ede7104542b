import {
  BrokenCircuitError,
  BulkheadRejectedError,
  bulkhead,
  CircuitState,
  circuitBreaker,
  ConsecutiveBreaker,
  handleWhen,
  TaskCancelledError,
  timeout,
  TimeoutStrategy,
  wrap,
} from "cockatiel";
import { z } from "zod";
import { UpstreamPool } from "@rentalnang/shared/http/upstream-pool";
import type { Logger } from "@rentalnang/shared/log/logger";
import type { PaymentOutcome } from "../rentals/rental.ts";

export interface ChargeRequest {
  rentalId: number;
  rentHour: number;
  amount: number;
  carId: string;
  customerId: string | null;
  /** The window the charge pays for (ISO 8601), [startAt, endAt). */
  startAt: string;
  endAt: string;
}

/** What rental needs from payment; tests pass a real server or a function of their own. */
export interface PaymentGateway {
  charge(request: ChargeRequest, requestId: string): Promise<PaymentOutcome>;
  /** Seconds a client should wait before retrying after an "unavailable" outcome. */
  retryAfterSeconds(): number;
  readonly circuit: "closed" | "open" | "half-open" | "isolated";
}

export interface PaymentClientOptions {
  /** payment's URL, or its replicas' URLs (asked in turn; a refused connection tries the next). */
  baseUrl: string | readonly string[];
  timeoutMs: number;
  concurrency: number;
  breakerThreshold: number;
  halfOpenAfterMs: number;
  logger: Logger;
  /** rental's own access token for payment (client credentials); without it calls carry none (lab mode). */
  token?: () => Promise<string>;
  /** Told each call's outcome and duration (for metrics). */
  observe?: (outcome: PaymentOutcome["kind"], seconds: number) => void;
}

const PaymentBody = z.object({ id: z.number().int().positive(), status: z.string() });

/** A 5xx or a transport error: payment is unwell, the breaker counts it. */
class PaymentFailed extends Error {
  override name = "PaymentFailed";
  /** The transport error's code: on ECONNREFUSED the pool tries the next replica. */
  constructor(message: string, readonly code?: unknown) {
    super(message);
  }
}

/**
 * The rental → payment call behind cockatiel (docs/architecture.md, 'The payment call'), one instance per process:
 *
 *   timeout (the whole call, queueing included)
 *     → circuit breaker (opens after `breakerThreshold` consecutive failures)
 *       → bulkhead (at most `concurrency` calls in flight, as many queued)
 *
 * Never throws: a decline is `declined`, and a timeout, an error, an open circuit or a full
 * bulkhead are `unavailable` (the fallback). No retry here: one retry layer per hop, and the
 * client's retry carries an Idempotency-Key.
 */
export function createPaymentClient(o: PaymentClientOptions): PaymentGateway {
  const breaker = circuitBreaker(
    handleWhen((e) => !(e instanceof BulkheadRejectedError)),
    { halfOpenAfter: o.halfOpenAfterMs, breaker: new ConsecutiveBreaker(o.breakerThreshold) },
  );
  breaker.onStateChange((state) => o.logger.warn({ circuit: CircuitState[state] }, "payment circuit changed"));
  const policy = wrap(
    // A call that returned has read its whole answer: nothing is left to abort (an abort
    // makes an AbortError, its stack trace included, for every call).
    timeout(o.timeoutMs, { strategy: TimeoutStrategy.Aggressive, abortOnReturn: false }),
    breaker,
    bulkhead(o.concurrency, o.concurrency),
  );

  const payment = new UpstreamPool(o.baseUrl);

  return {
    async charge(request, requestId) {
      const started = performance.now();
      const outcome = await chargeGuarded(request, requestId);
      o.observe?.(outcome.kind, (performance.now() - started) / 1000);
      return outcome;
    },
    retryAfterSeconds() {
      return breaker.state === CircuitState.Open ? Math.ceil(o.halfOpenAfterMs / 1000) : 1;
    },
    get circuit() {
      const names = { [CircuitState.Closed]: "closed", [CircuitState.Open]: "open", [CircuitState.HalfOpen]: "half-open", [CircuitState.Isolated]: "isolated" } as const;
      return names[breaker.state];
    },
  };

  async function chargeGuarded(request: ChargeRequest, requestId: string): Promise<PaymentOutcome> {
    try {
      return await policy.execute(({ signal }) => payment.attempt((baseUrl) => callPayment({ ...o, baseUrl }, request, requestId, signal)));
    } catch (error) {
      const detail = failureDetail(error, o.timeoutMs);
      o.logger.warn({ rentalId: request.rentalId, detail }, "payment unavailable");
      return { kind: "unavailable", detail };
    }
  }
}

function failureDetail(error: unknown, timeoutMs: number): string {
  if (error instanceof BrokenCircuitError) return "payment circuit is open";
  if (error instanceof TaskCancelledError) return `payment did not answer within ${timeoutMs} ms`;
  if (error instanceof BulkheadRejectedError) return "too many payment calls in flight";
  return (error as Error).message;
}

/** One POST /payments, its answer as an outcome; a 5xx or a transport error throws for the breaker. */
async function callPayment(o: PaymentClientOptions & { baseUrl: string }, request: ChargeRequest, requestId: string, signal: AbortSignal): Promise<PaymentOutcome> {
  let res: Response;
  const headers: Record<string, string> = { "content-type": "application/json", "x-request-id": requestId };
  // An identity that cannot be reached makes payment unreachable too: the breaker counts it.
  if (o.token) headers.authorization = `Bearer ${await o.token()}`;
  try {
    res = await fetch(`${o.baseUrl}/payments`, {
      method: "POST",
      headers,
      body: JSON.stringify(request),
      signal,
    });
  } catch (error) {
    throw new PaymentFailed(`payment unreachable: ${(error as Error).message}`, (error as { code?: unknown }).code);
  }
  if (res.status === 200 || res.status === 201) {
    const body = PaymentBody.parse(await res.json());
    if (body.status === "Approved") return { kind: "approved", paymentId: body.id };
    return { kind: "declined", detail: `payment ${body.id} is ${body.status}` };
  }
  const text = await res.text();
  if (res.status === 402) {
    const problem = parseProblem(text);
    const paymentId = typeof problem.paymentId === "number" ? problem.paymentId : undefined;
    return { kind: "declined", detail: typeof problem.detail === "string" ? problem.detail : "payment declined", paymentId };
  }
  if (res.status >= 500) throw new PaymentFailed(`payment answered ${res.status}`);
  // A 4xx other than 402 means the two services disagree; it will not heal by retrying.
  o.logger.error({ status: res.status, body: text.slice(0, 500), rentalId: request.rentalId }, "payment refused the call");
  return { kind: "unavailable", detail: `payment refused the call (${res.status})` };
}

function parseProblem(text: string): Record<string, unknown> {
  try {
    const body = JSON.parse(text) as unknown;
    return body && typeof body === "object" ? (body as Record<string, unknown>) : {};
  } catch {
    return {};
  }
}
