import type { StreamName } from "./topology.ts";

/**
 * The Redis keys built from the topology's names, every one under STREAM_PREFIX so that two
 * systems (or two test runs) can share one Redis. These are live data: changing a pattern
 * strands what Redis already holds.
 */

/** A stream of events: `<prefix>:events:<stream>`. */
export const streamKey = (prefix: string, stream: StreamName) => `${prefix}:events:${stream}`;

/** A consumer group's dead letters: `<prefix>:dead:<group>`. */
export const deadLetterKey = (prefix: string, group: string) => `${prefix}:dead:${group}`;

/**
 * A consumer group's attempts hash, `<prefix>:attempts:<group>`: per pending entry, the
 * processes that died holding it and its handler's own failures (shared/src/bus/consumer/attempts.ts).
 */
export const attemptsKey = (prefix: string, group: string) => `${prefix}:attempts:${group}`;

/** The prefix BullMQ puts before every key of the queues (`<prefix>:bull:<queue>:…`). */
export const queuePrefix = (prefix: string) => `${prefix}:bull`;

/**
 * Where a stream's trimmer records, per Redis process (its run id), the id below which it
 * trimmed `<prefix>:events:<stream>` (written with the XTRIM, atomically): after a restart the
 * outbox relay tells an entry trimmed because every group acked it from one Redis lost.
 */
export const trimmedToKey = (prefix: string, stream: StreamName) => `${prefix}:trimmed:${stream}`;

/** The gateway's per-client request counters (rate-limiter-flexible adds `:<client>`). */
export const rateLimitPrefix = (prefix: string) => `${prefix}:ratelimit`;

/**
 * The pub/sub channel on which mypage replicas tell each other which rows a fold changed,
 * `<prefix>:mypage:changed` (a message is the rental ids, comma-separated), so a reader
 * parked on another replica wakes at once.
 */
export const mypageChangesChannel = (prefix: string) => `${prefix}:mypage:changed`;

/**
 * A signed-in person's web session at the gateway, `<prefix>:web:session:<id>` (JSON), kept
 * until its access token expires; `<id>` is the random value of the session cookie.
 */
export const webSessionKey = (prefix: string, id: string) => `${prefix}:web:session:${id}`;

/**
 * A web sign-in under way, `<prefix>:web:sign-in:<state>`: its PKCE verifier, nonce and return
 * path, from the redirect to identity until the callback takes it (once), for minutes at most.
 */
export const pendingSignInKey = (prefix: string, state: string) => `${prefix}:web:sign-in:${state}`;
