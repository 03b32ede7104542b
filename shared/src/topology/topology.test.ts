import { describe, expect, test } from "bun:test";
import { existsSync, readdirSync } from "node:fs";
import { join } from "node:path";
import {
  callsOf, consumerGroups, portOf, startOrder, streamNames, workerNames, workerTopology,
} from "./topology.ts";

const ROOT = join(import.meta.dir, "../../..");

describe("the topology", () => {
  test("declares every process under workers/, and each has a main.ts", () => {
    const dirs = readdirSync(join(ROOT, "workers")).sort();
    expect([...workerNames, "gateway", "identity"].sort()).toEqual(dirs);
    for (const name of dirs) expect(existsSync(join(ROOT, "workers", name, "src", "main.ts"))).toBe(true);
  });

  test("gives each process a port of its own", () => {
    const ports = startOrder().map(portOf);
    expect(new Set(ports).size).toBe(ports.length);
  });

  test("has one publisher per stream, and every consumed stream is published", () => {
    const published = workerNames.flatMap((w) => workerTopology(w).publishes ?? []);
    expect(new Set(published).size).toBe(published.length);
    const unpublished = consumerGroups.flatMap(({ group, streams }) =>
      streams.filter((s) => !streamNames.includes(s)).map((s) => `${group} reads ${s}, which no worker publishes`));
    expect(unpublished).toEqual([]);
  });

  test("calls only workers, and starts identity first and each process after the ones it calls", () => {
    const order = startOrder();
    expect(order).toHaveLength(workerNames.length + 2);
    expect(order[0]).toBe("identity");
    for (const name of order) {
      for (const callee of callsOf(name)) {
        expect(workerNames).toContain(callee);
        expect(order.indexOf(callee)).toBeLessThan(order.indexOf(name));
      }
    }
  });
});
