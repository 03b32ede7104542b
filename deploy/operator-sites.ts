import { parseArgs } from "node:util";
import { checkInvariantsCommand } from "../scripts/invariants/command.ts";
import { ref, type K8sObject } from "./manifests.ts";
import { containerSites, type ContainerSite } from "./workloads.ts";

/**
 * Containers that run one of the operator commands of scripts/ in the cluster (a Job, or a
 * CronJob that jobs are created from), such as k8s/base/check-invariants.yaml.
 */

export interface OperatorSite extends ContainerSite {
  /** The command: `check-invariants` for `bun run scripts/check-invariants.ts`. */
  command: string;
  /** What follows the script on the command line. */
  args: string[];
}

/** The operator commands whose flags the checks know, by name. */
const COMMANDS = { [checkInvariantsCommand.name]: checkInvariantsCommand } as const;

export function operatorSites(objects: K8sObject[]): OperatorSite[] {
  return containerSites(objects).flatMap((site) => {
    const argv = [...(site.container.command ?? []), ...(site.container.args ?? [])];
    const at = argv.findIndex((a) => /^scripts\/[a-z0-9-]+\.ts$/.test(a));
    if (at < 0) return [];
    return [{ ...site, command: argv[at]!.slice("scripts/".length, -".ts".length), args: argv.slice(at + 1) }];
  });
}

/**
 * The command's flags as it would parse them (strict, as parseCommand does); a string naming
 * what it would refuse, for a command whose flags the checks do not know, or a wrong flag.
 */
export function flagsOf(site: OperatorSite): Record<string, string | boolean | undefined> | string {
  const spec = COMMANDS[site.command as keyof typeof COMMANDS];
  if (!spec) return `runs scripts/${site.command}.ts, whose flags the deploy checks do not know (deploy/operator-sites.ts)`;
  const options = Object.fromEntries(Object.entries(spec.flags).map(([name, f]) => [name, { type: f.type }]));
  try {
    return parseArgs({ args: site.args, options, allowPositionals: false, strict: true }).values as Record<string, string | boolean | undefined>;
  } catch (error) {
    return `npm run ${site.command} would refuse its arguments: ${(error as Error).message}`;
  }
}

/** The gateway URL an operator site's command goes through (`--gateway URL`), if it names one. */
export function gatewayUrlOf(site: OperatorSite): string | undefined {
  const flags = flagsOf(site);
  return typeof flags === "object" && typeof flags.gateway === "string" ? flags.gateway : undefined;
}

/** Each operator site that goes through a gateway: for the network rules, a caller of whatever its URL leads to. */
export const operatorCalls = (objects: K8sObject[]) =>
  operatorSites(objects).flatMap((site) => {
    const url = gatewayUrlOf(site);
    return url ? [{ source: ref(site.workload), url, why: `it runs ${site.command} through the gateway` }] : [];
  });
