import { z } from "zod";

/** How long a request to the identity provider may take before it counts as unreachable. */
export const IDENTITY_TIMEOUT_MS = 5_000;

/** The members of an OpenID Connect discovery document this project reads. */
const DiscoveryDocument = z.object({
  issuer: z.string(),
  jwks_uri: z.url(),
  token_endpoint: z.url().optional(),
});
type DiscoveryDocument = z.infer<typeof DiscoveryDocument>;

/** The identity provider could not be reached or did not answer as one. */
export class IssuerUnreachable extends Error {
  override name = "IssuerUnreachable";
}

/** Where an issuer's discovery document lives (OpenID Connect Discovery, section 4). */
function discoveryUrl(issuer: string): string {
  return `${issuer.replace(/\/+$/, "")}/.well-known/openid-configuration`;
}

/**
 * Reads the issuer's discovery document.
 * @throws IssuerUnreachable when the issuer does not answer, answers an error, or answers
 * something that is not a discovery document.
 */
export async function discover(issuer: string): Promise<DiscoveryDocument> {
  const url = discoveryUrl(issuer);
  let response: Response;
  try {
    response = await fetch(url, { headers: { accept: "application/json" }, signal: AbortSignal.timeout(IDENTITY_TIMEOUT_MS) });
  } catch (cause) {
    throw new IssuerUnreachable(`The identity provider at ${url} could not be reached (${reason(cause)}).`, { cause });
  }
  if (!response.ok) {
    await response.body?.cancel();
    throw new IssuerUnreachable(`The identity provider at ${url} answered ${response.status}.`);
  }
  const parsed = DiscoveryDocument.safeParse(await response.json().catch(() => undefined));
  if (!parsed.success) throw new IssuerUnreachable(`${url} is not an OpenID Connect discovery document.`);
  return parsed.data;
}

/** A network error in a few words (the cause of a failed fetch). */
export function reason(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
