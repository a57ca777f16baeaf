// Form helpers: read values, show an API error next to the field its `path` names.

export function values(form) {
  const out = {};
  for (const [name, value] of new FormData(form).entries()) {
    out[name] = typeof value === "string" ? value.trim() : value;
  }
  return out;
}

export function clearErrors(form) {
  for (const field of form.querySelectorAll("[aria-invalid]")) field.removeAttribute("aria-invalid");
  for (const slot of form.querySelectorAll("[data-error-for]")) slot.textContent = "";
  const alert = form.querySelector("[data-form-error]");
  if (alert) alert.textContent = "";
}

// Put the message by the named field when there is one, else in the form's alert.
export function showError(form, error) {
  clearErrors(form);
  const path = error && error.path;
  const field = path ? form.elements.namedItem(path) : null;
  const slot = path ? form.querySelector(`[data-error-for="${CSS.escape(path)}"]`) : null;
  if (field && slot && typeof field.focus === "function") {
    field.setAttribute("aria-invalid", "true");
    slot.textContent = error.message;
    field.focus();
    return;
  }
  const alert = form.querySelector("[data-form-error]");
  const where = path ? `${path}: ` : "";
  if (alert) alert.textContent = where + ((error && error.message) || "Something went wrong.");
}

// Run `work` with the submit button disabled and labelled as busy.
export async function whileBusy(button, busyLabel, work) {
  const label = button.textContent;
  button.disabled = true;
  button.setAttribute("aria-busy", "true");
  button.textContent = busyLabel;
  try {
    return await work();
  } finally {
    button.disabled = false;
    button.removeAttribute("aria-busy");
    button.textContent = label;
  }
}
