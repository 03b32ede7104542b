/**
 * Stream entry ids (`<ms>-<seq>`) order by time, then sequence; neither part has a fixed
 * width, so they compare as numbers, here and in SQL.
 */
export function compareStreamIds(a: string, b: string): number {
  const [am = 0n, as = 0n] = a.split("-").map(BigInt);
  const [bm = 0n, bs = 0n] = b.split("-").map(BigInt);
  return am === bm ? Number(as - bs) : am < bm ? -1 : 1;
}

const MS = "CAST(substr(stream_id, 1, instr(stream_id, '-') - 1) AS INTEGER)";
const SEQ = "CAST(substr(stream_id, instr(stream_id, '-') + 1) AS INTEGER)";

/** SQL ordering the `stream_id` column newest first. */
export const NEWEST_STREAM_ID_FIRST = `${MS} DESC, ${SEQ} DESC`;

/** SQL condition "`stream_id` lies after `id`", with the arguments it takes. */
export function streamIdAfter(id: string): { sql: string; args: number[] } {
  const [ms = 0, seq = 0] = id.split("-").map(Number);
  return { sql: `(${MS} > ? OR (${MS} = ? AND ${SEQ} > ?))`, args: [ms, ms, seq] };
}
