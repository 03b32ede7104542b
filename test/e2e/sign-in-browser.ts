/**
 * A browser reduced to what the sign-in flow needs: a cookie jar, redirects followed by
 * hand (to see where each one goes), and forms posted as a browser posts them.
 */
export function browser() {
  const jar = new Map<string, string>();
  const request = async (url: string, init: RequestInit = {}) => {
    const headers = new Headers(init.headers);
    if (jar.size > 0) headers.set("cookie", [...jar].map(([k, v]) => `${k}=${v}`).join("; "));
    const res = await fetch(url, { ...init, headers, redirect: "manual" });
    for (const cookie of res.headers.getSetCookie()) {
      const [pair] = cookie.split(";");
      const eq = pair!.indexOf("=");
      const name = pair!.slice(0, eq).trim();
      const value = pair!.slice(eq + 1).trim();
      if (value === "" || /expires=Thu, 01 Jan 1970/i.test(cookie)) jar.delete(name);
      else jar.set(name, value);
    }
    return res;
  };
  return {
    request,
    /** The value of a cookie the jar holds. */
    cookie: (name: string) => jar.get(name),
    /** GETs `url` and follows redirects until `stopAt` matches one (returned unfollowed) or a page answers. */
    async follow(url: string, stopAt: (location: string) => boolean = () => false): Promise<{ res: Response; url: string }> {
      let current = url;
      for (let hop = 0; hop < 10; hop++) {
        const res = await request(current);
        const location = res.headers.get("location");
        if (res.status < 300 || res.status >= 400 || !location) return { res, url: current };
        const next = new URL(location, current).href;
        if (stopAt(next)) return { res, url: next };
        current = next;
      }
      throw new Error(`too many redirects from ${url}`);
    },
    submit(action: string, fields: Record<string, string>) {
      return request(action, {
        method: "POST",
        headers: { "content-type": "application/x-www-form-urlencoded" },
        body: new URLSearchParams(fields),
      });
    },
  };
}

/** The action of the page's first form, absolute. */
export function formAction(html: string, pageUrl: string): string {
  const action = /<form[^>]*action="([^"]+)"/.exec(html)?.[1];
  if (!action) throw new Error(`no form on the page:\n${html}`);
  return new URL(action.replace(/&amp;/g, "&"), pageUrl).href;
}

/** A PKCE pair (RFC 7636, S256). */
export async function pkcePair() {
  const verifier = Buffer.from(crypto.getRandomValues(new Uint8Array(32))).toString("base64url");
  const digest = await crypto.subtle.digest("SHA-256", new TextEncoder().encode(verifier));
  return { verifier, challenge: Buffer.from(digest).toString("base64url") };
}
