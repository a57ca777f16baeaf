// The reports page (supervisors, owners, admins): filters, the summary tiles that drill
// down to their interactions, charts and tables by interval and by agent, staffing advice
// (Erlang C and A against full-time agents on shift), and a CSV of every table.
// API: GET api/reports/summary | intervals | agents | interactions | staffing.
import { api, requireSession } from "./api.js";
import { el, replace, announce } from "./dom.js";
import { formatDuration } from "./format.js";
import { setUpChrome } from "./chrome.js";
import { percent } from "./wallboard.js";
import { renderTable, toCsv, download, intervalLabel } from "./reports-tables.js";
import { intervalsChart, agentsChart, staffingChart } from "./reports-charts.js";

const $ = (id) => document.getElementById(id);
const form = $("filters");
const fields = ["from", "to", "queue", "agent", "channel", "interval"];
const data = { summary: [], intervals: [], agents: [], staffing: [], interactions: [] };
let drill = null; // { tile, outcome, query, next }
const agentNames = new Map(); // user id -> name, for the drill-down's agent column

// The tiles, and the interactions behind each (the drill-down's outcome filter).
const TILES = [
  { key: "offered", label: "Offered", show: (f) => String(f.offered ?? 0), outcome: null, hint: "all contacts" },
  { key: "answered", label: "Answered", show: (f) => String(f.answered ?? 0), outcome: "answered" },
  { key: "abandoned", label: "Abandoned", show: (f) => String(f.abandoned ?? 0), outcome: "abandoned",
    hint: (f) => (Number(f.short_abandoned) ? `+${f.short_abandoned} short, not counted` : "") },
  { key: "service_level", label: "Service level", show: (f) => percent(f.service_level), outcome: null,
    hint: (f) => (f.service_level_threshold_seconds ? `answered in ${f.service_level_threshold_seconds} s` : "") },
  { key: "asa_seconds", label: "ASA", show: (f) => formatDuration(f.asa_seconds), outcome: "answered", hint: "average speed of answer" },
  { key: "aht_seconds", label: "AHT", show: (f) => formatDuration(f.aht_seconds), outcome: "answered", hint: "talk + hold + wrap-up" },
  { key: "longest_wait_seconds", label: "Longest wait", show: (f) => formatDuration(f.longest_wait_seconds), outcome: null },
  { key: "occupancy", label: "Occupancy", show: (f) => percent(f.occupancy), outcome: "answered", hint: "handling / staffed time" },
  { key: "transfers", label: "Transfers", show: (f) => String(f.transfers ?? 0), outcome: "transferred" },
  { key: "fcr", label: "FCR", show: (f) => percent(f.fcr), outcome: "answered", hint: "no repeat contact" },
];

function today() {
  const now = new Date();
  return `${now.getFullYear()}-${String(now.getMonth() + 1).padStart(2, "0")}-${String(now.getDate()).padStart(2, "0")}`;
}

function nextDay(day) {
  const [y, m, d] = day.split("-").map(Number);
  const date = new Date(Date.UTC(y, m - 1, d + 1));
  return date.toISOString().slice(0, 10);
}

function filters() {
  return Object.fromEntries(fields.map((name) => [name, form.elements[name].value]));
}

// from/to are the tenant's local midnights, `to` exclusive (docs/pages.md).
function query(f, keys, extra = {}) {
  const params = new URLSearchParams({ from: `${f.from}T00:00:00`, to: `${nextDay(f.to)}T00:00:00` });
  for (const key of keys) if (f[key]) params.set(key, f[key]);
  for (const [key, value] of Object.entries(extra)) if (value) params.set(key, value);
  return params.toString();
}

function showError(error) {
  $("reports-error").textContent = error ? error.message : "";
}

function fieldError(name, message) {
  for (const field of fields) form.elements[field].removeAttribute("aria-invalid");
  if (!name) return true;
  form.elements[name].setAttribute("aria-invalid", "true");
  form.elements[name].focus();
  showError(new Error(message));
  return false;
}

