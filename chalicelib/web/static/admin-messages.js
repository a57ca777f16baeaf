// What callers hear (and texters read) when the business cannot take them: after hours,
// and while the service is suspended, closed or past its rental date.
// PUT api/tenant {"messages": {closed_hours, suspended, closed, expired}}: the four are
// sent together; an empty one goes back to the default, shown as the placeholder.
import { el } from "./dom.js";
import { clearErrors, showError, whileBusy } from "./forms.js";
import { saveTenant, savedNote } from "./admin-tenant.js";

const MESSAGES = [
  ["closed_hours", "After hours", "Said by your phone menu when you are closed (its flow reads it as {{hotline.closed_hours_message}})."],
  ["suspended", "While the service is suspended", "Callers hear it and are not queued; texts get it as the reply."],
  ["expired", "When the rental has run out", "The same, once the service's validity date has passed."],
  ["closed", "After the service is closed", "The same, for good: until your numbers are released."],
];

export function messagesForm(tenant) {
  const own = tenant.messages || {};
  const defaults = tenant.default_messages || {};
  const note = el("p", { class: "small muted", role: "status" });
  const form = el("form", { novalidate: true, id: "messages-form" },
    el("p", { class: "alert error", "data-form-error": true, role: "alert" }),
    el("div", { class: "grid-2 messages-grid" }, MESSAGES.map(([key, label, hint]) => el("div", { class: "field" },
      el("label", { for: `message-${key}` }, label),
      el("textarea", { id: `message-${key}`, name: `messages.${key}`, rows: 3, maxlength: 500,
        placeholder: defaults[key] || "", "aria-describedby": `message-${key}-hint message-${key}-error` }, own[key] || ""),
      el("p", { class: "hint", id: `message-${key}-hint` }, hint, " Empty: the default shown in grey."),
      el("p", { class: "error", id: `message-${key}-error`, "data-error-for": `messages.${key}` })))),
    el("div", { class: "actions" }, el("button", { class: "btn primary", type: "submit" }, "Save messages"), note));
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    clearErrors(form);
    const messages = {};
    for (const [key] of MESSAGES) messages[key] = form.elements.namedItem(`messages.${key}`).value.trim();
    try {
      const updated = await whileBusy(form.querySelector("button[type=submit]"), "Saving…",
        () => saveTenant({ messages }));
      for (const [key] of MESSAGES) form.elements.namedItem(`messages.${key}`).value = (updated.messages || {})[key] || "";
      savedNote(note, "Messages saved.");
    } catch (error) {
      note.textContent = "";
      showError(form, error);
    }
  });
  return form;
}
