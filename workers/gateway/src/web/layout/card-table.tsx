/** @jsxImportSource hono/jsx */
import type { Child } from "hono/jsx";
import { CsrfField } from "./layout.tsx";
import type { View } from "./view.ts";

/**
 * The attributes of a table that a narrow screen draws as one card per row (app.css,
 * `table.cards`): each cell shows its column's name (`data-label`) before its value, so a
 * row's buttons are on screen without scrolling sideways. Drawn as blocks, a table loses its
 * table semantics in some browsers (Safari's), so each element also states its own role and
 * a screen reader still meets a table with its headers.
 */
const cardTable = { class: "cards", role: "table" } as const;
const rowGroup = { role: "rowgroup" } as const;
export const cardRow = { role: "row" } as const;
const columnHeader = { role: "columnheader", scope: "col" } as const;

/** The row's header cell (its id), named on a card by its column. */
export const rowHeader = (label: string) => ({ role: "rowheader", scope: "row", "data-label": label }) as const;

/** A cell, named on a card by its column; a cell of buttons goes unnamed (they say what they do). */
export const cell = (label?: string) => (label ? { role: "cell", "data-label": label } as const : { role: "cell" } as const);

/**
 * A card table in its scrolling wrapper: one column header per entry of `columns`, the rows as
 * children. `bodyId` names the body for htmx to add rows to.
 */
export function CardTable({ columns, bodyId, children }: { columns: string[]; bodyId?: string; children?: Child }) {
  return (
    <div class="table-wrap">
      <table {...cardTable}>
        <thead {...rowGroup}><tr {...cardRow}>{columns.map((name) => <th {...columnHeader}>{name}</th>)}</tr></thead>
        <tbody id={bodyId} {...rowGroup}>{children}</tbody>
      </table>
    </div>
  );
}

/**
 * A row's button: posts to `action` (a plain form without script), and with htmx the answer
 * replaces the row. `confirm`: asked first in the browser's dialog.
 */
export function RowAction({ view, action, label, confirm, danger }: { view: View; action: string; label: string; confirm?: string; danger?: boolean }) {
  return (
    <form method="post" action={action} hx-post={action} hx-confirm={confirm} hx-target="closest tr" hx-swap="outerHTML">
      <CsrfField view={view} />
      <button type="submit" class={danger ? "danger" : undefined}>{label}</button>
    </form>
  );
}

/** What an action left of its row: one cell across the row's `columns`, with `children`. */
export function RowMessage({ columns, children }: { columns: number; children?: Child }) {
  return <tr {...cardRow}><td colspan={columns} {...cell()}>{children}</td></tr>;
}
