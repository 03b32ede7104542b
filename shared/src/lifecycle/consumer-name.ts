import { randomBytes } from "node:crypto";
import { hostname } from "node:os";

/**
 * This process's name in its consumer groups: the host (a pod's name in Kubernetes), the
 * pid and a random suffix. Two replicas on one machine, or a container restarted with the
 * same pid, never share a name: a consumer reads its own pending entries first, and two
 * processes under one name would both handle them at once. The names restarts leave in
 * the group are removed by shared/src/bus/stale-consumers.ts.
 */
export function consumerName(host: string = hostname(), pid: number = process.pid): string {
  return `${host}-${pid}-${randomBytes(3).toString("hex")}`;
}
