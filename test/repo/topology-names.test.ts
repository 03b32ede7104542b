import { expect, test } from "bun:test";
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join, relative } from "node:path";
import { deadLetterKey, queuePrefix, streamKey } from "@rentalnang/shared/topology/redis-keys";
import { queues, workerNames, type StreamName } from "@rentalnang/shared/topology/topology";

/**
 * Stream keys, dead-letter keys, queue names and consumer groups are spelled in one place,
 * shared/src/topology/, and everything else builds them from there, so a rename or a new
 * consumer cannot leave a copy behind. A manifest that must spell one (it cannot import
 * TypeScript) is allowed here only when a deploy rule checks it against the topology.
 */
const ROOT = join(import.meta.dir, "../..");
const SCANNED = ["shared", "workers", "scripts", "deploy", "test", "k8s", "fly", "fly.toml", "Dockerfile", "package.json"];
const SKIP = new Set(["node_modules", "data", ".git", "coverage", "artifacts"]);
const TEXT = /\.(ts|tsx|js|json|ya?ml|toml|sh)$|^Dockerfile$/;

const ALLOWED: Record<string, string> = {
  "shared/src/topology/topology.ts": "the declaration",
  "shared/src/topology/redis-keys.ts": "the key builders",
  "k8s/components/autoscaling/delivery-scaledobject.yaml": "kedaStreamsRule (deploy/topology.test.ts) checks its stream and group",
};

const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
const groups = workerNames.join("|");
/** Built from the key builders themselves, so the test follows a change of pattern. */
const SPELLINGS: [string, RegExp][] = [
  ["a stream key", new RegExp(escape(streamKey("", "" as StreamName)))],
  ["a dead-letter key", new RegExp(escape(deadLetterKey("", "")))],
  ["the queue prefix", new RegExp(`${escape(queuePrefix(""))}\\b`)],
  ...queues.map(({ name }): [string, RegExp] => [`the queue name ${name}`, new RegExp(`\\b${escape(name)}\\b`)]),
  ["a consumer group in a Redis group command", new RegExp(`\\b(XGROUP|XREADGROUP|XPENDING|XACK|XCLAIM|XAUTOCLAIM)\\b.*["'\`](${groups})["'\`]`, "i")],
  ["a consumer group in a manifest", new RegExp(`consumerGroup:\\s*["']?(${groups})\\b`)],
];

function files(path: string): string[] {
  const full = join(ROOT, path);
  if (statSync(full, { throwIfNoEntry: false }) === undefined) return [];
  if (!statSync(full).isDirectory()) return TEXT.test(path.split("/").at(-1)!) ? [path] : [];
  return readdirSync(full).filter((name) => !SKIP.has(name)).flatMap((name) => files(relative(ROOT, join(full, name))));
}

test("no stream, dead-letter, queue or group name is spelled outside the topology module", () => {
  const self = relative(ROOT, import.meta.path);
  const found = SCANNED.flatMap(files)
    .filter((file) => !(file in ALLOWED) && file !== self)
    .flatMap((file) =>
      readFileSync(join(ROOT, file), "utf8").split("\n").flatMap((line, i) =>
        SPELLINGS.filter(([, pattern]) => pattern.test(line)).map(([what]) => `${file}:${i + 1} spells ${what}: ${line.trim()}`),
      ),
    );
  expect(found).toEqual([]);
});
