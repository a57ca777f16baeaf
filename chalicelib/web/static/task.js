// The active-task panel: a call in progress with its controls, then the wrap-up form with
// its countdown once the call ends; notes typed in wrap-up are never lost.
import { el, replace } from "./dom.js";
import { formatPhone, titleCase } from "./format.js";
import { showError, values, whileBusy } from "./forms.js";
import { tick } from "./clock.js";
import { callControls } from "./call-controls.js";
import { draftFor, saveDraft } from "./wrapup-notes.js";

export const DISPOSITIONS = ["Resolved", "Order placed", "Follow-up needed", "Wrong number", "Other"];

function wrapupForm(task, handlers) {
  const draft = draftFor(task.id);
  const select = el("select", { id: "wrapup-disposition", name: "disposition", required: true, "aria-describedby": "wrapup-disposition-error" },
    el("option", { value: "" }, "Choose an outcome…"),
    DISPOSITIONS.map((label) => el("option", { value: label, selected: label === draft.disposition }, label)));
  const notes = el("textarea", { id: "wrapup-notes", name: "notes", rows: 4, "aria-describedby": "wrapup-notes-error" }, draft.notes || "");
  const form = el("form", { class: "wrapup", novalidate: true, "aria-label": "Wrap-up" },
    el("p", { class: "alert error", "data-form-error": true, role: "alert" }),
    el("div", { class: "field" },
      el("label", { for: "wrapup-disposition" }, "Disposition"), select,
      el("p", { class: "error", id: "wrapup-disposition-error", "data-error-for": "disposition" })),
    el("div", { class: "field" },
      el("label", { for: "wrapup-notes" }, "Wrap-up notes"), notes,
      el("p", { class: "error", id: "wrapup-notes-error", "data-error-for": "notes" })),
    el("button", { class: "btn primary", type: "submit" }, "Finish wrap-up"));
  const keep = () => saveDraft(task, { disposition: select.value, notes: notes.value });
  form.addEventListener("input", keep);
  form.addEventListener("change", keep);
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const body = values(form);
    if (!body.disposition) {
      showError(form, { path: "disposition", message: "Choose a disposition." });
      return;
    }
    try {
      await whileBusy(form.querySelector("button[type=submit]"), "Saving…", () => handlers.onWrapup(task, body));
    } catch (error) {
      showError(form, error);
    }
  });
  return form;
}

function countdown(task, handlers) {
  if (!task.wrapupDeadline) return null;
  const extend = el("button", { class: "btn small", type: "button" }, "Extend");
  extend.addEventListener("click", async () => {
    extend.disabled = true;
    try { await handlers.onExtend(task); } finally { extend.disabled = false; }
  });
  return el("p", { class: "countdown", "data-testid": "wrapup-countdown" },
    "Wrap-up ends in ", el("span", { class: "timer small-timer", "data-until": task.wrapupDeadline, "data-testid": "wrapup-left" }, ""), " ", extend);
}

function header(task, badge) {
  const from = task.transferFrom;
  return [
    el("div", { class: "status-line" }, badge,
      task.queue ? el("span", { class: "badge" }, `Queue: ${task.queue}`) : null,
      el("span", { class: "badge" }, task.direction === "outbound" ? "Outbound call" : titleCase(task.channel))),
    el("p", { class: "caller", "data-testid": "task-caller" }, formatPhone(task.caller)),
    from ? el("p", { class: "small muted", "data-testid": "task-transfer-from" }, `Transferred by ${from.name} (${from.mode})`) : null,
  ];
}

// A voice task is connected once its conference has the agent (call.state "connected").
function stateBadge(task) {
  const call = task.call;
  if (task.channel === "voice" && (!call || call.state === "ringing")) return el("span", { class: "badge blue", "data-testid": "task-state" }, "Connecting…");
  return el("span", { class: "badge green", "data-testid": "task-state" }, el("span", { class: "dot available", "aria-hidden": "true" }), "Connected");
}

let live = null; // { key, controls, badge } for the task on screen

// Re-build only when the task or its status changes, so a half-typed wrap-up, an open
// keypad or transfer picker survive polls; the call's state updates in place.
export function renderTask(container, task, handlers) {
  const key = task ? `${task.id}:${task.status}` : "";
  if (container.dataset.key === key && container.childElementCount) {
    if (task && live && live.key === key && live.controls) {
      live.controls.update(task);
      live.badge.replaceWith(live.badge = stateBadge(task));
    }
    if (task && task.status === "wrapping") {
      const until = container.querySelector("[data-until]");
      if (until && task.wrapupDeadline) until.dataset.until = task.wrapupDeadline;
    }
    return false;
  }
  container.dataset.key = key;
  live = null;
  if (!task) {
    replace(container, handlers.empty ? handlers.empty() : el("div", { class: "empty" },
      el("strong", {}, "No active task"),
      "A call you accept shows here. Set your status to Available to get calls."));
    return true;
  }
  if (task.status === "assigned") {
    const badge = stateBadge(task);
    const controls = task.channel === "voice" ? callControls(task, handlers) : null;
    live = { key, controls, badge };
    replace(container, el("div", { class: "task", "data-task": task.id, "data-status": "assigned" },
      header(task, badge),
      el("p", {}, "On the call for ", el("span", { class: "timer", "data-since": task.since || Date.now() / 1000, "aria-label": "Call duration" }, "0:00")),
      controls ? controls.node : null));
  } else {
    replace(container, el("div", { class: "task", "data-task": task.id, "data-status": "wrapping" },
      header(task, el("span", { class: "badge amber", "data-testid": "task-state" }, "Wrap-up")),
      el("p", { class: "muted" }, "The call has ended. Record how it went to finish the task."),
      countdown(task, handlers),
      wrapupForm(task, handlers)));
  }
  tick(container);
  return true;
}
