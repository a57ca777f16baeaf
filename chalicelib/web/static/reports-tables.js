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

// A drill-down row as the API sends it (docs/pages.md): the interaction's public view
// (`id`, `phone`, `started_at`, ...) with its timings and metric outcome.
const handle = (r) => {
  if (r.handle_seconds !== undefined && r.handle_seconds !== null) return r.handle_seconds;
  const parts = [r.talk_seconds, r.hold_seconds, r.wrapup_seconds].filter((v) => v !== undefined && v !== null);
  return parts.length ? parts.reduce((sum, v) => sum + Number(v), 0) : null;
};
const CHANNELS = { voice: "Voice", sms: "SMS", whatsapp: "WhatsApp", chat: "Chat", voicemail: "Voicemail" };
const outcome = (r) => r.metric_outcome || r.outcome || "";
const wait = (r) => r.wait_seconds ?? r.queue_wait_seconds;

function when(row) {
  const at = row.offered_at ?? row.queued_at ?? row.started_at;
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
    columns: [{ label: "Interval", show: (r) => r.shown || r.label || r.start, csv: (r) => r.start || r.label || "" }, ...figureColumns()],
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
      { label: "Interval", show: (r) => r.shown || r.label || r.start, csv: (r) => r.start || r.label || "" },
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
      { label: "Channel", show: (r) => CHANNELS[r.channel] || titleCase(r.channel || ""), csv: (r) => r.channel || "" },
      { label: "Queue", show: (r) => r.queue || "–", csv: (r) => r.queue || "" },
      { label: "Agent", show: (r) => r.agent_name || r.agent_id || "–", csv: (r) => r.agent_name || r.agent_id || "" },
      { label: "Customer", show: (r) => formatPhone(r.contact_phone || r.phone), csv: (r) => r.contact_phone || r.phone || "" },
      { label: "Outcome", show: (r) => titleCase(outcome(r)), csv: outcome },
      { label: "Wait", num: true, show: (r) => formatDuration(wait(r)), csv: (r) => secs(wait(r)) },
      { label: "Handle", num: true, show: (r) => (Number(handle(r)) > 0 ? formatDuration(handle(r)) : "–"), csv: (r) => secs(handle(r)) },
    ],
    attrs: (r) => ({ "data-interaction": r.interaction_id || r.id }),
  },
};

// An interval's short name from its start (ISO in the tenant's clock, or epoch seconds):
// "09:00" within one day, "30 Nov 09:00" across days, "Mon 30 Nov" for a day.
export function intervalLabel(row, size, multiDay) {
  const at = row.start ?? row.label;
  let parts = null;
  if (typeof at === "number") {
    const d = new Date(at * 1000);
    parts = [d.getFullYear(), d.getMonth() + 1, d.getDate(), d.getHours(), d.getMinutes()];
  } else {
    const found = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2}))?/.exec(String(at || ""));
    if (!found) return String(row.label ?? at ?? "");
    parts = found.slice(1).map((v) => Number(v || 0));
  }
  const [y, m, d, hh, mm] = parts;
  const day = new Date(Date.UTC(y, m - 1, d));
  if (size === "day") return day.toLocaleDateString(undefined, { timeZone: "UTC", weekday: "short", day: "numeric", month: "short" });
  const time = `${String(hh).padStart(2, "0")}:${String(mm).padStart(2, "0")}`;
  return multiDay ? `${day.toLocaleDateString(undefined, { timeZone: "UTC", day: "numeric", month: "short" })} ${time}` : time;
}

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
