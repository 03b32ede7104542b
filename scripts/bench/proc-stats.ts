import { readFileSync } from "node:fs";

/**
 * What the kernel counts for each process of the stack (Linux /proc): CPU time, as
 * utime + stime of every thread plus what its reaped children used (cutime + cstime: a
 * redis-server's AOF rewrite), and resident memory (VmRSS). CPU time is the figure that
 * stays meaningful on a busy machine: it counts only the time a process actually ran.
 */

/** Clock ticks per second of /proc/<pid>/stat's times (`getconf CLK_TCK`; 100 on Linux). */
const CLOCK_TICKS = (() => {
  const out = Bun.spawnSync(["getconf", "CLK_TCK"]).stdout.toString().trim();
  return Number(out) > 0 ? Number(out) : 100;
})();

/** Milliseconds of CPU the process (all its threads) and its reaped children have used so far. */
export function cpuMs(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
  // The command name (field 2) sits in parentheses and may hold spaces: count fields after it.
  const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  // Fields 14–17 of proc(5): utime, stime, cutime, cstime; fields[0] is field 3.
  const ticks = [11, 12, 13, 14].reduce((sum, i) => sum + Number(fields[i]), 0);
  return (ticks * 1000) / CLOCK_TICKS;
}

/** Resident memory of the process in MB (VmRSS), NaN once it is gone. */
export function rssMb(pid: number): number {
  try {
    const kb = /^VmRSS:\s+(\d+) kB/m.exec(readFileSync(`/proc/${pid}/status`, "utf8"))?.[1];
    return kb === undefined ? NaN : Number(kb) / 1024;
  } catch {
    return NaN;
  }
}

export type Pids = Record<string, number>;

/** Every process's CPU milliseconds now. */
export function cpuSnapshot(pids: Pids): Record<string, number> {
  return Object.fromEntries(Object.entries(pids).map(([name, pid]) => [name, cpuMs(pid)]));
}

/** Each process's CPU milliseconds between two snapshots. */
export function cpuBetween(before: Record<string, number>, after: Record<string, number>): Record<string, number> {
  return Object.fromEntries(Object.entries(after).map(([name, ms]) => [name, ms - (before[name] ?? 0)]));
}

/** Samples every process's RSS every `everyMs` until stopped; `stop` returns each one's highest. */
export function sampleRss(pids: Pids, everyMs = 200) {
  const highest: Record<string, number> = Object.fromEntries(Object.keys(pids).map((name) => [name, 0]));
  const sample = () => {
    for (const [name, pid] of Object.entries(pids)) highest[name] = Math.max(highest[name]!, rssMb(pid) || 0);
  };
  sample();
  const timer = setInterval(sample, everyMs);
  return {
    stop(): Record<string, number> {
      clearInterval(timer);
      sample();
      return highest;
    },
  };
}