function validate(f) {
  if (!f.from) return fieldError("from", "Choose the first day of the report.");
  if (!f.to) return fieldError("to", "Choose the last day of the report.");
  if (f.to < f.from) return fieldError("to", "The last day is before the first day.");
  return fieldError(null);
}

function renderTiles(figures) {
  replace($("kpis"), TILES.map((tile) => {
    const hint = typeof tile.hint === "function" ? tile.hint(figures) : tile.hint;
    return el("button", { class: "kpi", type: "button", "data-tile": tile.key, "aria-pressed": String(drill?.tile === tile.key),
      onclick: () => openDrill(tile) },
    el("span", { class: "label" }, tile.label), el("span", { class: "value" }, tile.show(figures)),
    hint ? el("span", { class: "hint" }, hint) : null);
  }));
}

// One page of the drill-down; a page the filters emptied (the server pages by time, then
// filters) is followed by the next, up to 10, so "Load more" always shows something.
async function loadDrill(more) {
  let rows = [];
  let cursor = more ? drill.next : null;
  for (let pages = 0; pages < 10 && (pages === 0 || (!rows.length && cursor)); pages += 1) {
    const params = new URLSearchParams(drill.query);
    if (cursor) params.set("cursor", cursor);
    const found = await api("GET", `api/reports/interactions?${params}`);
    rows = rows.concat(((found && found.interactions) || []).map((row) => ({
      ...row, agent_name: row.agent_name || agentNames.get(row.agent_id) || null })));
    cursor = (found && found.next) || null;
  }
  data.interactions = more ? data.interactions.concat(rows) : rows;
  drill.next = cursor;
  renderTable($("drill-body"), "interactions", data.interactions, "No interactions behind this figure");
  if (drill.next) {
    $("drill-body").append(el("div", { class: "actions" }, el("button", { class: "btn small", type: "button", id: "drill-more",
      onclick: () => loadDrill(true).catch(showError) }, "Load more")));
  }
}

function drillQuery(f, outcome) {
  return query(f, ["queue", "agent", "channel"], { outcome });
}

async function openDrill(tile) {
  const f = filters();
  drill = { tile: tile.key, outcome: tile.outcome, query: drillQuery(f, tile.outcome), next: null };
  $("drill-title").textContent = `Interactions behind ${tile.label}`;
  $("drill").hidden = false;
  renderTiles(data.summary[0] || {});
  try {
    await loadDrill(false);
    showError(null);
    $("drill").scrollIntoView({ block: "nearest" });
  } catch (error) {
    showError(error);
  }
}

function closeDrill() {
  drill = null;
  data.interactions = [];
  $("drill").hidden = true;
  renderTiles(data.summary[0] || {});
}

async function loadStaffing(f, queues) {
  const queue = f.queue || queues[0];
  if (!queue) {
    data.staffing = [];
    $("staffing-note").textContent = "Staffing advice appears once a queue exists.";
    renderTable($("staffing-table"), "staffing", [], "No queues yet");
    staffingChart($("staffing-chart"), []);
    return;
  }
  const params = new URLSearchParams({ queue, date: f.from, interval: f.interval === "15m" ? "15m" : "hour" });
  const found = await api("GET", `api/reports/staffing?${params}`);
  data.staffing = ((found && found.intervals) || []).map((row) => ({ ...row, shown: intervalLabel(row, "hour", false) }));
  const target = (found && found.target) || {};
  const short = data.staffing.filter((row) => Number(row.shortfall) > 0).length;
  $("staffing-note").textContent = `${queue}, ${found.date || f.from}: agents needed for ${percent(target.service_level)} answered in `
    + `${target.threshold_seconds ?? "–"} s, ${found.aht_seconds ? `with AHT ${formatDuration(found.aht_seconds)}` : "no AHT measured yet"}`
    + `${found.patience_seconds ? ` and callers' patience ${formatDuration(found.patience_seconds)}` : ""}. `
    + (short ? `${short} interval${short === 1 ? "" : "s"} need part-timers (highlighted).` : "Full-time agents cover every interval.");
  renderTable($("staffing-table"), "staffing", data.staffing, "No forecast for this day");
  staffingChart($("staffing-chart"), data.staffing);
}

