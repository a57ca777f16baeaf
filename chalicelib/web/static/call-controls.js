// The controls of a call in progress: hang up, hold/resume, mute, the DTMF keypad and
// transfer. Each is a POST api/tasks/{id}/<action>; the backend acts on the conference.
import { api } from "./api.js";
import { el, replace, announce } from "./dom.js";
import { keypad } from "./dialpad.js";
import { titleCase } from "./format.js";
import { transferPanel } from "./transfer.js";

const MONITOR_WORDS = { listen: "listening", whisper: "coaching you", barge: "on the call" };

function toggle(label, pressedLabel, onClick) {
  const button = el("button", { class: "btn control", type: "button", "aria-pressed": "false", onclick: onClick }, label);
  button.dataset.label = label;
  button.dataset.pressedLabel = pressedLabel;
  return button;
}

function setPressed(button, pressed) {
  button.setAttribute("aria-pressed", String(pressed));
  button.textContent = pressed ? button.dataset.pressedLabel : button.dataset.label;
}

// handlers: { onHangUp(task) }. Returns {node, update(task)}.
export function callControls(task, handlers) {
  let current = task;
  const error = el("p", { class: "alert error", role: "alert" });
  const post = async (action, body) => {
    const updated = await api("POST", `api/tasks/${encodeURIComponent(current.id)}/${action}`, body);
    error.textContent = "";
    if (handlers.onChanged) handlers.onChanged(updated);
    return updated;
  };
  const run = (button, work) => async () => {
    button.disabled = true;
    try { await work(); } catch (failure) { error.textContent = failure.message; } finally {
      button.disabled = false;
      update(current); // what the call allows now (e.g. nothing but hang-up while connecting)
    }
  };
  const hold = toggle("Hold", "Resume", () => {});
  hold.onclick = run(hold, async () => {
    const resuming = hold.getAttribute("aria-pressed") === "true";
    await post(resuming ? "resume" : "hold");
    setPressed(hold, !resuming);
    announce(resuming ? "The caller is back." : "The caller is on hold.");
  });
  const mute = toggle("Mute", "Unmute", () => {});
  mute.onclick = run(mute, async () => {
    const unmuting = mute.getAttribute("aria-pressed") === "true";
    await post(unmuting ? "unmute" : "mute");
    setPressed(mute, !unmuting);
    announce(unmuting ? "You are unmuted." : "You are muted.");
  });
  const sent = el("p", { class: "small muted", "data-testid": "dtmf-sent", "aria-live": "polite" });
  const pad = el("div", { class: "keypad-wrap", hidden: true },
    keypad("Keypad: send tones into the call", async (key) => {
      try {
        await post("dtmf", { digits: key });
        sent.textContent = `${sent.textContent || "Sent: "}${key}`;
      } catch (failure) { error.textContent = failure.message; }
    }), sent);
  const keys = toggle("Keypad", "Hide keypad", () => { setPressed(keys, pad.hidden); pad.hidden = !pad.hidden; });
  const transfer = transferPanel({ post, showError: (failure) => { error.textContent = failure.message; }, onClose: () => setPressed(transferButton, false) });
  const transferButton = toggle("Transfer", "Transfer…", () => setPressed(transferButton, transfer.toggle()));
  const hangUp = el("button", { class: "btn hangup", type: "button" }, "Hang up");
  hangUp.onclick = run(hangUp, async () => {
    await post("hangup");
    handlers.onHangUp(current);
  });
  const badges = el("div", { class: "status-line", "data-testid": "call-badges" });
  const node = el("div", { class: "call-controls" },
    badges,
    el("div", { class: "actions controls", role: "group", "aria-label": "Call controls" }, hold, mute, keys, transferButton, hangUp),
    error, pad, transfer.node);

  function update(next) {
    current = next;
    const call = next.call || {};
    setPressed(hold, Boolean(call.onHold));
    setPressed(mute, Boolean(call.muted));
    const consulting = Boolean(call.transfer);
    const live = call.state === "connected";
    hold.disabled = !live || consulting;
    transferButton.disabled = !live || consulting;
    mute.disabled = !live;
    keys.disabled = !live;
    replace(badges,
      call.onHold ? el("span", { class: "badge amber", "data-testid": "on-hold" }, "Caller on hold") : null,
      call.muted ? el("span", { class: "badge red", "data-testid": "muted" }, "Muted") : null,
      call.monitored ? el("span", { class: "badge blue", "data-testid": "monitored" },
        `Being monitored: a supervisor is ${MONITOR_WORDS[call.monitored.mode] || titleCase(call.monitored.mode)}`) : null);
    transfer.update(next);
  }
  update(task);
  return { node, update };
}
