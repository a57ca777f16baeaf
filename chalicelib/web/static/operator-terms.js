// One business in the operator's console: its facts, and the form for its terms (status,
// validity, media permissions, price plan, spending cap, grace days, seats).
import { api } from "./api.js";
import { el, replace } from "./dom.js";
import { formatPhone, formatWhen } from "./format.js";
import { showError, whileBusy } from "./forms.js";
import { showBill } from "./operator-bill.js";
import { lastDay, localDate, standingBadge } from "./operator-format.js";

const INBOUND = [["voice_in", "Voice calls in"], ["sms_in", "SMS in"], ["whatsapp_in", "WhatsApp in"], ["chat", "Web chat"]];
const OUTBOUND = [["voice_out", "Voice calls out"], ["sms_out", "SMS out"], ["whatsapp_out", "WhatsApp out"]];
const KINDS = [
  ["voice_in_minutes", "Voice in", "minute"], ["voice_out_minutes", "Voice out", "minute"],
  ["sms_in_segments", "SMS in", "segment"], ["sms_out_segments", "SMS out", "segment"],
  ["whatsapp_in", "WhatsApp in", "message"], ["whatsapp_out", "WhatsApp out", "message"],
  ["chat_conversations", "Web chat", "conversation"], ["numbers", "Phone numbers", "number-month"],
  ["recording_minutes", "Recordings", "minute"],
];

let counter = 0;

function field(label, input, hint, errorFor) {
  const id = input.id || `op-field-${(counter += 1)}`;
  input.id = id;
  const hintId = hint ? `${id}-hint` : null;
  const errorId = `${id}-error`;
  input.setAttribute("aria-describedby", [hintId, errorId].filter(Boolean).join(" "));
  return el("div", { class: "field" }, el("label", { for: id }, label), input,
    hint ? el("p", { class: "hint", id: hintId }, hint) : null,
    el("p", { class: "error", id: errorId, "data-error-for": errorFor || input.name }));
}

function numberInput(name, value, attrs = {}) {
  return el("input", { type: "number", name, inputmode: "decimal", value: value ?? "", ...attrs });
}

function facts(tenant) {
  const standing = tenant.standing || {};
  const rows = [
    ["Status", standingBadge(tenant)],
    ["Business id", el("code", {}, tenant.id)],
    ["Signed up", tenant.created_at ? formatWhen(Date.parse(tenant.created_at) / 1000) : "–"],
    ["Time zone", tenant.timezone || "UTC"],
    ["Numbers", tenant.numbers.length ? tenant.numbers.map(formatPhone).join(", ") : "None"],
    ["Users", `${tenant.users}${tenant.seats !== null && tenant.seats !== undefined ? ` of ${tenant.seats} seats` : ""}`],
  ];
  if (tenant.closed_at) rows.push(["Closed", formatWhen(Date.parse(tenant.closed_at) / 1000)]);
  if (standing.numbers_released_at) rows.push(["Numbers released", formatWhen(Date.parse(standing.numbers_released_at) / 1000)]);
  return el("dl", { class: "facts op-facts" }, rows.flatMap(([term, value]) => [el("dt", {}, term), el("dd", {}, value)]));
}

function permissionBoxes(title, names, permissions) {
  return el("fieldset", { class: "op-media" }, el("legend", {}, title),
    names.map(([name, label]) => el("label", { class: "toggle" },
      el("input", { type: "checkbox", name: `permissions.${name}`, checked: permissions[name] !== false }),
      el("span", {}, label))));
}

function planSection(plan) {
  const stored = plan || {};
  const useDefault = el("input", { type: "checkbox", name: "plan-default", checked: !plan });
  const rows = KINDS.map(([kind, label, unit]) => el("tr", {},
    el("th", { scope: "row" }, label, el("span", { class: "muted small" }, ` per ${unit}`)),
    el("td", {}, numberInput(`plan.prices.${kind}`, (stored.prices || {})[kind], { min: 0, step: "any", placeholder: "default", "aria-label": `${label}: price per ${unit}` })),
    el("td", {}, numberInput(`plan.included.${kind}`, (stored.included || {})[kind], { min: 0, step: 1, placeholder: "0", "aria-label": `${label}: ${unit}s included` }))));
  const details = el("div", { class: "op-plan", "data-plan": true, hidden: !plan },
    el("div", { class: "form-row" },
      field("Plan name", el("input", { name: "plan.name", value: stored.name || "", maxlength: 80, autocomplete: "off" }), null, "plan.name"),
      field("Monthly fee (USD)", numberInput("plan.monthly_fee", stored.monthly_fee ?? 0, { min: 0, step: "any" }), null, "plan.monthly_fee"),
      field("Monthly minimum (USD)", numberInput("plan.monthly_minimum", stored.monthly_minimum ?? 0, { min: 0, step: "any" }),
        "Usage below this is topped up to it.", "plan.monthly_minimum")),
    el("div", { class: "table-wrap" }, el("table", { class: "data op-prices" },
      el("caption", { class: "visually-hidden" }, "Prices and included units per kind"),
      el("thead", {}, el("tr", {}, el("th", { scope: "col" }, "Usage"), el("th", { scope: "col" }, "Price (USD)"), el("th", { scope: "col" }, "Included"))),
      el("tbody", {}, rows))),
    el("p", { class: "hint" }, "An empty price keeps the pay-as-you-go price for that kind."));
  useDefault.addEventListener("change", () => { details.hidden = useDefault.checked; });
  return el("fieldset", { class: "op-group" }, el("legend", {}, "Price plan"),
    el("label", { class: "toggle" }, useDefault, el("span", {}, "Pay as you go (the default plan: no fee, no minimum)")),
    details);
}

