// The owner's form over a flow draft: the prompts (what callers hear, the texts sent) and
// the options of each choice (the key pressed and the step it leads to). Every control is
// named by its JSON path in the draft, so a validation issue lands beside its field.
import { el, replace } from "./dom.js";
import { hasLiquid, isMenu, operatorLabel, menuOptions, newDigitOption, promptFields, readable, setConditionValue, subjectOf, typeInfo } from "./flow-model.js";

const KEYS = ["1", "2", "3", "4", "5", "6", "7", "8", "9", "0", "*", "#"];

// Steps in the order a caller meets them (from the trigger), then any unreachable ones.
export function stepOrder(definition) {
  const states = definition.states || [];
  const byName = new Map(states.map((state) => [state.name, state]));
  const seen = new Set();
  const order = [];
  const visit = (name) => {
    const queue = [name];
    while (queue.length) {
      const current = byName.get(queue.shift());
      if (!current || seen.has(current.name)) continue;
      seen.add(current.name);
      order.push(current);
      for (const transition of current.transitions || []) if (transition.next) queue.push(transition.next);
    }
  };
  visit(definition.initial_state);
  for (const state of states) visit(state.name);
  return order;
}

function editable(state, index) {
  return state.type === "split-based-on" || promptFields(state, index).length > 0;
}

function errorSlot(id, path) {
  return el("p", { class: "error", id, "data-error-for": path });
}

function destinationSelect(definition, id, path, value, label) {
  const choices = (definition.states || []).filter((state) => state.type !== "trigger");
  return el("select", { id, name: path, "aria-label": label, "aria-describedby": `${id}-error` },
    el("option", { value: "" }, "End here"),
    choices.map((state) => el("option", { value: state.name, selected: state.name === value },
      state.name)),
    value && !choices.some((state) => state.name === value) ? el("option", { value, selected: true }, `${value} (missing)`) : null);
}

