// The simulator's web phone: calls, keypad, speech, live calls and texts, all through the
// control API under /sim/. No framework, no build step.
"use strict";

const $ = (id) => document.getElementById(id);
const state = { sid: null, poll: null, lastTranscript: -1 };
const ENDED = new Set(["completed", "busy", "no-answer", "failed", "canceled"]);

async function api(method, path, body) {
  const response = await fetch(path, {
    method,
    headers: body ? { "Content-Type": "application/json" } : {},
    body: body ? JSON.stringify(body) : undefined,
  });
  const data = await response.json().catch(() => ({}));
  if (!response.ok) throw new Error(data.error || `${method} ${path}: ${response.status}`);
  return data;
}

function el(tag, className, text) {
  const node = document.createElement(tag);
  if (className) node.className = className;
  if (text !== undefined) node.textContent = text;
  return node;
}

function showError(error) {
  $("status").textContent = String(error.message || error);
  $("status").classList.remove("live");
}

// -- numbers ------------------------------------------------------------------------------
async function loadNumbers() {
  const numbers = await api("GET", "/sim/numbers");
  const list = $("numbers");
  list.replaceChildren(...numbers.map((n) => {
    const option = el("option");
    option.value = n.phone_number;
    option.label = n.friendly_name;
    return option;
  }));
  if (!$("to").value && numbers.length) $("to").value = numbers[0].phone_number;
  if (!$("sms-to").value && numbers.length) $("sms-to").value = numbers[0].phone_number;
}

// -- the current call ---------------------------------------------------------------------
function select(sid) {
  state.sid = sid;
  state.lastTranscript = -1;
  $("transcript").replaceChildren();
  clearInterval(state.poll);
  state.poll = setInterval(refreshCall, 400);
  refreshCall();
}

function describe(event) {
  const parts = [];
  for (const key of ["text", "speech", "digits", "url", "queue", "name", "event", "to", "with",
    "length", "timeout", "input", "status", "result", "reason", "code", "message", "duration",
    "by"]) {
    const value = event[key];
    if (value === undefined || value === null || value === "") continue;
    parts.push(key === "text" || key === "speech" ? `“${value}”` : `${key}: ${value}`);
  }
  return parts.join("  ·  ");
}

function renderTranscript(events) {
  const list = $("transcript");
  for (let i = state.lastTranscript + 1; i < events.length; i++) {
    const event = events[i];
    const item = el("li", event.kind);
    item.append(el("span", "t", `${event.t.toFixed(1)}s`), el("span", "kind", event.kind),
      el("span", "what", describe(event)));
    list.append(item);
    state.lastTranscript = i;
  }
  list.scrollTop = list.scrollHeight;
}

async function refreshCall() {
  if (!state.sid) return;
  let call;
  try {
    call = await api("GET", `/sim/calls/${state.sid}`);
  } catch (error) {
    showError(error);
    return;
  }
  const live = !ENDED.has(call.status);
  const bits = [`${call.status}`, `${call.from} → ${call.to}`];
  if (call.queue) bits.push(`in queue ${call.queue}`);
  if (call.conference) bits.push(`in conference ${call.conference}`);
  if (call.bridged_now) bits.push(`talking with ${call.bridged_now}`);
  if (call.listening) bits.push(`listening (${call.listening})`);
  $("status").textContent = bits.join(" · ");
  $("status").classList.toggle("live", live);
  $("hangup").disabled = !live;
  document.querySelector(".keypad").classList.toggle("listening", Boolean(call.listening));
  renderTranscript(call.transcript);
  if (!live) clearInterval(state.poll);
}

async function placeCall() {
  try {
    const data = await api("POST", "/sim/calls", { from: $("from").value.trim(),
      to: $("to").value.trim() });
    localStorage.setItem("sim-phone-from", $("from").value.trim());
    select(data.call_sid);
  } catch (error) {
    showError(error);
  }
}

async function sendInput(body) {
  if (!state.sid) return;
  try {
    await api("POST", `/sim/calls/${state.sid}/input`, body);
    refreshCall();
  } catch (error) {
    showError(error);
  }
}

