// The contacts page: search (number, name, email, tag), a contact's details, duplicates,
// merge, its timeline on every channel, and CSV import and export.
import { api, requireSession, session } from "./api.js";
import { setUpChrome } from "./chrome.js";
import { el, replace } from "./dom.js";
import { formatPhone, formatWhen } from "./format.js";
import { showTimeline } from "./contacts-timeline.js";

const page = {
  form: document.getElementById("search-form"),
  results: document.getElementById("results"),
  more: document.getElementById("more"),
  error: document.getElementById("search-error"),
  detail: document.getElementById("detail"),
  importBox: document.getElementById("import-box"),
  importReport: document.getElementById("import-report"),
};
let cursor = null;
let fields = [];
let canManage = false;

function searchQuery() {
  const data = new FormData(page.form);
  const params = new URLSearchParams();
  for (const name of ["q", "tag"]) {
    const value = String(data.get(name) || "").trim();
    if (value) params.set(name, value);
  }
  return params;
}

function resultItem(contact) {
  return el("li", {},
    el("button", { type: "button", "data-contact": contact.id, onclick: () => openContact(contact.id) },
      el("div", { class: "line" },
        el("strong", {}, contact.name || formatPhone(contact.phone)),
        el("span", { class: "muted small" }, contact.name ? formatPhone(contact.phone) : "")),
      contact.company || contact.email ? el("div", { class: "small muted" },
        [contact.company, contact.email].filter(Boolean).join(" · ")) : null,
      contact.tags && contact.tags.length
        ? el("div", { class: "tags" }, contact.tags.map((tag) => el("span", { class: "badge blue" }, tag))) : null));
}

async function search(append = false) {
  page.error.textContent = "";
  const params = searchQuery();
  params.set("limit", "20");
  if (append && cursor) params.set("cursor", cursor);
  try {
    const found = await api("GET", `api/contacts?${params}`);
    if (!append) replace(page.results);
    for (const contact of found.contacts || []) page.results.append(resultItem(contact));
    cursor = found.next || null;
    page.more.hidden = !cursor;
    if (!page.results.children.length) page.results.append(el("li", { class: "muted" }, "No contacts match."));
  } catch (error) {
    page.error.textContent = error.message;
  }
}

function fieldValue(contact, field) {
  const value = (contact.fields || {})[field.name];
  return value === undefined || value === null ? "" : String(value);
}

function factsList(contact) {
  const rows = [["Phone", formatPhone(contact.phone)], ["Company", contact.company],
    ["Email", contact.email], ...fields.map((field) => [field.label, fieldValue(contact, field)]),
    ["First seen", contact.created_at ? formatWhen(contact.created_at) : ""]];
  return el("dl", { class: "facts" }, rows.filter(([, value]) => value).flatMap(([label, value]) =>
    [el("dt", {}, label), el("dd", {}, value)]));
}

function input(name, label, value, type = "text") {
  const id = `edit-${name}`;
  return el("div", { class: "field" }, el("label", { for: id }, label),
    el("input", { id, name, type, value: value || "" }));
}

function fieldInput(field, contact) {
  const id = `edit-field-${field.name}`;
  const value = fieldValue(contact, field);
  const control = field.type === "choice"
    ? el("select", { id, name: `field.${field.name}` }, el("option", { value: "" }, "—"),
      field.options.map((option) => el("option", { value: option, selected: option === value }, option)))
    : el("input", { id, name: `field.${field.name}`, value,
      type: field.type === "number" ? "number" : field.type === "date" ? "date" : "text" });
  return el("div", { class: "field" }, el("label", { for: id }, field.label), control);
}

function editForm(contact) {
  const error = el("p", { class: "alert error", role: "alert" });
  const form = el("form", { class: "edit-form", "aria-label": "Edit contact" },
    input("name", "Name", contact.name), input("company", "Company", contact.company),
    input("email", "Email", contact.email, "email"),
    input("tags", "Tags (comma separated)", (contact.tags || []).join(", ")),
    fields.map((field) => fieldInput(field, contact)),
    el("div", { class: "field" }, el("label", { for: "edit-notes" }, "Notes"),
      el("textarea", { id: "edit-notes", name: "notes", rows: 3 }, contact.notes || "")),
    error, el("button", { class: "btn primary", type: "submit" }, "Save"));
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const data = new FormData(form);
    const body = { fields: {} };
    for (const [name, value] of data.entries()) {
      if (name.startsWith("field.")) body.fields[name.slice(6)] = value || null;
      else if (name === "tags") body.tags = String(value).split(",").map((tag) => tag.trim()).filter(Boolean);
      else body[name] = String(value).trim() || null;
    }
    try {
      await api("PATCH", `api/contacts/${encodeURIComponent(contact.id)}`, body);
      await openContact(contact.id);
    } catch (failure) {
      error.textContent = failure.message;
    }
  });
  return el("details", {}, el("summary", {}, "Edit details"), form);
}

