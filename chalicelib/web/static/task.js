// The selected task's panel: a call in progress with its controls, then the wrap-up form
// with its countdown once the call ends; an SMS/WhatsApp/chat thread with its reply box, or
// a voicemail with its player, each with its own wrap-up. Notes typed are never lost.
import { el, replace } from "./dom.js";
import { channelName, formatPhone, titleCase } from "./format.js";
import { showError, values, whileBusy } from "./forms.js";
import { tick } from "./clock.js";
import { callControls } from "./call-controls.js";
import { draftFor, saveDraft } from "./wrapup-notes.js";
import { bareNumber, isMessageTask, threadPanel } from "./thread.js";
import { voicemailPanel } from "./voicemail.js";

export const DISPOSITIONS = ["Resolved", "Order placed", "Follow-up needed", "Wrong number", "Other"];

function wrapupForm(task, handlers, submitLabel = "Finish wrap-up") {
  const draft = draftFor(task.id);
  const dispositions = (handlers.dispositions && handlers.dispositions()) || DISPOSITIONS;
  const select = el("select", { id: "wrapup-disposition", name: "disposition", required: true, "aria-describedby": "wrapup-disposition-error" },
    el("option", { value: "" }, "Choose an outcome…"),
    dispositions.map((label) => el("option", { value: label, selected: label === draft.disposition }, label)));
  const notes = el("textarea", { id: "wrapup-notes", name: "notes", rows: 4, "aria-describedby": "wrapup-notes-error" }, draft.notes || "");
  const form = el("form", { class: "wrapup", novalidate: true, "aria-label": "Wrap-up" },
    el("p", { class: "alert error", "data-form-error": true, role: "alert" }),
    el("div", { class: "field" },
      el("label", { for: "wrapup-disposition" }, "Disposition"), select,
      el("p", { class: "error", id: "wrapup-disposition-error", "data-error-for": "disposition" })),
    el("div", { class: "field" },
      el("label", { for: "wrapup-notes" }, "Wrap-up notes"), notes,
      el("p", { class: "error", id: "wrapup-notes-error", "data-error-for": "notes" })),
    el("button", { class: "btn primary", type: "submit" }, submitLabel));
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

function customer(task, handlers) {
  const name = handlers && handlers.threads ? handlers.threads.contactName(task.id) : null;
  if (task.caller) return name ? `${name} · ${formatPhone(bareNumber(task.caller))}` : formatPhone(bareNumber(task.caller));
  return name || (task.channel === "chat" ? "Web chat visitor" : "Unknown customer");
}

function header(task, badge, handlers) {
  const from = task.transferFrom;
  return [
    el("div", { class: "status-line" }, badge,
      task.queue ? el("span", { class: "badge" }, `Queue: ${task.queue}`) : null,
      el("span", { class: "badge" }, task.direction === "outbound" ? "Outbound call" : titleCase(channelName(task.channel)))),
    el("p", { class: "caller", "data-testid": "task-caller" }, customer(task, handlers)),
    from ? el("p", { class: "small muted", "data-testid": "task-transfer-from" }, `Transferred by ${from.name} (${from.mode})`) : null,
  ];
}

// A voice task is connected once its conference has the agent (call.state "connected").
function stateBadge(task) {
  const call = task.call;
  if (task.channel === "voicemail") return el("span", { class: "badge blue", "data-testid": "task-state" }, "Open");
  if (isMessageTask(task)) return el("span", { class: "badge green", "data-testid": "task-state" }, "Conversation open");
  if (task.channel === "voice" && (!call || call.state === "ringing")) return el("span", { class: "badge blue", "data-testid": "task-state" }, "Connecting…");
  return el("span", { class: "badge green", "data-testid": "task-state" }, el("span", { class: "dot available", "aria-hidden": "true" }), "Connected");
}

let live = null; // { key, controls, badge, panel } for the task on screen

// A message or voicemail task is wrapped up from its panel, without a separate step.
function workPanel(task, handlers) {
  if (isMessageTask(task)) return threadPanel(task, handlers.threads);
  if (task.channel === "voicemail") return voicemailPanel(task, handlers);
  return null;
}

function closing(task, handlers) {
  const form = wrapupForm(task, handlers, task.channel === "voicemail" ? "Finish voicemail" : "Close conversation");
  return el("details", { class: "close-task", open: Boolean(draftFor(task.id).notes) || task.channel === "voicemail" },
    el("summary", {}, task.channel === "voicemail" ? "Wrap up" : "Wrap up and close"), form);
}

// Re-build only when the task or its status changes, so a half-typed wrap-up, an open
// keypad or transfer picker survive polls; the call's state updates in place.
export function renderTask(container, task, handlers) {
  const key = task ? `${task.id}:${task.status}` : "";
  if (container.dataset.key === key && container.childElementCount) {
    if (task && live && live.key === key) {
      if (live.controls) live.controls.update(task);
      if (live.panel) live.panel.update(task);
      live.badge.replaceWith(live.badge = stateBadge(task));
      if (live.caller) live.caller.textContent = customer(task, handlers);
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
    const panel = workPanel(task, handlers);
    const top = header(task, badge, handlers);
    live = { key, controls, badge, panel, caller: top[1] };
    const since = el("span", { class: "timer", "data-since": task.since || Date.now() / 1000, "aria-label": panel ? "Time since accepted" : "Call duration" }, "0:00");
    replace(container, el("div", { class: "task", "data-task": task.id, "data-status": "assigned", "data-channel": task.channel },
      top,
      el("p", {}, panel ? "Open for " : "On the call for ", since),
      controls ? controls.node : null,
      panel ? panel.node : null,
      panel ? closing(task, handlers) : null));
  } else {
    const top = header(task, el("span", { class: "badge amber", "data-testid": "task-state" }, "Wrap-up"), handlers);
    replace(container, el("div", { class: "task", "data-task": task.id, "data-status": "wrapping", "data-channel": task.channel },
      top,
      el("p", { class: "muted" }, task.channel === "voice" ? "The call has ended. Record how it went to finish the task." : "Record how it went to finish the task."),
      countdown(task, handlers),
      wrapupForm(task, handlers)));
  }
  tick(container);
  return true;
}
