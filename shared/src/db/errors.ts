/**
 * Whether a libSQL error means the database is away or busy — locked by another writer, out
 * of disk, unreachable over the network, a server error — rather than that the statement or
 * its data is wrong. A consumer only retries an entry later on such an error; an error of the
 * entry's own counts towards dead-lettering it.
 *
 * Codes: the embedded driver's `SQLITE_*` result codes, the remote client's `HRANA_*` protocol
 * errors and `SERVER_ERROR`; over HTTP a refused or cut connection surfaces as a failed fetch.
 */
export function isDatabaseUnavailable(error: unknown): boolean {
  if (!(error instanceof Error)) return false;
  const code = String((error as { code?: unknown }).code ?? "");
  if (/^(SQLITE_(BUSY|LOCKED|IOERR|FULL|CANTOPEN|PROTOCOL)|HRANA_\w*|SERVER_ERROR)/.test(code)) return true;
  return /database is locked|fetch failed|Unable to connect/i.test(`${error.name}: ${error.message}`);
}
