// Transfer: a picker of queues, available agents (GET api/voice/directory) and a number,
// cold or warm; then, for a warm transfer, the consult state with Complete and Cancel.
import { api } from "./api.js";
import { el, replace } from "./dom.js";
import { titleCase } from "./format.js";
import { toE164 } from "./dialpad.js";

const NUMBER = "number";

function targetOptions(directory) {
  const queues = directory.queues || [];
  const agents = directory.agents || [];
  return [
    el("option", { value: "" }, "Choose who takes the call…"),
    queues.length ? el("optgroup", { label: "Queues" },
      queues.map((queue) => el("option", { value: `queue:${queue.name}` }, `Queue: ${queue.name}`))) : null,
    agents.length ? el("optgroup", { label: "Agents" },
      agents.map((agent) => el("option", { value: `agent:${agent.agent_id}`, disabled: !agent.available },
        `${agent.name} · ${agent.available ? "Available" : titleCase(agent.activity || "unavailable")}`))) : null,
    el("option", { value: NUMBER }, "A phone number…"),
  ];
}

function destination(choice, numberText) {
  if (choice === NUMBER) {
    const number = toE164(numberText);
    return number ? { number } : null;
  }
  const [kind, ...rest] = choice.split(":");
  return kind === "queue" ? { queue: rest.join(":") } : { agent: rest.join(":") };
}

function picker(task, actions, close) {
  const target = el("select", { id: "transfer-target", name: "target", "aria-describedby": "transfer-target-error" },
    el("option", { value: "" }, "Loading the directory…"));
  const number = el("input", { id: "transfer-number", name: "number", type: "tel", autocomplete: "off", placeholder: "+1 415 555 0123", "aria-describedby": "transfer-number-error" });
  const numberField = el("div", { class: "field", hidden: true },
    el("label", { for: "transfer-number" }, "Phone number"), number,
    el("p", { class: "error", id: "transfer-number-error", "data-error-for": "number" }));
  const targetError = el("p", { class: "error", id: "transfer-target-error", "data-error-for": "target" });
  const mode = (value, label, hint, checked) => el("label", { class: "choice" },
    el("input", { type: "radio", name: "mode", value, checked }),
    el("span", {}, el("strong", {}, label), el("span", { class: "muted small" }, hint)));
  const notes = el("textarea", { id: "transfer-notes", name: "notes", rows: 2, maxlength: 4000, placeholder: "What the next agent should know" });
  const submit = el("button", { class: "btn primary", type: "submit" }, "Transfer");
  const alert = el("p", { class: "alert error", role: "alert" });
  const form = el("form", { class: "transfer", novalidate: true, "aria-label": "Transfer the call" },
    alert,
    el("div", { class: "field" }, el("label", { for: "transfer-target" }, "Transfer to"), target, targetError),
    numberField,
    el("fieldset", { class: "modes" }, el("legend", {}, "How"),
      mode("cold", "Cold", "Hand the caller over now; you go to wrap-up.", true),
      mode("warm", "Warm", "Talk to them first while the caller holds.", false)),
    el("div", { class: "field" }, el("label", { for: "transfer-notes" }, "Notes for the next agent ", el("span", { class: "muted" }, "(optional)")), notes),
    el("div", { class: "actions" }, submit,
      el("button", { class: "btn", type: "button", onclick: close }, "Close")));
  target.addEventListener("change", () => {
    numberField.hidden = target.value !== NUMBER;
    if (!numberField.hidden) number.focus();
  });
  api("GET", "api/voice/directory")
    .then((directory) => replace(target, targetOptions(directory || {})))
    .catch((error) => { replace(target, targetOptions({})); alert.textContent = `The directory did not load: ${error.message}`; });
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    targetError.textContent = "";
    form.querySelector("#transfer-number-error").textContent = "";
    if (!target.value) { targetError.textContent = "Choose a queue, an agent or a number."; target.focus(); return; }
    const to = destination(target.value, number.value);
    if (!to) { form.querySelector("#transfer-number-error").textContent = "Enter a phone number with its area code, or +country code."; number.focus(); return; }
    const how = form.querySelector("input[name=mode]:checked").value;
    submit.disabled = true;
    try {
      const note = notes.value.trim();
      await actions.post("transfer", note ? { to, mode: how, notes: note } : { to, mode: how });
      alert.textContent = "";
      close();
    } catch (error) {
      alert.textContent = error.message;
    } finally {
      submit.disabled = false;
    }
  });
  return form;
}

function consult(transfer, actions) {
  const ringing = transfer.state === "ringing";
  const button = (label, cls, path) => {
    const node = el("button", { class: `btn ${cls}`, type: "button" }, label);
    node.addEventListener("click", async () => {
      node.disabled = true;
      try { await actions.post(path); } catch (error) { actions.showError(error); } finally { node.disabled = false; }
    });
    return node;
  };
  return el("div", { class: "consult", "data-testid": "consult", role: "status" },
    el("p", {}, el("strong", {}, ringing ? `Ringing ${transfer.targetName}…` : `Consulting with ${transfer.targetName}`)),
    el("p", { class: "muted small" }, "The caller is on hold. Complete to hand them over, or cancel to take them back."),
    el("div", { class: "actions" },
      button("Complete transfer", "primary", "transfer/complete"),
      button("Cancel transfer", "reject", "transfer/cancel")));
}

// {node, update(task), open()}: the consult state replaces the picker while it lasts.
export function transferPanel(actions) {
  const node = el("div", { class: "transfer-panel" });
  let state = "";
  let isOpen = false;
  let task = null;
  const render = () => {
    const transfer = task && task.call && task.call.transfer;
    const key = transfer ? `consult:${transfer.state}:${transfer.targetName}` : isOpen ? "picker" : "";
    if (key === state) return;
    state = key;
    if (transfer) replace(node, consult(transfer, actions));
    else if (isOpen) replace(node, picker(task, actions, () => { isOpen = false; render(); actions.onClose(); }));
    else replace(node);
  };
  return {
    node,
    update(next) { task = next; render(); },
    toggle() { isOpen = !isOpen; render(); if (isOpen) node.querySelector("select")?.focus(); return isOpen; },
  };
}
