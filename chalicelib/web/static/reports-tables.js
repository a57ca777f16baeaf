// The reports page's tables and their CSV downloads. Each table is described once
// (columns with a display and a CSV value), so the CSV holds exactly the rows on screen.
import { el, replace } from "./dom.js";
import { formatDuration, formatPhone, titleCase } from "./format.js";
import { dataTable } from "./table.js";
import { percent } from "./wallboard.js";

const ratio = (value) => (value === null || value === undefined ? "" : String(Math.round(Number(value) * 10000) / 10000));
const secs = (value) => (value === null || value === undefined ? "" : String(Math.round(Number(value) * 10) / 10));
const count = (value) => String(Number(value || 0));

// The figures object of the reports contract, as columns: [key, label, display, csv].
export const FIGURES = [
  ["offered", "Offered", count, count],
  ["answered", "Answered", count, count],
  ["abandoned", "Abandoned", count, count],
  ["short_abandoned", "Short abandons", count, count],
  ["service_level", "Service level", percent, ratio],
  ["asa_seconds", "ASA", formatDuration, secs],
  ["aht_seconds", "AHT", formatDuration, secs],
  ["longest_wait_seconds", "Longest wait", formatDuration, secs],
  ["occupancy", "Occupancy", percent, ratio],
  ["transfers", "Transfers", count, count],
  ["fcr", "FCR", percent, ratio],
];

function figureColumns() {
  return FIGURES.map(([key, label, show, csv]) => ({ label, num: true, show: (row) => show(row[key]), csv: (row) => csv(row[key]) }));
}

function when(row) {
  const at = row.offered_at ?? row.started_at;
  if (at === null || at === undefined) return "";
  const date = new Date(typeof at === "number" ? at * 1000 : at);
  return Number.isNaN(date.getTime()) ? String(at) : date;
}

export const TABLES = {
  summary: {
    caption: "Summary figures",
    columns: [{ label: "From", show: (r) => r.from, csv: (r) => r.from || "" }, { label: "To", show: (r) => r.to, csv: (r) => r.to || "" },
      ...figureColumns()],
  },
  intervals: {
    caption: "Figures by interval",
    columns: [{ label: "Interval", show: (r) => r.label || r.start, csv: (r) => r.start || r.label || "" }, ...figureColumns()],
    attrs: (r) => ({ "data-interval": r.start || r.label }),
  },
  agents: {
    caption: "Figures by agent",
    columns: [{ label: "Agent", show: (r) => r.name || r.agent_id, csv: (r) => r.name || r.agent_id || "" },
      { label: "Agent id", csvOnly: true, csv: (r) => r.agent_id || "" }, ...figureColumns()],
    attrs: (r) => ({ "data-agent": r.agent_id }),
  },
  staffing: {
    caption: "Agents needed per interval against full-time agents on shift",
    columns: [
      { label: "Interval", show: (r) => r.label || r.start, csv: (r) => r.start || r.label || "" },
      { label: "Forecast calls", num: true, show: (r) => fixed(r.forecast_calls), csv: (r) => secs(r.forecast_calls) },
      { label: "Erlang C", num: true, show: (r) => count(r.agents_erlang_c), csv: (r) => count(r.agents_erlang_c) },
      { label: "Erlang A", num: true, show: (r) => count(r.agents_erlang_a), csv: (r) => count(r.agents_erlang_a) },
      { label: "Full-time on shift", num: true, show: (r) => count(r.full_time_on_shift), csv: (r) => count(r.full_time_on_shift) },
      { label: "Part-timers needed", num: true,
        show: (r) => (Number(r.shortfall) > 0 ? el("span", { class: "badge red", "data-testid": "shortfall" }, `+${r.shortfall}`) : "–"),
        csv: (r) => count(r.shortfall) },
    ],
    attrs: (r) => ({ "data-interval": r.start || r.label, class: Number(r.shortfall) > 0 ? "short" : null }),
  },
  interactions: {
    caption: "Interactions behind the figure",
    columns: [
      { label: "When", show: (r) => { const d = when(r); return d instanceof Date ? d.toLocaleString(undefined, { dateStyle: "medium", timeStyle: "short" }) : d; },
        csv: (r) => { const d = when(r); return d instanceof Date ? d.toISOString() : d; } },
      { label: "Channel", show: (r) => titleCase(r.channel || ""), csv: (r) => r.channel || "" },
      { label: "Queue", show: (r) => r.queue || "–", csv: (r) => r.queue || "" },
      { label: "Agent", show: (r) => r.agent_name || r.agent_id || "–", csv: (r) => r.agent_name || r.agent_id || "" },
      { label: "Customer", show: (r) => formatPhone(r.contact_phone), csv: (r) => r.contact_phone || "" },
      { label: "Outcome", show: (r) => titleCase(r.outcome || ""), csv: (r) => r.outcome || "" },
      { label: "Wait", num: true, show: (r) => formatDuration(r.wait_seconds ?? r.queue_wait_seconds), csv: (r) => secs(r.wait_seconds ?? r.queue_wait_seconds) },
      { label: "Handle", num: true, show: (r) => formatDuration(r.handle_seconds), csv: (r) => secs(r.handle_seconds) },
    ],
    attrs: (r) => ({ "data-interaction": r.interaction_id }),
  },
};

function fixed(value) {
  return value === null || value === undefined ? "–" : String(Math.round(Number(value) * 10) / 10);
}

export function renderTable(container, name, rows, empty) {
  const table = TABLES[name];
  if (!rows.length) {
    replace(container, el("div", { class: "empty" }, el("strong", {}, empty || "Nothing in this period")));
    return;
  }
  const shown = table.columns.filter((column) => !column.csvOnly);
  replace(container, dataTable(table.caption, shown,
    rows.map((row) => ({ attrs: table.attrs ? table.attrs(row) : {}, cells: shown.map((column) => column.show(row)) }))));
}

// RFC 4180: quote a field with a comma, quote or line break; double the quotes. A text
// field a spreadsheet would run as a formula (=, @, or +/- not followed by a digit) gets
// a leading apostrophe.
export function csvField(value) {
  let text = value === null || value === undefined ? "" : String(value);
  if (/^[=@\t\r]/.test(text) || /^[+-][^0-9.]/.test(text)) text = `'${text}`;
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

export function toCsv(name, rows) {
  const columns = TABLES[name].columns;
  const lines = [columns.map((c) => csvField(c.label)), ...rows.map((row) => columns.map((c) => csvField(c.csv(row))))];
  return `${lines.map((line) => line.join(",")).join("\r\n")}\r\n`;
}

export function download(filename, text) {
  const url = URL.createObjectURL(new Blob([text], { type: "text/csv;charset=utf-8" }));
  const link = el("a", { href: url, download: filename, hidden: true });
  document.body.append(link);
  link.click();
  link.remove();
  window.setTimeout(() => URL.revokeObjectURL(url), 1000);
}
