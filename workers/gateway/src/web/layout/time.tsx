/** @jsxImportSource hono/jsx */

/** "2026-12-01 09:00 UTC": what a time says before the page's script shows it in the browser's zone. */
function utcText(iso: string): string {
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? iso : `${d.toISOString().slice(0, 16).replace("T", " ")} UTC`;
}

/** A moment as <time datetime>, in UTC until /assets/app.js formats it in the browser's time zone. */
export function Time({ iso }: { iso: string | null | undefined }) {
  if (!iso) return <span>—</span>;
  return <time datetime={iso}>{utcText(iso)}</time>;
}
