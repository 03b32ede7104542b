import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";

/**
 * The top of each process's CPU profile (Bun's `--cpu-prof-md`), counted in samples. The
 * profile's time columns give each sample the time since the one before, so a sample taken
 * after the process sat idle looks heavy: the sample counts are the fair measure of where
 * the CPU went. Functions are also summed by the library they belong to.
 */

interface Hot {
  name: string;
  location: string;
  samples: number;
}

const PARTS: [string, (h: Hot) => boolean][] = [
  ["libSQL (engine and driver)", (h) => /libsql/.test(h.name + h.location) || h.location.includes("/src/db/")],
  ["ioredis", (h) => /node_modules\/(ioredis|standard-as-callback|redis-parser|cluster-key-slot)\//.test(h.location)],
  ["BullMQ", (h) => h.location.includes("node_modules/bullmq/")],
  ["Hono", (h) => h.location.includes("node_modules/hono/")],
  ["zod", (h) => h.location.includes("node_modules/zod/")],
  ["jose", (h) => h.location.includes("node_modules/jose/")],
  ["pino", (h) => h.location.includes("node_modules/pino")],
  ["sockets and HTTP (native)", (h) => /^(writeBuffered|_write|write|writeOrBuffer|onwrite|fetch|Response|Request)$/.test(h.name) || /streams\/|node:net/.test(h.location)],
];

function hotFunctions(markdown: string): { total: number; hot: Hot[] } {
  const total = Number(/\| [\d.]+m?s \| (\d+) \|/.exec(markdown)?.[1] ?? 0);
  const hot: Hot[] = [];
  for (const m of markdown.matchAll(/### `([^`]*)`\n`([^`]*)` \| Self: [^|]*\| Total: [^|]*\| Samples: (\d+)/g)) {
    hot.push({ name: m[1]!, location: m[2]!, samples: Number(m[3]) });
  }
  return { total, hot };
}

/** Prints, per profile in `dir`, the share of samples per library and the `top` functions. */
export function printProfileSummary(dir: string, top = 8): void {
  if (!existsSync(dir)) return;
  for (const file of readdirSync(dir).filter((f) => f.endsWith(".md")).sort()) {
    const { total, hot } = hotFunctions(readFileSync(join(dir, file), "utf8"));
    if (total === 0) continue;
    const pct = (n: number) => `${((100 * n) / total).toFixed(0)} %`;
    const parts = new Map<string, number>();
    for (const h of hot) {
      const part = PARTS.find(([, matches]) => matches(h))?.[0] ?? "the rest";
      parts.set(part, (parts.get(part) ?? 0) + h.samples);
    }
    const byPart = [...parts].filter(([, n]) => n >= total / 200).sort((a, b) => b[1] - a[1]).map(([part, n]) => `${part} ${pct(n)}`).join(", ");
    console.log(`${file.replace(/\.md$/, "")}: ${total} samples; ${byPart}`);
    for (const h of hot.sort((a, b) => b.samples - a.samples).slice(0, top)) {
      console.log(`  ${pct(h.samples).padStart(5)}  ${h.name}  ${h.location.replace(/^.*node_modules\//, "")}`);
    }
  }
}