async function duplicatesList(contact) {
  const found = await api("GET", `api/contacts/${encodeURIComponent(contact.id)}/duplicates`);
  const items = found.duplicates || [];
  if (!items.length) return null;
  return el("section", { class: "duplicates", "aria-label": "Possible duplicates" },
    el("h2", {}, "Possible duplicates"),
    el("ul", {}, items.map(({ contact: other, reasons }) => el("li", {},
      el("span", {}, `${other.name || formatPhone(other.phone)} — same ${reasons.join(" and ")}`),
      canManage ? el("button", { class: "btn small", type: "button", "data-merge": other.id,
        onclick: () => merge(contact.id, other.id) }, "Merge into this contact") : null))));
}

async function mergesList(contact) {
  if (!(contact.merged_ids || []).length) return null;
  const found = await api("GET", `api/contacts/${encodeURIComponent(contact.id)}/merges`);
  const items = (found.merges || []).map((record) => {
    const other = record.merged_contact || {};
    const what = other.name || formatPhone(other.phone || record.merged_id);
    return el("li", { class: "small" }, `${what} merged in by ${record.by} on ${formatWhen(record.at)}`);
  });
  return items.length ? el("ul", { class: "merges", "aria-label": "Merges" }, items) : null;
}

async function merge(contactId, otherId) {
  await api("POST", `api/contacts/${encodeURIComponent(contactId)}/merge`, { other_id: otherId });
  await openContact(contactId);
  await search();
}

async function openContact(contactId) {
  for (const button of page.results.querySelectorAll("button[data-contact]")) {
    button.setAttribute("aria-current", String(button.dataset.contact === contactId));
  }
  try {
    const contact = await api("GET", `api/contacts/${encodeURIComponent(contactId)}`);
    const timeline = el("section", { "aria-label": "Timeline" });
    const merged = (contact.merged_ids || []).length;
    replace(page.detail,
      el("div", { class: "card-head" }, el("h2", { id: "contact-name" }, contact.name || formatPhone(contact.phone)),
        merged ? el("span", { class: "badge" }, `${merged} merged`) : null),
      contact.tags && contact.tags.length
        ? el("div", { class: "tags" }, contact.tags.map((tag) => el("span", { class: "badge blue" }, tag))) : null,
      factsList(contact), contact.notes ? el("p", { class: "notes" }, contact.notes) : null,
      await mergesList(contact), editForm(contact), await duplicatesList(contact), timeline);
    await showTimeline(timeline, contact.id);
  } catch (error) {
    replace(page.detail, el("p", { class: "alert error", role: "alert" }, error.message));
  }
}

async function exportCsv() {
  const params = searchQuery();
  const current = session();
  const response = await fetch(`api/contacts/export.csv?${params}`, {
    headers: current ? { Authorization: `Bearer ${current.token}` } : {},
  });
  if (!response.ok) {
    page.error.textContent = `Export failed (${response.status})`;
    return;
  }
  const link = el("a", { href: URL.createObjectURL(await response.blob()), download: "contacts.csv" });
  document.body.append(link);
  link.click();
  link.remove();
}

function importReport(report) {
  const summary = report.already_imported
    ? "This file was already imported: nothing changed."
    : `Imported ${report.imported} contacts; ${report.rejected_count} rows rejected.`;
  const rows = (report.rejected || []).map((row) => el("tr", {},
    el("td", {}, String(row.line)), el("td", {}, row.reason.replace(/_/g, " ")), el("td", {}, row.message)));
  replace(page.importReport, el("p", {}, summary), rows.length ? el("table", {},
    el("thead", {}, el("tr", {}, el("th", {}, "Line"), el("th", {}, "Reason"), el("th", {}, "Detail"))),
    el("tbody", {}, rows)) : null);
}

async function importFile() {
  const file = document.getElementById("import-file").files[0];
  if (!file) return;
  try {
    importReport(await api("POST", "api/contacts/import", { csv: await file.text() }));
    await search();
  } catch (error) {
    replace(page.importReport, el("p", { class: "alert error", role: "alert" }, error.message));
  }
}

const current = requireSession(["agent", "supervisor", "owner", "admin"]);
if (current) {
  setUpChrome(current, "contacts");
  canManage = ["supervisor", "owner", "admin"].includes(current.user && current.user.role);
  page.importBox.hidden = !canManage;
  page.form.addEventListener("submit", (event) => { event.preventDefault(); search(); });
  page.more.addEventListener("click", () => search(true));
  document.getElementById("export").addEventListener("click", exportCsv);
  document.getElementById("import").addEventListener("click", importFile);
  api("GET", "api/contact-fields").then((found) => { fields = found.fields || []; })
    .catch(() => { fields = []; })
    .finally(() => {
      const wanted = new URLSearchParams(window.location.search).get("contact");
      search().then(() => (wanted ? openContact(wanted) : null));
    });
}
