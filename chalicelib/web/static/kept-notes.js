// The task panel when the agent holds no task: the hint, or the notes kept from a wrap-up
// that ran out before it was saved, with "Add to the contact's notes" and Dismiss.
import { api } from "./api.js";
import { el } from "./dom.js";
import { formatPhone } from "./format.js";
import { forgetKept, keptNotes } from "./wrapup-notes.js";

// deps: { cardFor(number, fresh), showError(error), redraw(), saved(caller) }.
export function idlePanel(deps) {
  const kept = keptNotes();
  if (!kept) return el("div", { class: "empty" }, el("strong", {}, "No active task"),
    "A call or message you accept shows here. Set your status to Available to get work.");
  const text = el("textarea", { id: "kept-notes", rows: 4, readonly: true }, kept.notes);
  const done = () => { forgetKept(); deps.redraw(); };
  const addToContact = el("button", { class: "btn", type: "button" }, "Add to the contact's notes");
  addToContact.addEventListener("click", async () => {
    try {
      const card = await deps.cardFor(kept.caller, true);
      if (!card.contact) throw new Error("This caller has no contact record yet.");
      const notes = [card.contact.notes, kept.notes].filter(Boolean).join("\n");
      await api("PATCH", `api/contacts/${encodeURIComponent(card.contact.id)}`, { notes });
      done();
      deps.saved(kept.caller);
    } catch (error) { deps.showError(error); }
  });
  return el("div", { class: "kept", "data-testid": "kept-notes" },
    el("p", { class: "alert warning" }, `Wrap-up time ran out for the call with ${formatPhone(kept.caller)}. Your notes were kept:`),
    el("label", { for: "kept-notes" }, "Unsaved wrap-up notes"), text,
    el("div", { class: "actions" }, addToContact, el("button", { class: "btn", type: "button", onclick: done }, "Dismiss")));
}
