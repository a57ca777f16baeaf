// A tenant's usage and invoice in the operator's console, through the billing routes
// /api/operator/tenants/{id}/usage?month= and /invoices/YYYY-MM(.csv).
import { api, session } from "./api.js";
import { el, replace } from "./dom.js";
import { dataTable } from "./table.js";
import { money } from "./operator-format.js";

export function thisMonth() {
  const now = new Date();
  return `${now.getFullYear()}-${String(now.getMonth() + 1).padStart(2, "0")}`;
}

function base(tenantId) {
  return `api/operator/tenants/${encodeURIComponent(tenantId)}`;
}

export async function invoiceTotal(tenantId, month) {
  const invoice = await api("GET", `${base(tenantId)}/invoices/${month}`);
  return money(invoice.total, invoice.currency);
}

const LABELS = {
  voice_in_minutes: "Voice in (minutes)", voice_out_minutes: "Voice out (minutes)",
  sms_in_segments: "SMS in (segments)", sms_out_segments: "SMS out (segments)",
  whatsapp_in: "WhatsApp in", whatsapp_out: "WhatsApp out",
  chat_conversations: "Chat conversations", numbers: "Numbers", recording_minutes: "Recording (minutes)",
};

// Two narrow columns: a plain table at every width (no stacked cards on a phone).
function usageTable(usage) {
  const totals = usage.totals || {};
  const kinds = Object.keys(totals);
  if (!kinds.length) return el("p", { class: "muted" }, "No usage this month.");
  return el("div", { class: "table-wrap" }, el("table", { class: "data op-usage" },
    el("caption", { class: "visually-hidden" }, "Usage by kind"),
    el("thead", {}, el("tr", {}, el("th", { scope: "col" }, "Kind"), el("th", { scope: "col", class: "num" }, "Units"))),
    el("tbody", {}, kinds.map((kind) => el("tr", { "data-kind": kind },
      el("th", { scope: "row" }, LABELS[kind] || kind), el("td", { class: "num" }, String(totals[kind])))))));
}

function invoiceTable(invoice) {
  const rows = (invoice.lines || []).map((line) => ({
    cells: [line.description || line.kind, String(line.quantity ?? ""), String(line.included ?? ""),
      String(line.billable ?? ""), line.unit_price === undefined ? "" : money(line.unit_price, invoice.currency, 4),
      money(line.amount, invoice.currency)],
  }));
  const table = rows.length ? dataTable(`Invoice ${invoice.month}`, [{ label: "Line" }, { label: "Quantity", num: true },
    { label: "Included", num: true }, { label: "Billable", num: true }, { label: "Unit price", num: true },
    { label: "Amount", num: true }], rows) : el("p", { class: "muted" }, "Nothing billed this month.");
  return el("div", {},
    el("p", { class: "op-total" }, "Total ", el("strong", { "data-testid": "invoice-total" }, money(invoice.total, invoice.currency)),
      el("span", { class: `badge ${invoice.status === "final" ? "green" : "blue"}` }, invoice.status === "final" ? "Final" : "Open"),
      el("span", { class: "muted small" }, ` ${invoice.plan || ""}`)),
    table);
}

async function downloadCsv(tenantId, month, button) {
  const current = session();
  const response = await fetch(`${base(tenantId)}/invoices/${month}.csv`, {
    headers: { Authorization: `Bearer ${current ? current.token : ""}`, Accept: "text/csv" },
    cache: "no-store",
  });
  if (!response.ok) {
    button.after(el("span", { class: "error small" }, ` The CSV could not be downloaded (${response.status}).`));
    return;
  }
  const link = el("a", { href: URL.createObjectURL(await response.blob()), download: `invoice-${tenantId}-${month}.csv` });
  document.body.append(link);
  link.click();
  link.remove();
}

function unavailable(error) {
  return error.code === "error" && [403, 404].includes(error.status);
}

async function load(panel, tenantId, month) {
  const usageSlot = panel.querySelector("[data-usage]");
  const invoiceSlot = panel.querySelector("[data-invoice]");
  replace(usageSlot, el("p", { class: "muted" }, "Loading…"));
  replace(invoiceSlot, el("p", { class: "muted" }, "Loading…"));
  const [usage, invoice] = await Promise.allSettled([
    api("GET", `${base(tenantId)}/usage?month=${month}`),
    api("GET", `${base(tenantId)}/invoices/${month}`),
  ]);
  replace(usageSlot, usage.status === "fulfilled" ? usageTable(usage.value)
    : el("p", { class: "muted" }, unavailable(usage.reason) ? "Usage isn't available on this server." : usage.reason.message));
  replace(invoiceSlot, invoice.status === "fulfilled" ? invoiceTable(invoice.value)
    : el("p", { class: "muted" }, unavailable(invoice.reason) ? "Invoices aren't available on this server." : invoice.reason.message));
  panel.querySelector("[data-csv]").hidden = invoice.status !== "fulfilled";
}

export function showBill(container, tenant) {
  const month = el("input", { type: "month", id: "bill-month", value: thisMonth(), max: thisMonth() });
  const csv = el("button", { type: "button", class: "btn small", "data-csv": true }, "Download CSV");
  const panel = el("div", { class: "op-bill" },
    el("div", { class: "card-head" }, el("h3", {}, "Usage and bill"),
      el("div", { class: "actions" }, el("label", { for: "bill-month", class: "visually-hidden" }, "Month"), month, csv)),
    el("div", { class: "op-bill-grid" },
      el("div", {}, el("h4", {}, "Usage"), el("div", { "data-usage": true })),
      el("div", {}, el("h4", {}, "Invoice"), el("div", { "data-invoice": true }))));
  month.addEventListener("change", () => month.value && load(panel, tenant.id, month.value));
  csv.addEventListener("click", () => downloadCsv(tenant.id, month.value, csv));
  replace(container, panel);
  load(panel, tenant.id, month.value);
}
