// The keypad (DTMF during a call) and the dialpad (an outbound call to a number).
import { el } from "./dom.js";

const KEYS = [["1", ""], ["2", "ABC"], ["3", "DEF"], ["4", "GHI"], ["5", "JKL"], ["6", "MNO"],
  ["7", "PQRS"], ["8", "TUV"], ["9", "WXYZ"], ["*", ""], ["0", "+"], ["#", ""]];

export function keypad(label, onKey) {
  return el("div", { class: "keypad", role: "group", "aria-label": label },
    KEYS.map(([key, letters]) => el("button", {
      class: "key", type: "button", "data-key": key, "aria-label": key === "*" ? "Star" : key === "#" ? "Pound" : key,
      onclick: () => onKey(key),
    }, el("span", { class: "digit" }, key), el("span", { class: "letters", "aria-hidden": "true" }, letters))));
}

// "+1 (415) 555-0123", "4155550123" or "+44 20 7946 0018" -> E.164, or null.
export function toE164(text) {
  const trimmed = String(text || "").trim();
  const digits = trimmed.replace(/[^\d]/g, "");
  if (trimmed.startsWith("+")) return digits.length >= 8 && digits.length <= 15 ? `+${digits}` : null;
  if (digits.length === 10) return `+1${digits}`;
  if (digits.length === 11 && digits.startsWith("1")) return `+${digits}`;
  return null;
}

// A number field, the keypad typing into it, and Call. onCall(e164) places the call.
export function dialpad(onCall) {
  const input = el("input", { id: "dial-number", name: "to", type: "tel", autocomplete: "off", placeholder: "+1 415 555 0123", "aria-describedby": "dial-number-error" });
  const error = el("p", { class: "error", id: "dial-number-error", "data-error-for": "to" });
  const call = el("button", { class: "btn accept", type: "submit" }, "Call");
  const form = el("form", { class: "dialpad", novalidate: true, "aria-label": "Dialpad" },
    el("p", { class: "alert error", "data-form-error": true, role: "alert" }),
    el("div", { class: "field" }, el("label", { for: "dial-number" }, "Number to call"), input, error),
    keypad("Dialpad keys", (key) => { input.value += key; input.focus(); }),
    el("div", { class: "actions" }, call));
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const to = toE164(input.value);
    error.textContent = "";
    input.removeAttribute("aria-invalid");
    if (!to) {
      error.textContent = "Enter a phone number with its area code, or +country code.";
      input.setAttribute("aria-invalid", "true");
      input.focus();
      return;
    }
    await onCall(to, form);
  });
  return form;
}
