import type { Slot } from "./saga-load.ts";

/**
 * One saga at a time on an otherwise idle stack: POST /rentals through the gateway, then the
 * rental followed on mypage with `Prefer: wait` (mypage parks the read until the row exists,
 * and with If-None-Match until it changes, woken by its own fold's commit), until it shows
 * AwaitingConfirmation. The milliseconds from sending the POST to that answer, per sample.
 * mypage is asked on its own port: the gateway's hop would only add its own time to the wake.
 * The sagas take turns over the customers' tokens: one customer reserving back to back on a
 * quiet machine would go over the gateway's rate limit per client.
 */
export async function unloadedLatency(o: {
  gateway: string;
  mypage: string;
  tokens: readonly string[];
  samples: number;
  slot: (i: number) => Slot;
  /** Called after each sample, outside its timing (for progress). */
  tick?: () => void;
}): Promise<{ ms: number[]; lastId: number }> {
  const ms: number[] = [];
  let lastId = 0;
  for (let i = 0; i < o.samples; i++) {
    const auth = { authorization: `Bearer ${o.tokens[i % o.tokens.length]}` };
    const t0 = performance.now();
    const res = await fetch(`${o.gateway}/rentals`, {
      method: "POST",
      headers: { "content-type": "application/json", "idempotency-key": crypto.randomUUID(), ...auth },
      body: JSON.stringify(o.slot(i)),
    });
    const body = (await res.json()) as { id?: number };
    if (res.status !== 201) throw new Error(`unloaded reservation ${i}: ${res.status} ${JSON.stringify(body)}`);
    await awaitingConfirmation(o.mypage, body.id!, auth);
    ms.push(performance.now() - t0);
    lastId = Math.max(lastId, body.id!);
    o.tick?.();
  }
  return { ms, lastId };
}

const GIVE_UP_MS = 30_000;

/** Follows mypage's row with long polls until it says AwaitingConfirmation. */
export async function awaitingConfirmation(mypage: string, id: number, auth: Record<string, string>): Promise<void> {
  const deadline = performance.now() + GIVE_UP_MS;
  let etag: string | undefined;
  while (performance.now() < deadline) {
    const res = await fetch(`${mypage}/mypages/${id}`, { headers: { ...auth, prefer: "wait=5", ...(etag ? { "if-none-match": etag } : {}) } });
    if (res.status === 200) {
      const view = (await res.json()) as { status?: string };
      if (view.status === "AwaitingConfirmation") return;
      etag = res.headers.get("etag") ?? undefined;
    } else {
      await res.arrayBuffer();
      if (res.status !== 304 && res.status !== 404) throw new Error(`GET /mypages/${id}: ${res.status}`);
    }
  }
  throw new Error(`rental ${id} did not reach AwaitingConfirmation within ${GIVE_UP_MS / 1000} s`);
}
