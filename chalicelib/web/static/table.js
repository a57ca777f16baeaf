// Data tables that become stacked cards on narrow screens (each cell carries its label).
import { el } from "./dom.js";

// columns: [{ label, num?, hidden? }]; rows: [{ attrs, cells: [...] }], first cell heads the row.
export function dataTable(caption, columns, rows) {
  const head = el("tr", {}, columns.map((column) => el("th", { scope: "col", class: column.num ? "num" : null },
    column.hidden ? el("span", { class: "visually-hidden" }, column.label) : column.label)));
  const body = rows.map((row) => el("tr", row.attrs || {}, row.cells.map((cell, index) => {
    const column = columns[index];
    const attrs = { class: column.num ? "num" : null, "data-label": column.hidden ? null : column.label };
    return index === 0 ? el("th", { scope: "row", ...attrs }, cell) : el("td", attrs, cell);
  })));
  return el("div", { class: "table-wrap" }, el("table", { class: "data responsive" },
    el("caption", { class: "visually-hidden" }, caption),
    el("thead", {}, head),
    el("tbody", {}, body)));
}
