import { AxeBuilder } from "@axe-core/playwright";
import type { Page } from "playwright-core";

/** The impacts that fail a page; minor and moderate findings are left to judgement. */
const FAILING_IMPACTS = new Set(["serious", "critical"]);

/**
 * axe-core's serious and critical violations on the page as it stands, one readable block
 * each (rule, impact, what it asks, the elements, where to read more); empty when none.
 */
export async function accessibilityViolations(page: Page): Promise<string[]> {
  const { violations } = await new AxeBuilder({ page }).analyze();
  return violations
    .filter((v) => FAILING_IMPACTS.has(v.impact ?? ""))
    .map((v) => {
      const nodes = v.nodes.slice(0, 5).map((n) => `    ${n.target.join(" ")}: ${n.failureSummary?.replace(/\s+/g, " ") ?? ""}`);
      const more = v.nodes.length > 5 ? [`    … and ${v.nodes.length - 5} more`] : [];
      return [`${page.url()}: ${v.id} (${v.impact}): ${v.help} (${v.helpUrl})`, ...nodes, ...more].join("\n");
    });
}
