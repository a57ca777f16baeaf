// The bill page (owners and admins): a month's usage by kind, the invoice with its line
// items, the usage records, and the invoice as a CSV download.
// API: GET api/usage?month=YYYY-MM[&cursor=], GET api/invoices/YYYY-MM(.csv), GET api/tenant.
import { api, requireSession, session } from "./api.js";
import { el, replace, announce } from "./dom.js";
import { setUpChrome } from "./chrome.js";
import { dataTable } from "./table.js";

const $ = (id) => document.getElementById(id);
const KINDS = {
  voice_in_minutes: ["Voice, inbound", "minutes"],
  voice_out_minutes: ["Voice, outbound", "minutes"],
  sms_in_segments: ["SMS, inbound", "segments"],
  sms_out_segments: ["SMS, outbound", "segments"],
  whatsapp_in: ["WhatsApp, inbound", "messages"],
  whatsapp_out: ["WhatsApp, outbound", "messages"],
  chat_conversations: ["Web chat", "conversations"],
  numbers: ["Phone numbers", "numbers"],
  recording_minutes: ["Recordings", "minutes"],
};
let shown = { month: "", cursor: null };
let cap = null;

function thisMonth() {
  const now = new Date();
  return `${now.getFullYear()}-${String(now.getMonth() + 1).padStart(2, "0")}`;
}

function money(amount, currency, unitPrice = false) {
  const value = Number(amount);
  if (Number.isNaN(value)) return String(amount ?? "");
  const digits = unitPrice ? { minimumFractionDigits: 2, maximumFractionDigits: 4 } : {};
  try {
    return value.toLocaleString(undefined, { style: "currency", currency: currency || "USD", ...digits });
  } catch (_unknownCurrency) {
    return `${value.toFixed(unitPrice ? 4 : 2)} ${currency || ""}`.trim();
  }
}

function monthName(month) {
  const [year, number] = month.split("-").map(Number);
  return new Date(Date.UTC(year, number - 1, 15)).toLocaleDateString(undefined, { month: "long", year: "numeric", timeZone: "UTC" });
}

function kpi(label, value, hint, extra = {}) {
  return el("div", { class: `bill-kpi${extra.warn ? " warn" : ""}`, "data-testid": extra.testid || null },
    el("div", { class: "label" }, label), el("div", { class: "value" }, value),
    hint ? el("div", { class: "hint" }, hint) : null);
}

function renderSummary(invoice, usage) {
  const current = invoice.month === thisMonth();
  const total = Number(invoice.total);
  const kpis = [
    kpi(current ? "Total so far" : "Total", money(invoice.total, invoice.currency),
      current ? "updated as calls and messages end" : null, { testid: "bill-total" }),
    kpi("Plan", invoice.plan || "Pay as you go", invoice.currency),
    kpi("Status", invoice.status === "final" ? "Final" : "Open", invoice.status === "final" ? "the month is over" : "the month is running"),
  ];
  if (cap !== null && cap !== undefined && current) {
    const reached = total >= Number(cap);
    kpis.push(kpi("Spending cap", money(cap, invoice.currency),
      reached ? "reached: outbound calls and messages are blocked" : `${money(Math.max(0, cap - total), invoice.currency)} left this month`,
      { warn: reached, testid: "bill-cap" }));
  }
  replace($("summary"), kpis);
  $("period").textContent = `${monthName(invoice.month)} · ${usage.timezone || ""}`;
}

function renderInvoice(invoice) {
  const status = invoice.status === "final" ? el("span", { class: "badge green" }, "Final") : el("span", { class: "badge blue" }, "Open");
  replace($("invoice-status"), status);
  const lines = invoice.lines || [];
  if (!lines.length) {
    replace($("invoice"), el("p", { class: "muted" }, "Nothing billed this month."));
    return;
  }
  const rows = lines.map((line) => ({
    attrs: { "data-kind": line.kind },
    cells: [line.description, String(line.quantity), String(line.included), String(line.billable),
      line.unit || "", money(line.unit_price, invoice.currency, true), money(line.amount, invoice.currency)],
  }));
  rows.push({ attrs: { class: "bill-total" },
    cells: ["Total", "", "", "", "", "", money(invoice.total, invoice.currency)] });
  replace($("invoice"), dataTable(`Invoice for ${invoice.month}`, [
    { label: "Line" }, { label: "Quantity", num: true }, { label: "Included", num: true },
    { label: "Billable", num: true }, { label: "Unit" }, { label: "Unit price", num: true },
    { label: "Amount", num: true }], rows));
}

