// The CRM card: who is calling, what they told us before, and their history.
import { api } from "./api.js";
import { el, replace } from "./dom.js";
import { showError, values, whileBusy } from "./forms.js";
import { formatDuration, formatPhone, formatWhen, initials, titleCase } from "./format.js";

// A contact and their interactions; a 404 means a new caller: { contact: null }.
export async function lookUp(phone) {
  let contact = null;
  try {
    const found = await api("GET", `api/contacts?phone=${encodeURIComponent(phone)}`);
    contact = (found.contacts || [])[0] || null;
  } catch (error) {
    if (error.status === 404) return { phone, contact: null, interactions: [] };
    throw error;
  }
  if (!contact) return { phone, contact: null, interactions: [] };
  const history = await api("GET", `api/contacts/${encodeURIComponent(contact.id)}/interactions`);
  return { phone, contact, interactions: history.interactions || [] };
}

// Interactions before the one in progress (`currentId`, the call being offered or taken).
function earlier(card, currentId) {
  return card.interactions.filter((item) => item.id !== currentId);
}

function previousLine(card, currentId) {
  const count = earlier(card, currentId).length;
  if (!count) return "First time calling";
  return count === 1 ? "1 earlier interaction" : `${count} earlier interactions`;
}

function displayName(card, currentId) {
  const name = card.contact && card.contact.name;
  if (name) return name;
  return earlier(card, currentId).length ? "Unnamed caller" : "New caller";
}

// The short form shown on an incoming offer.
export function summary(card, currentId = null) {
  const last = earlier(card, currentId)[0];
  return el("div", { class: "crm-summary", "data-testid": "offer-crm" },
    el("p", { class: "who-line" }, displayName(card, currentId)),
    el("p", { class: "muted small" }, previousLine(card, currentId)),
    last ? el("p", { class: "small" }, `Last: ${formatWhen(last.started_at)} · ${titleCase(last.disposition || last.outcome || last.status)}`) : null);
}

function outcomeBadge(item) {
  const outcome = item.outcome || item.status;
  const tone = outcome === "completed" ? "green" : ["abandoned", "missed", "no-answer", "failed"].includes(outcome) ? "red" : "blue";
  return el("span", { class: `badge ${tone}` }, titleCase(outcome));
}

function historyItem(item, currentId) {
  const facts = [];
  if (item.queue) facts.push(`Queue ${item.queue}`);
  if (item.queue_wait_seconds !== null && item.queue_wait_seconds !== undefined) facts.push(`waited ${formatDuration(item.queue_wait_seconds)}`);
  if (item.talk_seconds !== null && item.talk_seconds !== undefined) facts.push(`talked ${formatDuration(item.talk_seconds)}`);
  return el("li", { class: item.outcome || item.status || "", "data-interaction": item.id },
    el("div", { class: "line" },
      el("strong", {}, `${titleCase(item.direction)} ${item.channel}`),
      outcomeBadge(item),
      item.id === currentId ? el("span", { class: "badge amber" }, "This call") : null,
      item.disposition ? el("span", { class: "badge blue", "data-testid": "disposition" }, item.disposition) : null),
    el("div", { class: "when" }, [formatWhen(item.started_at), ...facts].join(" · ")),
    item.notes ? el("p", { class: "notes" }, item.notes) : null);
}

export function history(interactions, currentId = null) {
  if (!interactions.length) return el("p", { class: "muted" }, "No history yet.");
  return el("ol", { class: "history", "aria-label": "Contact history" },
    interactions.map((item) => historyItem(item, currentId)));
}

function field(id, label, name, value, kind = "input") {
  const control = kind === "textarea"
    ? el("textarea", { id, name, rows: 3 }, value || "")
    : el("input", { id, name, type: name === "email" ? "email" : "text", value: value || "", autocomplete: "off" });
  control.setAttribute("aria-describedby", `${id}-error`);
  return el("div", { class: "field" },
    el("label", { for: id }, label),
    control,
    el("p", { class: "error", id: `${id}-error`, "data-error-for": name }));
}

function editor(card, onSaved) {
  const saved = el("p", { class: "small muted", role: "status", "aria-live": "polite" });
  const form = el("form", { class: "crm-form", novalidate: true, "aria-label": "Edit contact" },
    el("p", { class: "alert error", "data-form-error": true, role: "alert" }),
    field("crm-name", "Name", "name", card.contact.name),
    field("crm-email", "Email", "email", card.contact.email),
    field("crm-notes", "Notes", "notes", card.contact.notes, "textarea"),
    el("div", { class: "actions" }, el("button", { class: "btn", type: "submit" }, "Save contact"), saved));
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const body = values(form);
    try {
      const updated = await whileBusy(form.querySelector("button[type=submit]"), "Saving…",
        () => api("PATCH", `api/contacts/${encodeURIComponent(card.contact.id)}`, body));
      card.contact = { ...card.contact, ...updated };
      saved.textContent = "Contact saved.";
      if (onSaved) onSaved(card);
    } catch (error) {
      saved.textContent = "";
      showError(form, error);
    }
  });
  return form;
}

// Company and tags, when the contact has them.
function aboutLine(contact) {
  if (!contact) return null;
  const parts = [contact.company, ...(contact.tags || []).map((tag) => `#${tag}`)].filter(Boolean);
  return parts.length ? el("div", { class: "small", "data-testid": "crm-about" }, parts.join(" · ")) : null;
}

// The full card: header, editable details (when the contact exists) and history.
// With `onCall(phone, contactId)`, the card has click-to-call.
export function renderCard(container, card, { editable = true, onSaved = null, currentId = null, onCall = null } = {}) {
  const name = card.contact && card.contact.name;
  const call = onCall ? el("button", { class: "btn small accept crm-call", type: "button", "aria-label": `Call ${formatPhone(card.phone)}`,
    onclick: () => onCall(card.phone, card.contact ? card.contact.id : null) }, "Call") : null;
  const head = el("div", { class: "crm-head" },
    el("span", { class: "avatar", "aria-hidden": "true" }, name ? initials(name) : "#"),
    el("div", { class: "crm-who" },
      el("h3", { class: "crm-name", "data-testid": "crm-name" }, displayName(card, currentId)),
      el("div", { class: "muted" }, formatPhone(card.phone), " · ", previousLine(card, currentId)),
      aboutLine(card.contact),
      card.contact ? el("a", { class: "small", href: `contacts?contact=${encodeURIComponent(card.contact.id)}`,
        target: "_blank", rel: "noopener", "data-testid": "crm-open" }, "Open in Contacts") : null),
    call);
  replace(container,
    head,
    card.contact && editable ? editor(card, onSaved) : null,
    card.contact ? null : el("p", { class: "muted" }, "No record for this number yet. The card fills in once the call is logged."),
    el("h3", {}, "History"),
    history(card.interactions, currentId));
}
