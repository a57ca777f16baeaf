// Wrap-up dispositions: the choices an agent picks when a contact ends.
// PUT api/tenant {"dispositions": [...]} (the list, in order; at least one).
import { el, replace } from "./dom.js";
import { clearErrors, showError, whileBusy } from "./forms.js";
import { saveTenant, savedNote } from "./admin-tenant.js";

const MAX = 30;

export function dispositionsForm(tenant) {
  let codes = [...(tenant.dispositions || [])];
  const note = el("p", { class: "small muted", role: "status" });
  const list = el("ul", { class: "pills", id: "disposition-list", "aria-label": "Dispositions" });
  const input = el("input", { id: "new-disposition", name: "new_disposition", maxlength: 64, autocomplete: "off", "aria-describedby": "new-disposition-error" });
  const form = el("form", { novalidate: true, id: "dispositions-form" },
    el("p", { class: "alert error", "data-form-error": true, role: "alert" }),
    list,
    el("div", { class: "field" },
      el("label", { for: "new-disposition" }, "New disposition"),
      el("div", { class: "inline-add" }, input, el("button", { class: "btn", type: "button", id: "add-disposition" }, "Add")),
      el("p", { class: "error", id: "new-disposition-error", "data-error-for": "new_disposition" })),
    el("div", { class: "actions" }, el("button", { class: "btn primary", type: "submit" }, "Save dispositions"), note));
  const draw = () => replace(list, codes.map((code) => el("li", { "data-disposition": code },
    el("span", {}, code),
    el("button", { class: "btn small", type: "button", "aria-label": `Remove ${code}`,
      onclick: () => { codes = codes.filter((c) => c !== code); draw(); } }, "Remove"))));
  const add = () => {
    clearErrors(form);
    const code = input.value.trim().replace(/\s+/g, " ");
    if (!code) return showError(form, { path: "new_disposition", message: "Type the disposition first." });
    if (codes.some((c) => c.toLowerCase() === code.toLowerCase())) return showError(form, { path: "new_disposition", message: `“${code}” is already in the list.` });
    if (codes.length >= MAX) return showError(form, { path: "new_disposition", message: `At most ${MAX} dispositions.` });
    codes.push(code);
    input.value = "";
    draw();
    return input.focus();
  };
  form.querySelector("#add-disposition").addEventListener("click", add);
  input.addEventListener("keydown", (event) => {
    if (event.key === "Enter") { event.preventDefault(); add(); }
  });
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    clearErrors(form);
    if (!codes.length) return showError(form, { message: "Keep at least one disposition." });
    try {
      const updated = await whileBusy(form.querySelector("button[type=submit]"), "Saving…",
        () => saveTenant({ dispositions: codes }));
      codes = [...(updated.dispositions || codes)];
      draw();
      savedNote(note, "Dispositions saved. Agents see them at their next wrap-up.");
    } catch (error) {
      note.textContent = "";
      showError(form, error);
    }
    return undefined;
  });
  draw();
  return form;
}
