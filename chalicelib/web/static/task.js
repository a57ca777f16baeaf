// The active-task panel: connected with a timer, then the wrap-up form once the call ends.
import { el, replace } from "./dom.js";
import { formatPhone, titleCase } from "./format.js";
import { showError, values, whileBusy } from "./forms.js";
import { tick } from "./clock.js";

export const DISPOSITIONS = ["Resolved", "Order placed", "Follow-up needed", "Wrong number", "Other"];

function wrapupForm(task, onWrapup) {
  const form = el("form", { class: "wrapup", novalidate: true, "aria-label": "Wrap-up" },
    el("p", { class: "alert error", "data-form-error": true, role: "alert" }),
    el("div", { class: "field" },
      el("label", { for: "wrapup-disposition" }, "Disposition"),
      el("select", { id: "wrapup-disposition", name: "disposition", required: true, "aria-describedby": "wrapup-disposition-error" },
        el("option", { value: "" }, "Choose an outcome…"),
        DISPOSITIONS.map((label) => el("option", { value: label }, label))),
      el("p", { class: "error", id: "wrapup-disposition-error", "data-error-for": "disposition" })),
    el("div", { class: "field" },
      el("label", { for: "wrapup-notes" }, "Wrap-up notes"),
      el("textarea", { id: "wrapup-notes", name: "notes", rows: 4, "aria-describedby": "wrapup-notes-error" }),
      el("p", { class: "error", id: "wrapup-notes-error", "data-error-for": "notes" })),
    el("button", { class: "btn primary", type: "submit" }, "Finish wrap-up"));
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const body = values(form);
    if (!body.disposition) {
      showError(form, { path: "disposition", message: "Choose a disposition." });
      return;
    }
    try {
      await whileBusy(form.querySelector("button[type=submit]"), "Saving…", () => onWrapup(task, body));
    } catch (error) {
      showError(form, error);
    }
  });
  return form;
}

function header(task, badge) {
  return [
    el("div", { class: "status-line" }, badge,
      task.queue ? el("span", { class: "badge" }, `Queue: ${task.queue}`) : null,
      el("span", { class: "badge" }, titleCase(task.channel))),
    el("p", { class: "caller", "data-testid": "task-caller" }, formatPhone(task.caller)),
  ];
}

// Re-render only when the task or its status changes, so a half-typed wrap-up survives polls.
export function renderTask(container, task, onWrapup) {
  const key = task ? `${task.id}:${task.status}` : "";
  if (container.dataset.key === key && container.childElementCount) return false;
  container.dataset.key = key;
  if (!task) {
    replace(container, el("div", { class: "empty" },
      el("strong", {}, "No active task"),
      "A call you accept shows here. Set your status to Available to get calls."));
    return true;
  }
  if (task.status === "assigned") {
    replace(container, el("div", { class: "task", "data-task": task.id, "data-status": "assigned" },
      header(task, el("span", { class: "badge green", "data-testid": "task-state" }, el("span", { class: "dot available", "aria-hidden": "true" }), "Connected")),
      el("p", {}, "On the call for ", el("span", { class: "timer", "data-since": task.since || Date.now() / 1000, "aria-label": "Call duration" }, "0:00"))));
  } else {
    replace(container, el("div", { class: "task", "data-task": task.id, "data-status": "wrapping" },
      header(task, el("span", { class: "badge amber", "data-testid": "task-state" }, "Wrap-up")),
      el("p", { class: "muted" }, "The call has ended. Record how it went to finish the task."),
      wrapupForm(task, onWrapup)));
  }
  tick(container);
  return true;
}