// -- live calls ---------------------------------------------------------------------------
async function refreshCalls() {
  let calls;
  try {
    calls = await api("GET", "/sim/calls?status=queued,ringing,in-progress");
  } catch {
    return;
  }
  const list = $("calls");
  list.replaceChildren(...calls.map((call) => {
    const item = el("li", call.call_sid === state.sid ? "current" : "");
    item.append(el("span", "who", `${call.from} → ${call.to}`),
      el("span", "muted", `${call.status} · ${call.direction}`));
    const actions = el("div", "actions");
    const ringingHere = call.status === "ringing" &&
      (call.endpoint === "phone" || call.endpoint === "client");
    if (ringingHere) {
      actions.append(button("Answer", "primary small", async () => {
        if (call.endpoint === "client") {
          // Only a registered device answers a client: leg: become one for that identity.
          const device = await deviceFor(call);
          await api("POST", `/sim/devices/${device}/accept`, { call_sid: call.call_sid });
        } else {
          await api("POST", `/sim/calls/${call.call_sid}/answer`);
        }
        select(call.call_sid);
      }), button("Reject", "small", async () => {
        if (call.endpoint === "client") {
          const device = await deviceFor(call);
          await api("POST", `/sim/devices/${device}/reject`, { call_sid: call.call_sid });
        } else {
          await api("POST", `/sim/calls/${call.call_sid}/reject`);
        }
      }));
    }
    actions.append(button("Open", "small", () => select(call.call_sid)));
    item.append(actions);
    return item;
  }));
}

// The devices this page registered, one per account and identity it answered as.
const devices = new Map();

async function deviceFor(call) {
  const identity = call.to.replace(/^client:/, "");
  const key = `${call.account_sid}/${identity}`;
  if (!devices.has(key)) {
    const made = await api("POST", "/sim/devices", { account_sid: call.account_sid, identity });
    devices.set(key, made.device_id);
  }
  return devices.get(key);
}

function button(label, className, onClick) {
  const node = el("button", className, label);
  node.type = "button";
  node.addEventListener("click", () => Promise.resolve(onClick()).catch(showError));
  return node;
}

// -- messages -----------------------------------------------------------------------------
async function refreshThread() {
  const me = $("from").value.trim();
  if (!me) return;
  let messages;
  try {
    messages = await api("GET", `/sim/messages?with=${encodeURIComponent(me)}`);
  } catch {
    return;
  }
  const bare = (address) => address.replace(/^(whatsapp|sms|messenger):/, "");
  $("thread").replaceChildren(...messages.map((m) => {
    const item = el("li", bare(m.from) === bare(me) ? "mine" : "", m.body);
    const meta = `${m.from} → ${m.to} · ${m.status}${m.error_code ? " · error " + m.error_code : ""}`;
    item.append(el("span", "meta", meta));
    return item;
  }));
}

async function sendText(event) {
  event.preventDefault();
  const body = $("sms-body").value;
  if (!body.trim()) return;
  try {
    await api("POST", "/sim/messages", { from: $("from").value.trim(),
      to: $("sms-to").value.trim(), body });
    $("sms-body").value = "";
    refreshThread();
  } catch (error) {
    showError(error);
  }
}

// -- wiring -------------------------------------------------------------------------------
function init() {
  const savedFrom = localStorage.getItem("sim-phone-from");
  if (savedFrom) $("from").value = savedFrom;
  $("call").addEventListener("click", placeCall);
  $("hangup").addEventListener("click", async () => {
    try {
      await api("POST", `/sim/calls/${state.sid}/hangup`);
    } catch (error) {
      showError(error);
    }
    refreshCall();
  });
  document.querySelectorAll(".keypad button").forEach((key) => {
    key.addEventListener("click", () => sendInput({ digits: key.dataset.key }));
  });
  document.addEventListener("keydown", (event) => {
    if (event.target instanceof HTMLInputElement) return;
    if (/^[0-9*#]$/.test(event.key)) sendInput({ digits: event.key });
  });
  $("say-form").addEventListener("submit", (event) => {
    event.preventDefault();
    const speech = $("say").value.trim();
    if (speech) sendInput({ speech });
    $("say").value = "";
  });
  $("sms-form").addEventListener("submit", sendText);
  loadNumbers().catch(showError);
  refreshCalls();
  refreshThread();
  setInterval(refreshCalls, 1000);
  setInterval(refreshThread, 1500);
  setInterval(() => loadNumbers().catch(() => {}), 10000);
}

init();
