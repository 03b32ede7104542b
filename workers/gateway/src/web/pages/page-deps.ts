import type { Assets } from "../assets/assets.ts";
import type { UpstreamClient } from "../upstream/upstream-client.ts";

/** What every page's handlers are built with (web-pages.ts builds it once). */
export interface PageDeps {
  client: UpstreamClient;
  assets: Assets;
  /** `Prefer: wait=N` of the live status: mypage's longest wait, and under the upstream timeout. */
  longPollSeconds: number;
}
