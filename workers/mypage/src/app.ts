import { authenticate, type AuthenticateOptions } from "@rentalnang/shared/auth/authenticate/authenticate";
import { createServiceApp, type ServiceFrame } from "@rentalnang/shared/http/service-app";
import { mypagesRouter, type MypagesDeps } from "./mypages/mypages.handlers.ts";

export interface AppDeps extends ServiceFrame, MypagesDeps {
  /** How callers are known: the issuer's tokens, or the lab mode (AUTH=off). */
  auth: AuthenticateOptions;
}

/** The frame's open routes (health, metrics, /openapi.json), then every mypage route behind a token. */
export function createApp(deps: AppDeps) {
  const app = createServiceApp("mypage", deps);
  app.use(authenticate(deps.auth));
  return app.route("/", mypagesRouter(deps));
}
