/** @jsxImportSource hono/jsx */
import { en, type MessageKey } from "../../i18n/en.ts";
import { Time } from "../../layout/time.tsx";
import type { View } from "../../layout/view.ts";
import type { TimelineItem } from "./customer-resources.ts";

/** A dictionary key, if the dictionaries have it (an event type added later shows as named). */
const known = (key: string): key is MessageKey => key in en;

/**
 * A reservation's events across the services as a vertical list, in the order mypage gives
 * (causal): what happened in words, which service said so, when (in the browser's zone), and
 * after what (the event that caused it, or a person's request).
 */
export function TimelineList({ view, items }: { view: View; items: TimelineItem[] }) {
  const { t } = view;
  if (items.length === 0) return <p>{t("timeline.empty")}</p>;
  const byId = new Map(items.map((i) => [i.eventId, i]));
  const words = (type: string) => (known(`event.${type}`) ? t(`event.${type}` as MessageKey) : type);
  return (
    <ol class="timeline">
      {items.map((item) => {
        const cause = item.causationId ? byId.get(item.causationId) : undefined;
        const source = known(`source.${item.source}`) ? t(`source.${item.source}` as MessageKey) : item.source;
        return (
          <li>
            <span class="what">{words(item.type)}</span>
            <span class="meta">
              {t("timeline.from", { source })}{" · "}<Time iso={item.occurredAt} />{" · "}
              {cause ? t("timeline.cause", { cause: words(cause.type) }) : t("timeline.causeRequest")}
            </span>
          </li>
        );
      })}
    </ol>
  );
}
