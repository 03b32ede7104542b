import { createServiceApp, type ServiceFrame } from "@rentalnang/shared/http/service-app";
import { mypagesRouter, type MypagesDeps } from "./mypages/mypages.handlers.ts";

export interface AppDeps extends ServiceFrame, MypagesDeps {}

export function createApp(deps: AppDeps) {
  return createServiceApp("mypage", deps).route("/", mypagesRouter(deps));
}