function renderUsage(usage) {
  const totals = usage.totals || {};
  const rows = Object.keys(KINDS).map((kind) => ({
    attrs: { "data-kind": kind },
    cells: [KINDS[kind][0], String(totals[kind] ?? 0), KINDS[kind][1]],
  }));
  replace($("usage"), dataTable("Usage by kind", [{ label: "Kind" }, { label: "Units", num: true }, { label: "Unit" }], rows));
}

function recordRows(records) {
  return records.map((record) => ({
    cells: [(KINDS[record.kind] || [record.kind])[0], record.source, String(record.quantity),
      new Date(record.at).toLocaleString(), record.detail || ""],
  }));
}

function renderRecords(usage, append) {
  const columns = [{ label: "Kind" }, { label: "Source" }, { label: "Units", num: true }, { label: "When" }, { label: "Detail" }];
  const box = $("records");
  const rows = recordRows(usage.records || []);
  if (!append) {
    replace(box, rows.length ? dataTable("Usage records", columns, rows) : el("p", { class: "muted" }, "No usage recorded this month."));
  } else if (rows.length) {
    box.append(dataTable("More usage records", columns, rows));
  }
  shown.cursor = usage.next || null;
  $("more-records").hidden = !shown.cursor;
}

async function load(month) {
  $("bill-error").textContent = "";
  shown = { month, cursor: null };
  try {
    const [usage, invoice] = await Promise.all([
      api("GET", `api/usage?month=${month}`),
      api("GET", `api/invoices/${month}`),
    ]);
    renderSummary(invoice, usage);
    renderInvoice(invoice);
    renderUsage(usage);
    renderRecords(usage, false);
    announce(`Bill for ${monthName(month)}: ${money(invoice.total, invoice.currency)}`);
  } catch (error) {
    $("bill-error").textContent = error.message;
  }
}

async function moreRecords() {
  if (!shown.cursor) return;
  try {
    const usage = await api("GET", `api/usage?month=${shown.month}&cursor=${encodeURIComponent(shown.cursor)}`);
    renderRecords(usage, true);
  } catch (error) {
    $("bill-error").textContent = error.message;
  }
}

async function downloadCsv() {
  const month = $("month").value || thisMonth();
  const current = session();
  let response;
  try {
    response = await fetch(`api/invoices/${month}.csv`, {
      headers: { Authorization: `Bearer ${current ? current.token : ""}`, Accept: "text/csv" },
      cache: "no-store",
    });
  } catch (_offline) {
    $("bill-error").textContent = "Hotline can't be reached. Check your connection and try again.";
    return;
  }
  if (!response.ok) {
    $("bill-error").textContent = `The invoice could not be downloaded (${response.status}).`;
    return;
  }
  const url = URL.createObjectURL(await response.blob());
  const link = el("a", { href: url, download: `invoice-${month}.csv`, hidden: true });
  document.body.append(link);
  link.click();
  link.remove();
  window.setTimeout(() => URL.revokeObjectURL(url), 1000);
  announce(`Invoice for ${monthName(month)} downloaded`);
}

async function start() {
  const current = requireSession(["owner", "admin"]);
  if (!current) return;
  setUpChrome(current, "bill");
  const picker = $("month");
  const wanted = new URLSearchParams(window.location.search).get("month");
  picker.value = /^\d{4}-(0[1-9]|1[0-2])$/.test(wanted || "") ? wanted : thisMonth();
  picker.max = thisMonth();
  picker.addEventListener("change", () => { if (picker.value) load(picker.value); });
  $("month-form").addEventListener("submit", (event) => { event.preventDefault(); load(picker.value || thisMonth()); });
  $("download-csv").addEventListener("click", downloadCsv);
  $("more-records").addEventListener("click", moreRecords);
  try {
    const tenant = await api("GET", "api/tenant");
    const standing = tenant && tenant.standing;
    cap = standing && standing.spending_cap !== undefined ? standing.spending_cap : (tenant && tenant.spending_cap) ?? null;
  } catch (_noTenant) {
    cap = null;
  }
  await load(picker.value);
}

start();
