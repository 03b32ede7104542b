/** Where a sign-in lands when it names no return path, or one that is not ours. */
export const HOME_PATH = "/";

/** Longest return path kept; anything longer is not a page of ours. */
const MAX_RETURN_PATH = 2_048;

/**
 * The page a sign-in returns to: a path on the gateway's own origin (it starts with one "/",
 * not "//" or "/\", which browsers read as another host), else "/". Anything absolute, with a
 * scheme, or with control characters is refused, so a link cannot make the gateway an open
 * redirect after signing in.
 */
export function safeReturnPath(value: string | undefined | null): string {
  if (!value || value.length > MAX_RETURN_PATH) return HOME_PATH;
  if (!value.startsWith("/") || value.startsWith("//") || value.startsWith("/\\")) return HOME_PATH;
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u001f\u007f\\]/.test(value)) return HOME_PATH;
  // Resolved against a placeholder origin, it must stay on it with the same path.
  const resolved = new URL(value, "http://gateway.invalid");
  if (resolved.origin !== "http://gateway.invalid") return HOME_PATH;
  return `${resolved.pathname}${resolved.search}${resolved.hash}`;
}

/** The path and query of a request, as the return path of a sign-in it leads to. */
export function returnPathOf(url: string): string {
  const { pathname, search } = new URL(url);
  return safeReturnPath(`${pathname}${search}`);
}