function numberOrNull(raw) {
  const text = String(raw ?? "").trim();
  if (text === "") return null;
  const value = Number(text);
  return Number.isNaN(value) ? text : value;
}

function planFrom(form) {
  if (form.elements.namedItem("plan-default").checked) return null;
  const value = (name) => form.elements.namedItem(name).value;
  const plan = { name: value("plan.name") || "Custom", currency: "USD",
    monthly_fee: numberOrNull(value("plan.monthly_fee")) ?? 0,
    monthly_minimum: numberOrNull(value("plan.monthly_minimum")) ?? 0, prices: {}, included: {} };
  for (const [kind] of KINDS) {
    const price = numberOrNull(value(`plan.prices.${kind}`));
    const included = numberOrNull(value(`plan.included.${kind}`));
    if (price !== null) plan.prices[kind] = price;
    if (included !== null) plan.included[kind] = included;
  }
  return plan;
}

function bodyFrom(form, initialDay) {
  const value = (name) => form.elements.namedItem(name).value;
  const body = {
    status: value("status"),
    release_grace_days: numberOrNull(value("release_grace_days")) ?? 0,
    seats: numberOrNull(value("seats")),
    spending_cap: numberOrNull(value("spending_cap")),
    permissions: {},
    plan: planFrom(form),
  };
  for (const [name] of [...INBOUND, ...OUTBOUND]) body.permissions[name] = form.elements.namedItem(`permissions.${name}`).checked;
  const day = value("valid_until");
  if (day !== initialDay) body.valid_until = day || null;
  return body;
}

function closingNote(status, grace) {
  if (status === "closed") return `Closing stops every call and message. Its numbers go back to the carrier ${grace} days after closing.`;
  if (status === "suspended") return "Suspending stops calls and messages until you reactivate it; nothing is released.";
  return "";
}

function termsForm(form, tenant, onSaved) {
  const initialDay = lastDay(tenant.valid_until, tenant.timezone);
  const status = el("select", { name: "status" }, ["active", "suspended", "closed"].map((s) =>
    el("option", { value: s, selected: tenant.status === s }, s[0].toUpperCase() + s.slice(1))));
  const grace = numberInput("release_grace_days", tenant.release_grace_days, { min: 0, max: 3650, step: 1 });
  const note = el("p", { class: "alert warning small", "data-status-note": true, role: "status" }, closingNote(tenant.status, tenant.release_grace_days));
  const showNote = () => { note.textContent = closingNote(status.value, grace.value || 0); };
  status.addEventListener("change", showNote);
  grace.addEventListener("input", showNote);
  const saved = el("p", { class: "alert success", role: "status", "data-saved": true });
  replace(form,
    el("p", { class: "alert error", "data-form-error": true, role: "alert" }),
    el("fieldset", { class: "op-group" }, el("legend", {}, "Rental"),
      el("div", { class: "form-row" },
        field("Status", status),
        field("Valid until", el("input", { type: "date", name: "valid_until", value: initialDay }),
          `Through this day in ${tenant.timezone || "UTC"}. Empty: no end date.`),
        field("Grace before numbers are released (days)", grace),
        field("Seats", numberInput("seats", tenant.seats, { min: 0, step: 1, placeholder: "No limit" }), "Empty: no limit.")),
      note),
    el("fieldset", { class: "op-group" }, el("legend", {}, "Media"),
      el("div", { class: "op-media-row" }, permissionBoxes("Inbound", INBOUND, tenant.permissions),
        permissionBoxes("Outbound", OUTBOUND, tenant.permissions)),
      el("p", { class: "error", "data-error-for": "permissions" })),
    planSection(tenant.plan),
    el("fieldset", { class: "op-group" }, el("legend", {}, "Spending"),
      el("div", { class: "op-narrow" },
        field("Monthly spending cap (USD)", numberInput("spending_cap", tenant.spending_cap, { min: 0, step: "any", placeholder: "No cap" }),
          "Outbound calls and messages stop once this month's bill reaches it. Empty: no cap."))),
    saved,
    el("div", { class: "actions" }, el("button", { class: "btn primary", type: "submit" }, "Save terms")));
  form.onsubmit = async (event) => {
    event.preventDefault();
    saved.textContent = "";
    try {
      const view = await whileBusy(form.querySelector("button[type=submit]"), "Saving…",
        () => api("PATCH", `api/operator/tenants/${encodeURIComponent(tenant.id)}`, bodyFrom(form, initialDay)));
      onSaved(view);
      showTerms(form.closest("section"), view, onSaved, `Saved. ${view.name} is ${view.standing && view.standing.active ? "active" : (view.standing && view.standing.reason) || view.status}.`);
    } catch (error) {
      showError(form, error);
    }
  };
}

export function showTerms(section, tenant, onSaved, message = "") {
  section.querySelector("#detail-title").replaceChildren(tenant.name);
  replace(section.querySelector("#detail-facts"), facts(tenant),
    tenant.valid_until ? el("p", { class: "muted small" }, `Rental valid through ${localDate(tenant.valid_until, tenant.timezone)}.`) : null);
  const form = section.querySelector("#terms-form");
  termsForm(form, tenant, onSaved);
  if (message) form.querySelector("[data-saved]").textContent = message;
  showBill(section.querySelector("#tenant-bill"), tenant);
}
