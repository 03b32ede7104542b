/** A JSON body as tests read it, field by field. */
export type Json = Record<string, any>;

/** An answer read whole, so a test never leaves a body unread. */
export interface Reply {
  status: number;
  headers: Headers;
  /**
   * The parsed body when it is JSON (problem+json included); null when empty or not JSON
   * (typed as Json all the same: a test that reads a field of it fails plainly).
   */
  body: Json;
  text: string;
}

export interface RequestOptions {
  /** Sent as JSON with its content type. */
  json?: unknown;
  /** Sent as is (a malformed body, another media type): set the content type in `headers`. */
  body?: string;
  headers?: Record<string, string>;
}

export interface HttpClient {
  request(method: string, path: string, options?: RequestOptions): Promise<Reply>;
  get(path: string, headers?: Record<string, string>): Promise<Reply>;
  post(path: string, json?: unknown, headers?: Record<string, string>): Promise<Reply>;
  delete(path: string, headers?: Record<string, string>): Promise<Reply>;
}

export interface HttpClientOptions {
  /** An answer slower than this rejects (a process killed mid-answer must not hang a test). */
  timeoutMs?: number;
  /** The access token every request carries unless it sets Authorization itself. */
  bearer?: string | (() => string | Promise<string>);
}

const DEFAULT_TIMEOUT_MS = 30_000;

/**
 * The e2e tests' and the chaos load's way to speak to the services. `base` is read at each
 * request (a restarted process may move), and may be left out for absolute URLs.
 */
export function httpClient(base: string | (() => string) = "", { timeoutMs = DEFAULT_TIMEOUT_MS, bearer }: HttpClientOptions = {}): HttpClient {
  const baseUrl = typeof base === "function" ? base : () => base;
  const withToken = async (headers: Record<string, string>) => {
    if (bearer === undefined || Object.keys(headers).some((name) => name.toLowerCase() === "authorization")) return headers;
    return { authorization: `Bearer ${typeof bearer === "function" ? await bearer() : bearer}`, ...headers };
  };
  const request = async (method: string, path: string, { json, body, headers: asked = {} }: RequestOptions = {}) => {
    const headers = await withToken(asked);
    const res = await fetch(`${baseUrl()}${path}`, {
      method,
      headers: json === undefined ? headers : { "content-type": "application/json", ...headers },
      body: json === undefined ? body : JSON.stringify(json),
      signal: AbortSignal.timeout(timeoutMs),
    });
    const text = await res.text();
    const isJson = text !== "" && /[/+]json\b/.test(res.headers.get("content-type") ?? "");
    return { status: res.status, headers: res.headers, body: isJson ? (JSON.parse(text) as Json) : (null as unknown as Json), text };
  };
  return {
    request,
    get: (path, headers) => request("GET", path, { headers }),
    post: (path, json, headers) => request("POST", path, { json, headers }),
    delete: (path, headers) => request("DELETE", path, { headers }),
  };
}
