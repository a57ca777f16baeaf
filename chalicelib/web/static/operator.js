// The operator's console: every business the platform rents to, its standing and terms,
// its usage and bill, and the shared numbers. Operators only; no tenant's customer data.
import { api, requireSession } from "./api.js";
import { announce, el, replace } from "./dom.js";
import { formatPhone } from "./format.js";
import { setUpChrome } from "./chrome.js";
import { dataTable } from "./table.js";
import { showTerms } from "./operator-terms.js";
import { invoiceTotal, thisMonth } from "./operator-bill.js";
import { localDate, standingBadge } from "./operator-format.js";

const state = { tenants: [], spend: new Map(), spendAvailable: true, selected: null };

function summary(tenants) {
  const counts = { active: 0, suspended: 0, expired: 0, closed: 0 };
  for (const tenant of tenants) counts[(tenant.standing && tenant.standing.reason) || "active"] += 1;
  const parts = [`${tenants.length} ${tenants.length === 1 ? "business" : "businesses"}`];
  for (const [name, count] of Object.entries(counts)) if (count) parts.push(`${count} ${name}`);
  return parts.join(" · ");
}

function spendCell(tenant) {
  if (!state.spendAvailable) return el("span", { class: "muted", title: "Billing isn't available on this server" }, "–");
  const total = state.spend.get(tenant.id);
  if (total === undefined) return el("span", { class: "muted" }, "…");
  return total === null ? el("span", { class: "muted" }, "–") : total;
}

function numbersCell(tenant) {
  if (!tenant.numbers.length) return el("span", { class: "muted" }, "None");
  return el("span", { class: "op-numbers" }, tenant.numbers.map((n) => el("span", {}, formatPhone(n))));
}

function validCell(tenant) {
  if (!tenant.valid_until) return el("span", { class: "muted" }, "No end date");
  return localDate(tenant.valid_until, tenant.timezone);
}

function visible() {
  const filter = document.getElementById("tenant-filter").value.trim().toLowerCase();
  if (!filter) return state.tenants;
  return state.tenants.filter((t) => t.name.toLowerCase().includes(filter) || t.id.toLowerCase().includes(filter)
    || t.numbers.some((n) => n.includes(filter)));
}

function renderTable() {
  const body = document.getElementById("tenants-body");
  const tenants = visible();
  if (!state.tenants.length) {
    replace(body, el("div", { class: "empty" }, el("strong", {}, "No businesses yet"),
      "Businesses appear here when they sign up."));
    return;
  }
  if (!tenants.length) {
    replace(body, el("p", { class: "muted" }, "No business matches that search."));
    return;
  }
  const columns = [{ label: "Business" }, { label: "Status" }, { label: "Valid until" }, { label: "Numbers" },
    { label: "Users", num: true }, { label: "Spent this month", num: true }];
  const rows = tenants.map((tenant) => ({
    attrs: { "data-tenant": tenant.id, class: tenant.id === state.selected ? "op-selected" : null },
    cells: [
      el("span", { class: "op-name" },
        el("button", { type: "button", class: "op-open", "data-open": tenant.id, onclick: () => open(tenant.id) }, tenant.name),
        el("span", { class: "muted small op-id" }, tenant.id)),
      standingBadge(tenant),
      validCell(tenant),
      numbersCell(tenant),
      String(tenant.users),
      spendCell(tenant),
    ],
  }));
  replace(body, dataTable("Businesses on the platform", columns, rows));
}

// This month's invoice total per business, four requests at a time.
async function loadSpend() {
  const month = thisMonth();
  const queue = [...state.tenants];
  const worker = async () => {
    while (queue.length && state.spendAvailable) {
      const tenant = queue.shift();
      try {
        state.spend.set(tenant.id, await invoiceTotal(tenant.id, month));
      } catch (error) {
        // Not Hotline's own error shape: the billing route isn't on this server at all.
        if (error.code === "error" && [403, 404].includes(error.status)) state.spendAvailable = false;
        state.spend.set(tenant.id, null);
      }
      renderTable();
    }
  };
  await Promise.all([worker(), worker(), worker(), worker()]);
}

async function loadTenants() {
  const errorSlot = document.getElementById("tenants-error");
  try {
    const answer = await api("GET", "api/operator/tenants");
    state.tenants = answer.tenants || [];
    errorSlot.textContent = "";
  } catch (error) {
    errorSlot.textContent = `The businesses could not be loaded: ${error.message}`;
    replace(document.getElementById("tenants-body"));
    return;
  }
  document.getElementById("summary").textContent = summary(state.tenants);
  renderTable();
  loadSpend();
  const wanted = new URLSearchParams(window.location.hash.slice(1)).get("tenant");
  if (wanted && state.tenants.some((t) => t.id === wanted)) open(wanted, false);
}

function updated(view) {
  state.tenants = state.tenants.map((t) => (t.id === view.id ? view : t));
  document.getElementById("summary").textContent = summary(state.tenants);
  renderTable();
  announce(`${view.name} saved.`);
}

function open(tenantId, focus = true) {
  const tenant = state.tenants.find((t) => t.id === tenantId);
  if (!tenant) return;
  state.selected = tenantId;
  history.replaceState(null, "", `#tenant=${encodeURIComponent(tenantId)}`);
  renderTable();
  const section = document.getElementById("tenant-detail");
  section.hidden = false;
  showTerms(section, tenant, updated);
  if (focus) {
    section.scrollIntoView({ block: "start" });
    section.focus({ preventScroll: true });
  }
}

function close() {
  state.selected = null;
  document.getElementById("tenant-detail").hidden = true;
  history.replaceState(null, "", window.location.pathname + window.location.search);
  renderTable();
}

async function mountSharedNumbers() {
  const section = document.getElementById("shared-numbers");
  const body = document.getElementById("shared-numbers-body");
  let module;
  try {
    module = await import("./operator-numbers.js");
  } catch (_missing) {
    replace(body, el("p", { class: "muted" },
      "Shared numbers aren't available on this server yet. When they are, you'll set here which "
      + "businesses answer a shared number, each behind a menu key, and the greeting callers hear."));
    return;
  }
  try {
    replace(body);
    await module.mount(section, { api, tenants: () => state.tenants, body });
  } catch (error) {
    replace(body, el("p", { class: "alert error", role: "alert" }, `Shared numbers could not be shown: ${error.message}`));
  }
}

const current = requireSession(["operator"]);
if (current) {
  setUpChrome(current, "operator");
  document.getElementById("tenant-filter").addEventListener("input", renderTable);
  document.getElementById("close-detail").addEventListener("click", close);
  loadTenants();
  mountSharedNumbers();
}