export function createEditor(host, { onChange, onFocusState } = {}) {
  let definition = null;

  const changed = (structural) => { if (onChange) onChange({ structural }); };

  function promptField(state, index, field) {
    const id = `step-${index}-${field.key}`;
    const control = field.multiline
      ? el("textarea", { id, name: field.path, rows: 3, "aria-describedby": `${id}-error` }, field.value)
      : el("input", { id, name: field.path, value: field.value, "aria-describedby": `${id}-error` });
    const reads = el("q", {});
    const hint = el("p", { class: "hint", id: `${id}-hint` }, "Reads as ", reads,
      ". Keep the parts in {{ }} and {% %} as written: they are filled in during the call.");
    const explain = () => {
      hint.hidden = !hasLiquid(control.value);
      const text = readable(control.value).replace(/\s+/g, " ").trim();
      reads.textContent = text.length > 140 ? `${text.slice(0, 139).trimEnd()}…` : text;
    };
    explain();
    control.setAttribute("aria-describedby", `${id}-hint ${id}-error`);
    control.addEventListener("input", () => {
      state.properties = state.properties || {};
      state.properties[field.key] = control.value;
      explain();
      changed(false);
    });
    return el("div", { class: "field" }, el("label", { for: id }, field.label), control, hint, errorSlot(`${id}-error`, field.path));
  }

  function optionRow(state, index, option) {
    const transition = state.transitions[option.t];
    const id = `step-${index}-t${option.t}`;
    const goes = destinationSelect(definition, `${id}-next`, option.nextPath, option.next,
      option.event === "noMatch" ? "Otherwise, go to" : `${option.label} goes to`);
    goes.addEventListener("change", () => {
      if (goes.value) transition.next = goes.value;
      else delete transition.next;
      changed(true);
    });
    const nextField = el("div", { class: "field" },
      el("label", { for: `${id}-next` }, option.event === "noMatch" ? "Otherwise, go to" : "Goes to"), goes,
      errorSlot(`${id}-next-error`, option.nextPath));
    const rowClass = isMenu(state) ? "option-row digits" : "option-row";
    if (option.event !== "match") return el("div", { class: `${rowClass} otherwise`, "data-option": option.t }, el("div", { class: "field when" }, el("span", { class: "muted" }, option.label)), nextField);
    let what;
    if (option.editable) {
      const input = el("input", {
        id: `${id}-value`, name: option.valuePath, value: option.value, class: option.digits ? "key" : null,
        inputmode: option.digits ? "numeric" : null, autocomplete: "off", "aria-describedby": `${id}-value-error`,
      });
      input.addEventListener("input", () => {
        setConditionValue(transition.conditions[0], input.value.trim());
        changed(false);
      });
      what = el("div", { class: "field when" },
        el("label", { for: `${id}-value` }, option.digits ? "Key" : operatorLabel(option.type)), input,
        errorSlot(`${id}-value-error`, option.valuePath));
    } else {
      what = el("div", { class: "field when" }, el("span", { class: "label" }, "When"), el("span", {}, option.label));
    }
    const remove = el("button", { class: "btn small remove-option", type: "button", title: "Remove this option", "aria-label": `Remove option ${option.label}` }, "×");
    remove.addEventListener("click", () => {
      state.transitions.splice(option.t, 1);
      render(definition);
      changed(true);
      focusState(state.name);
    });
    return el("div", { class: rowClass, "data-option": option.t }, what, nextField, el("div", { class: "field remove" }, remove));
  }

  function addKey(state) {
    const used = new Set(menuOptions(state, 0).filter((o) => o.digits).flatMap((o) => o.value.split(",").map((v) => v.trim())));
    const digit = KEYS.find((key) => !used.has(key)) || "";
    const fallback = (state.transitions || []).find((t) => t.event === "noMatch");
    const option = newDigitOption(state, digit, fallback && fallback.next);
    const at = state.transitions.length;
    state.transitions.push(option);
    render(definition);
    changed(true);
    const index = definition.states.indexOf(state);
    const input = host.querySelector(`[name="${CSS.escape(`$.states[${index}].transitions[${at}].conditions[0].value`)}"]`);
    if (input) input.focus();
  }

  function choiceFields(state, index) {
    const options = menuOptions(state, index);
    const menu = isMenu(state);
    const subject = options.find((o) => o.type) ? subjectOf(state, state.transitions[options.find((o) => o.type).t].conditions[0]) : (state.properties || {}).input;
    return [
      el("p", { class: "hint small muted" }, menu ? "The keys callers press, and where each one leads." : ["Checks ", el("strong", {}, readable(subject) || "a value"), ": each value below leads to a step."]),
      el("div", { class: "options" }, options.map((option) => optionRow(state, index, option))),
      menu ? el("button", { class: "btn small", type: "button", onclick: () => addKey(state) }, "Add a key") : null,
    ];
  }

  function render(doc) {
    definition = doc;
    const states = doc.states || [];
    const steps = stepOrder(doc).filter((state) => editable(state, states.indexOf(state)));
    if (!steps.length) {
      replace(host, el("p", { class: "empty" }, el("strong", {}, "Nothing to edit here"), "This flow has no prompts or menus. Developers change it as JSON."));
      return;
    }
    replace(host, steps.map((state) => {
      const index = states.indexOf(state);
      const info = typeInfo(state.type);
      const fieldset = el("fieldset", { class: `step kind-${info.kind}`, "data-state": state.name, id: `step-${index}` },
        el("legend", {}, el("span", { class: "step-type" }, info.label), " ", el("span", { class: "step-name" }, state.name)),
        el("p", { class: "error", "data-error-for": `$.states[${index}]` }),
        state.type === "split-based-on" ? choiceFields(state, index) : promptFields(state, index).map((field) => promptField(state, index, field)));
      fieldset.addEventListener("focusin", () => { if (onFocusState) onFocusState(state.name); });
      return fieldset;
    }));
  }

  // Bring a step's fields into view and focus the first; false when it has none.
  function focusState(name) {
    for (const marked of host.querySelectorAll(".step.focused")) marked.classList.remove("focused");
    const fieldset = [...host.querySelectorAll(".step")].find((node) => node.dataset.state === name);
    if (!fieldset) return false;
    fieldset.classList.add("focused");
    fieldset.scrollIntoView({ block: "nearest" });
    const first = fieldset.querySelector("input, textarea, select");
    if (first) first.focus({ preventScroll: true });
    return true;
  }

  function clearIssues() {
    for (const field of host.querySelectorAll("[aria-invalid]")) field.removeAttribute("aria-invalid");
    for (const slot of host.querySelectorAll("[data-error-for]")) {
      slot.textContent = "";
      slot.classList.remove("warning");
    }
  }

  // Put each issue beside its field (or its step); return those with no place in the form.
  function showIssues(issues) {
    clearIssues();
    const leftover = [];
    let first = null;
    for (const issue of issues) {
      const path = issue.path || "";
      const control = path ? host.querySelector(`[name="${CSS.escape(path)}"]`) : null;
      const step = (path.match(/^\$\.states\[\d+\]/) || [])[0];
      const slot = host.querySelector(`[data-error-for="${CSS.escape(control ? path : step || "-")}"]`);
      if (!slot) {
        leftover.push(issue);
        continue;
      }
      const warning = issue.severity === "warning";
      slot.textContent = [slot.textContent, `${warning ? "Warning: " : ""}${issue.message}`].filter(Boolean).join(" ");
      if (warning) slot.classList.add("warning");
      if (control && !warning) control.setAttribute("aria-invalid", "true");
      if (!warning && !first) first = control || slot.closest(".step");
    }
    if (first) {
      first.scrollIntoView({ block: "center" });
      if (typeof first.focus === "function") first.focus({ preventScroll: true });
    }
    return leftover;
  }

  return { render, focusState, showIssues, clearIssues };
}