async function load(queues) {
  const f = filters();
  if (!validate(f)) return;
  history.replaceState(null, "", `reports?${new URLSearchParams(Object.entries(f).filter(([, v]) => v))}`);
  const button = $("apply");
  button.disabled = true;
  $("main").setAttribute("aria-busy", "true");
  try {
    const staffing = loadStaffing(f, queues).then(() => null, (error) => error);
    const [summary, intervals, agents] = await Promise.all([
      api("GET", `api/reports/summary?${query(f, ["queue", "agent", "channel"])}`),
      api("GET", `api/reports/intervals?${query(f, ["queue", "agent", "channel", "interval"])}`),
      api("GET", `api/reports/agents?${query(f, ["queue", "channel"])}`),
    ]);
    data.summary = [summary || {}];
    const size = (intervals && intervals.interval) || f.interval;
    data.intervals = ((intervals && intervals.intervals) || []).map((row) => ({ ...row, shown: intervalLabel(row, size, f.from !== f.to) }));
    data.agents = (agents && agents.agents) || [];
    $("period").textContent = `${f.from === f.to ? f.from : `${f.from} to ${f.to}`}${summary && summary.timezone ? ` · times in ${summary.timezone}` : ""}`;
    renderTiles(data.summary[0]);
    renderTable($("intervals-table"), "intervals", data.intervals);
    intervalsChart($("intervals-chart"), data.intervals);
    renderTable($("agents-table"), "agents", data.agents, "No agent handled a contact in this period");
    agentsChart($("agents-chart"), data.agents);
    showError(null);
    if (drill) {
      drill.query = drillQuery(f, drill.outcome);
      await loadDrill(false);
    }
    const failed = await staffing;
    if (failed) throw failed;
    announce("Report updated.");
  } catch (error) {
    // A refusal that names a filter ("to": a range too long) goes under that field.
    if (error.path && fields.includes(error.path)) fieldError(error.path, error.message);
    else showError(error);
  } finally {
    button.disabled = false;
    $("main").setAttribute("aria-busy", "false");
  }
}

async function options() {
  const [queues, users] = await Promise.all([
    api("GET", "api/queues").catch(() => null), api("GET", "api/users").catch(() => null)]);
  const names = ((queues && queues.queues) || []).map((queue) => queue.name);
  form.elements.queue.append(...names.map((name) => el("option", { value: name }, name)));
  for (const user of (users && users.users) || []) agentNames.set(user.id, user.name || user.email);
  form.elements.agent.append(...[...agentNames].map(([id, name]) => el("option", { value: id }, name)));
  return names;
}

function wireCsv() {
  for (const button of document.querySelectorAll("[data-csv]")) {
    button.addEventListener("click", () => {
      const name = button.dataset.csv;
      const f = filters();
      download(`hotline-${name}-${f.from}${f.to !== f.from ? `-to-${f.to}` : ""}.csv`, toCsv(name, data[name]));
    });
  }
}

async function start(current) {
  setUpChrome(current, "reports");
  const wanted = new URLSearchParams(location.search);
  const queues = await options();
  form.elements.from.value = wanted.get("from") || today();
  form.elements.to.value = wanted.get("to") || form.elements.from.value;
  for (const name of ["queue", "agent", "channel", "interval"]) {
    if (wanted.get(name)) form.elements[name].value = wanted.get(name);
  }
  form.addEventListener("submit", (event) => { event.preventDefault(); load(queues); });
  $("drill-close").addEventListener("click", closeDrill);
  wireCsv();
  renderTiles({});
  // The staffing table is open on a wide screen; on a phone it is one tap away.
  $("staffing-details").open = window.matchMedia("(min-width: 761px)").matches;
  await load(queues);
}

const current = requireSession(["supervisor", "owner", "admin"]);
if (current) start(current);
