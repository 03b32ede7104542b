import type { ClientMetadata } from "oidc-provider";

/**
 * The provider's clients, all first-party and declared here (no dynamic registration):
 * `rental` takes its own token (client credentials) to charge payment; `gateway` signs
 * people in on the web pages (authorization code + PKCE, back to PUBLIC_URL only).
 */
export type ClientId = "rental" | "gateway";

/**
 * Each client's secret outside production, so that `npm install && npm start` works with no
 * setup. They are public (written here and in the README): config refuses them in production.
 */
export const DEV_CLIENT_SECRETS: Record<ClientId, string> = {
  rental: "rental-development-secret",
  gateway: "gateway-development-secret",
};

export interface ClientSettings {
  publicUrl: string;
  secrets: Record<ClientId, string>;
}

/** Where the gateway's web pages take the code back, and where they land after signing out. */
const redirectUris = (publicUrl: string) => ({
  signIn: `${publicUrl}/auth/callback`,
  signedOut: `${publicUrl}/`,
});

export function clientMetadata({ publicUrl, secrets }: ClientSettings): ClientMetadata[] {
  const uris = redirectUris(publicUrl);
  return [
    {
      client_id: "rental",
      client_secret: secrets.rental,
      grant_types: ["client_credentials"],
      response_types: [],
      redirect_uris: [],
    },
    {
      client_id: "gateway",
      client_secret: secrets.gateway,
      grant_types: ["authorization_code", "refresh_token"],
      response_types: ["code"],
      redirect_uris: [uris.signIn],
      post_logout_redirect_uris: [uris.signedOut],
    },
  ];
}
