// Small form pieces the admin page's editors share: a number with its unit, a row of
// fields, and skills written as a list or as the routing expression they stand for.
import { el } from "./dom.js";

export function fieldRow(...fields) {
  return el("div", { class: "form-row" }, fields);
}

export function numberField(id, name, label, value, { min, max, unit, hint } = {}) {
  const described = [hint ? `${id}-hint` : null, `${id}-error`].filter(Boolean).join(" ");
  return el("div", { class: "field" },
    el("label", { for: id }, label),
    el("div", { class: "with-unit" },
      el("input", { id, name, type: "number", inputmode: "numeric", min, max, step: 1, value: value ?? "", "aria-describedby": described }),
      unit ? el("span", { class: "unit" }, unit) : null),
    hint ? el("p", { class: "hint", id: `${id}-hint` }, hint) : null,
    el("p", { class: "error", id: `${id}-error`, "data-error-for": name }));
}

const ALL_SKILLS = /^\s*skills\s+HAS\s+"([^"\\]+)"((\s+(AND|&&)\s+skills\s+HAS\s+"[^"\\]+")*)\s*$/i;

// The skills a worker expression asks for, when it is only `skills HAS "x" AND ...`
// ([] for no expression); null when it says something else.
export function skillsFrom(expression) {
  const text = (expression || "").trim();
  if (!text) return [];
  if (!ALL_SKILLS.test(text)) return null;
  return [...text.matchAll(/"([^"\\]+)"/g)].map((match) => match[1]);
}

export function skillList(text) {
  return [...new Set((text || "").split(",").map((skill) => skill.replace(/["\\]/g, "").trim()).filter(Boolean))];
}

export function skillsExpression(text) {
  return skillList(text).map((skill) => `skills HAS "${skill}"`).join(" AND ");
}
