/**
 * One stream per producing service; consumers read the streams they care about and
 * ack what they do not handle. Every key sits under STREAM_PREFIX.
 */
export const sources = ["rental", "payment", "delivery"] as const;
export type Source = (typeof sources)[number];

export const streamKey = (prefix: string, source: Source) => `${prefix}:events:${source}`;
export const deadLetterKey = (prefix: string, group: string) => `${prefix}:dead:${group}`;
