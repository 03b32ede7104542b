/**
 * The bench's report: the server CPU each process spent per full saga, then every figure beside
 * its required target (a miss makes the bench exit 1) and, where there is one, a stretch
 * target (shown, never a failure).
 */

export const percentile = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? NaN;

export function summary(ms: number[]) {
  const s = [...ms].sort((a, b) => a - b);
  return { p50: percentile(s, 50), p95: percentile(s, 95), p99: percentile(s, 99), max: s.at(-1) ?? NaN };
}

/** A bound on a figure: `max` for "at most", `min` for "at least". */
export type Bound = { max: number } | { min: number };

export interface Figure {
  label: string;
  /** As printed (several percentiles, say). */
  shown: string;
  /** The figure the targets are about. */
  value: number;
  required?: Bound;
  stretch?: Bound;
}

const meets = (value: number, bound: Bound) => ("max" in bound ? value <= bound.max : value >= bound.min);
const boundText = (bound: Bound) => ("max" in bound ? `≤ ${bound.max}` : `≥ ${bound.min}`);

/** Prints the figures as a table; returns how many required targets were missed. */
export function printFigures(figures: Figure[]): number {
  const width = Math.max(...figures.map((f) => f.label.length));
  const valueWidth = Math.max(12, ...figures.map((f) => f.shown.length));
  console.log(`  ${"".padEnd(width)}  ${"".padStart(valueWidth)}  ${"required".padEnd(16)} stretch`);
  let missed = 0;
  for (const f of figures) {
    const required = f.required ? `${boundText(f.required)} ${meets(f.value, f.required) ? "ok" : "MISSED"}` : "";
    const stretch = f.stretch ? `${boundText(f.stretch)} ${meets(f.value, f.stretch) ? "ok" : "not yet"}` : "";
    if (f.required && !meets(f.value, f.required)) missed++;
    console.log(`  ${f.label.padEnd(width)}  ${f.shown.padStart(valueWidth)}  ${required.padEnd(16)} ${stretch}`.trimEnd());
  }
  return missed;
}

/**
 * The CPU table, heaviest first, as markdown (it goes into docs/performance.md as printed):
 * each process's milliseconds per saga and its share of the total.
 */
export function printCpuTable(cpuMs: Record<string, number>, sagas: number, rssMb: Record<string, number>): number {
  const total = Object.values(cpuMs).reduce((a, b) => a + b, 0);
  const rows = Object.entries(cpuMs).sort((a, b) => b[1] - a[1]);
  console.log(`server CPU per saga (utime + stime from /proc, ${sagas} sagas that reached AwaitingConfirmation), and RSS under load:`);
  console.log("| process | CPU ms per saga | share | max RSS MB |");
  console.log("|---|--:|--:|--:|");
  for (const [name, ms] of rows) {
    console.log(`| ${name} | ${(ms / sagas).toFixed(2)} | ${((100 * ms) / total).toFixed(0)} % | ${(rssMb[name] ?? NaN).toFixed(0)} |`);
  }
  console.log(`| **total** | **${(total / sagas).toFixed(2)}** | | |`);
  return total / sagas;
}
