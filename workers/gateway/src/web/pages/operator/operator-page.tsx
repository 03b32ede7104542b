/** @jsxImportSource hono/jsx */
import type { DeadLetterList } from "../../../admin/dead-letters-fan-out.ts";
import { CardTable, RowAction, cardRow, cell, rowHeader } from "../../layout/card-table.tsx";
import { Time } from "../../layout/time.tsx";
import type { View } from "../../layout/view.ts";
import { BOARD_PATH, dropPath, redrivePath } from "./operator.routes.ts";

type Letter = DeadLetterList["deadLetters"][number];

/** The type of the event a letter holds, when it holds one. */
const eventType = (letter: Letter) => {
  const type = (letter.event as { type?: unknown } | null)?.type;
  return typeof type === "string" ? type : "—";
};

/** One dead letter with "Redrive" and "Delete" (htmx replaces the row with the outcome). */
function LetterRow({ view, letter }: { view: View; letter: Letter }) {
  const { t } = view;
  return (
    <tr {...cardRow}>
      <td {...cell(t("letters.group"))}>{letter.group}</td>
      <th {...rowHeader(t("letters.entry"))}>{letter.entryId}</th>
      <td {...cell(t("letters.reason"))}>{letter.reason}</td>
      <td {...cell(t("letters.event"))}>{eventType(letter)}</td>
      <td {...cell(t("letters.failedAt"))}><Time iso={letter.failedAt} /></td>
      <td {...cell()}>
        <RowAction view={view} action={redrivePath(letter.group, letter.id)} label={t("letters.redrive")} />{" "}
        <RowAction view={view} action={dropPath(letter.group, letter.id)} label={t("letters.delete")}
          confirm={t("letters.deleteConfirm", { id: letter.entryId, group: letter.group })} danger />
      </td>
    </tr>
  );
}

/** The board's link, and the dead letters of every group (naming groups that did not answer). */
export function OperatorPage({ view, letters }: { view: View; letters: DeadLetterList }) {
  const { t } = view;
  return (
    <>
      <section aria-labelledby="board-heading">
        <h2 id="board-heading">{t("operator.board")}</h2>
        <p><a href={BOARD_PATH}>{t("operator.board")}</a>: {t("operator.boardText")}</p>
      </section>
      <section aria-labelledby="letters-heading">
        <h2 id="letters-heading">{t("letters.heading")}</h2>
        {letters.unavailable.map((u) => <div class="message"><p class="problem">{t("letters.unavailable", { group: u.group, reason: u.reason })}</p></div>)}
        {letters.deadLetters.length === 0 ? <p>{t("letters.empty")}</p> : (
          <CardTable
            columns={[t("letters.group"), t("letters.entry"), t("letters.reason"),
              t("letters.event"), t("letters.failedAt"), t("letters.actions")]}>
            {letters.deadLetters.map((letter) => <LetterRow view={view} letter={letter} />)}
          </CardTable>
        )}
      </section>
    </>
  );
}
