/**
 * Redis answers many commands (XINFO, XRANGE's fields, HGETALL in RESP2) with a flat list
 * [name1, value1, name2, value2, …]. This turns one into an object; a trailing odd element is
 * ignored.
 */
export function fromFlatReply<V>(list: readonly V[]): Record<string, V> {
  const out: Record<string, V> = {};
  for (let i = 0; i + 1 < list.length; i += 2) out[String(list[i])] = list[i + 1]!;
  return out;
}
