/**
 * The part of oidc-provider (v9, untyped JavaScript) this worker uses. Its full types live
 * in @types/oidc-provider, which the project does not install for a handful of calls.
 */
declare module "oidc-provider" {
  import type { IncomingMessage, ServerResponse } from "node:http";

  export interface ResourceServerInfo {
    scope: string;
    audience?: string;
    accessTokenTTL?: number;
    accessTokenFormat?: "opaque" | "jwt";
    jwt?: { sign?: { alg: string; kid?: string } };
  }

  export interface Client {
    clientId: string;
  }

  export interface InteractionDetails {
    uid: string;
    prompt: { name: string; reasons: string[]; details: Record<string, unknown> };
    params: Record<string, unknown> & { client_id?: string };
    /** The browser's session at the provider when someone is signed in to it; `cookie` is its id. */
    session?: { accountId: string; uid?: string; cookie?: string };
    grantId?: string;
  }

  export interface InteractionResults {
    login?: { accountId: string; remember?: boolean };
    consent?: { grantId?: string };
    error?: string;
    error_description?: string;
  }

  export class Grant {
    constructor(properties: { accountId: string; clientId: string });
    static find(id: string): Promise<Grant | undefined>;
    addOIDCScope(scope: string): void;
    addOIDCClaims(claims: string[]): void;
    addResourceScope(resource: string, scope: string): void;
    save(): Promise<string>;
  }

  export class AccessToken {
    constructor(properties: { accountId?: string; client: Client; gty?: string; scope?: string; grantId?: string });
    accountId?: string;
    clientId: string;
    resourceServer?: ResourceServer;
    readonly expiration: number;
    readonly tokenType: string;
    save(): Promise<string>;
  }

  /** A browser's session at the provider: who is signed in, and each client's grant. */
  export interface Session {
    accountId?: string;
    loginTs?: number;
    amr?: string[];
    acr?: string;
    authorizations?: Record<string, unknown>;
    /** Saves it again for the rest of its life. */
    persist(): Promise<unknown>;
  }

  export class ResourceServer {
    constructor(identifier: string, info: ResourceServerInfo);
    identifier(): string;
  }

  export type Configuration = Record<string, unknown>;

  export class Provider {
    constructor(issuer: string, configuration?: Configuration);
    readonly issuer: string;
    proxy: boolean;
    callback(): (req: IncomingMessage, res: ServerResponse) => Promise<void>;
    interactionDetails(req: IncomingMessage, res: ServerResponse): Promise<InteractionDetails>;
    interactionResult(req: IncomingMessage, res: ServerResponse, result: InteractionResults, options?: { mergeWithLastSubmission?: boolean }): Promise<string>;
    on(event: string, listener: (...args: any[]) => void): this;
    readonly Client: { find(id: string): Promise<Client | undefined> };
    readonly Grant: typeof Grant;
    readonly Session: { find(id: string): Promise<Session | undefined> };
    readonly AccessToken: typeof AccessToken;
    readonly ResourceServer: typeof ResourceServer;
  }

  export const errors: {
    OIDCProviderError: new (...args: any[]) => Error & { status: number; error: string; error_description?: string };
    SessionNotFound: new (...args: any[]) => Error & { status: number; error: string; error_description?: string };
    InvalidTarget: new (description?: string) => Error;
  };

  export default Provider;
}
