// The task list, as Flex's: one entry per task the agent holds (a call, SMS/WhatsApp and
// chat threads, voicemails), each with its channel, customer, status and a timer, and an
// unread badge on a thread that got messages in the background. Selecting one shows its
// panel; while another task is on screen, a strip keeps the call one click away.
import { el, replace } from "./dom.js";
import { channelName, formatPhone } from "./format.js";
import { tick } from "./clock.js";
import { bareNumber } from "./thread.js";

const ICONS = { voice: "Call", sms: "SMS", whatsapp: "WA", chat: "Chat", voicemail: "VM" };

export function statusOf(task) {
  if (task.status === "wrapping") return "Wrap-up";
  if (task.channel === "voice") {
    const call = task.call || {};
    if (!call.state || call.state === "ringing") return "Connecting…";
    if (call.transfer) return "Transferring";
    return call.onHold ? "On hold" : "On the call";
  }
  if (task.channel === "voicemail") return "Voicemail to play";
  return "Conversation open";
}

export function customerName(task, names) {
  const name = names(task);
  if (name) return name;
  if (task.caller) return formatPhone(bareNumber(task.caller));
  return task.channel === "chat" ? "Web chat visitor" : "Unknown customer";
}

function timer(task) {
  if (task.status === "wrapping" && task.wrapupDeadline) {
    return el("span", { class: "entry-timer", "data-until": task.wrapupDeadline, "aria-label": "Wrap-up time left" }, "");
  }
  return el("span", { class: "entry-timer", "data-since": task.since || Date.now() / 1000, "aria-label": "Time on this task" }, "0:00");
}

function entry(task, view) {
  const unread = view.unread(task.id);
  const selected = task.id === view.selected;
  const who = customerName(task, view.names);
  const button = el("button", {
    class: `task-entry${selected ? " selected" : ""}${unread ? " has-unread" : ""}`,
    type: "button", "aria-current": selected ? "true" : null, "data-task": task.id, "data-channel": task.channel,
    "aria-label": `${channelName(task.channel)} with ${who}, ${statusOf(task)}${unread ? `, ${unread} unread` : ""}`,
    onclick: () => view.onSelect(task.id),
  },
  el("span", { class: `channel-icon ${task.channel}`, "aria-hidden": "true" }, ICONS[task.channel] || "Task"),
  el("span", { class: "entry-main" },
    el("span", { class: "entry-who" }, who),
    el("span", { class: "entry-status small", "data-testid": "entry-status" }, statusOf(task))),
  el("span", { class: "entry-side" },
    unread ? el("span", { class: "badge red unread", "data-testid": "unread" }, String(unread)) : null,
    timer(task)));
  return el("li", {}, button);
}

// Re-built only when something shown changes (the timers tick in place).
// view: { selected, unread(id), names(task), onSelect(id) }.
export function renderTaskList(container, tasks, view) {
  const key = JSON.stringify(tasks.map((task) => [task.id, task.status, statusOf(task), view.unread(task.id),
    task.id === view.selected, customerName(task, view.names), task.wrapupDeadline]));
  if (container.dataset.key === key && container.childElementCount) return false;
  container.dataset.key = key;
  if (!tasks.length) {
    replace(container, el("p", { class: "small muted empty-list" }, "No tasks. Calls, messages and voicemails you accept show here."));
    return true;
  }
  replace(container, el("ul", { class: "task-list", "aria-label": "Your tasks" }, tasks.map((task) => entry(task, view))));
  tick(container);
  return true;
}

// While a message or voicemail is on screen, the call stays reachable: back to it, or hang up.
export function renderCallStrip(container, call, view) {
  const key = call ? `${call.id}:${statusOf(call)}` : "";
  if (container.dataset.key === key) return;
  container.dataset.key = key;
  container.hidden = !call;
  if (!call) { replace(container); return; }
  const hangUp = el("button", { class: "btn small hangup", type: "button" }, "Hang up");
  hangUp.addEventListener("click", async () => {
    hangUp.disabled = true;
    try { await view.onHangUp(call); } finally { hangUp.disabled = false; }
  });
  replace(container,
    el("span", { class: "dot busy", "aria-hidden": "true" }),
    el("span", { class: "strip-text" }, `${statusOf(call)} · ${customerName(call, view.names)} · `,
      el("span", { class: "entry-timer", "data-since": call.since || Date.now() / 1000 }, "0:00")),
    el("button", { class: "btn small", type: "button", onclick: () => view.onSelect(call.id) }, "Back to the call"),
    call.status === "assigned" ? hangUp : null);
  tick(container);
}
