// The agent desktop: presence, the browser phone, incoming offers (ringing; missed ones
// say so), the active call with its controls, wrap-up, outbound calls and the CRM card.
import { api, logOut, requireSession } from "./api.js";
import { announce, el, replace } from "./dom.js";
import { formatPhone } from "./format.js";
import { lookUp, renderCard } from "./crm.js";
import { activeTasks, offerView, pendingOffers } from "./shapes.js";
import { renderOffers } from "./offers.js";
import { renderTask } from "./task.js";
import { setUpPresence, showWork } from "./presence.js";
import { startClock } from "./clock.js";
import { Phone } from "./phone.js";
import { startRinging, stopRinging } from "./ringer.js";
import { dialpad } from "./dialpad.js";
import { forgetDraft, forgetKept, keepDraft, keptNotes } from "./wrapup-notes.js";

const POLL_MS = 1500;
const PRESENCE_EVERY = 4; // polls between presence refreshes (the router may set "away")
const page = {
  offers: document.getElementById("offers"),
  missed: document.getElementById("missed"),
  task: document.getElementById("task"),
  dialer: document.getElementById("dialer"),
  dialerCard: document.getElementById("dialer-card"),
  customer: document.getElementById("customer"),
  status: document.getElementById("desk-status"),
  error: document.getElementById("desk-error"),
  phoneState: document.getElementById("phone-state"),
};
const cards = new Map(); // phone -> Promise of { contact, interactions }
const handled = new Set(); // offers this agent accepted or rejected (the rest, if gone, were missed)
const finished = new Set(); // tasks whose wrap-up this page is saving or saved
let customerPhone = null;
let customerCurrent = null; // the interaction in progress with that customer
let lastOffers = [];
let lastTask = null;
let activity = "offline";
const phone = new Phone({ onError: showError, onChange: showPhone });

function showError(error) {
  page.error.textContent = error ? error.message : "";
}

function showPhone() {
  const on = phone.registered;
  page.phoneState.textContent = !phone.device ? "Phone off" : phone.call ? "Phone: in a call" : on ? "Phone ready" : "Phone off";
  page.phoneState.className = `badge ${on ? "green" : ""} phone-state`;
  page.phoneState.dataset.state = phone.device ? phone.device.state : "none";
}

function cardFor(number, fresh = false) {
  if (fresh || !cards.has(number)) {
    const loading = lookUp(number);
    cards.set(number, loading);
    loading.catch(() => cards.delete(number));
  }
  return cards.get(number);
}

function showCustomer(number, current, fresh = false) {
  if (!number || (number === customerPhone && !fresh)) return;
  customerPhone = number;
  customerCurrent = current;
  replace(page.customer, el("p", { class: "muted" }, `Looking up ${formatPhone(number)}…`));
  cardFor(number, fresh)
    .then((card) => { if (customerPhone === number) renderCard(page.customer, card, { currentId: customerCurrent, onCall: placeCall }); })
    .catch((error) => { if (customerPhone === number) replace(page.customer, el("p", { class: "alert error" }, error.message)); });
}

async function accept(offer) {
  handled.add(offer.id);
  phone.expect(); // the agent's leg rings this browser next: answer it
  try {
    await api("POST", `api/reservations/${encodeURIComponent(offer.id)}/accept`);
    announce(`Accepted the call from ${formatPhone(offer.caller)}. Connecting…`);
    page.status.textContent = "Connecting…";
    showError(null);
  } catch (error) {
    phone.cancelExpect();
    showError(error);
  }
  await poll();
}

async function reject(offer) {
  handled.add(offer.id);
  try {
    await api("POST", `api/reservations/${encodeURIComponent(offer.id)}/reject`);
    announce("Offer rejected.");
    showError(null);
  } catch (error) {
    showError(error);
  }
  await poll();
}

// Outbound, from the dialpad or the CRM card: the agent's device rings and the page answers.
async function placeCall(to, contactId = null) {
  if (lastTask) { showError(new Error("Finish the current call before placing another.")); return; }
  if (!phone.registered) { showError(new Error("Set your status to Available to place calls.")); return; }
  phone.expect();
  try {
    await api("POST", "api/calls", contactId ? { to, contact_id: contactId } : { to });
    page.status.textContent = `Calling ${formatPhone(to)}…`;
    announce(`Calling ${formatPhone(to)}.`);
    showError(null);
  } catch (error) {
    phone.cancelExpect();
    showError(error);
  }
  await poll();
}

async function wrapUp(task, body) {
  finished.add(task.id); // before the POST: a poll may see the task done before it returns
  try {
    await api("POST", `api/tasks/${encodeURIComponent(task.id)}/wrapup`, { disposition: body.disposition, notes: body.notes || "" });
  } catch (error) {
    finished.delete(task.id);
    // Refused because the wrap-up ended meanwhile: keep what was typed where it shows.
    if (!lastTask || lastTask.id !== task.id) {
      keepDraft(task.id);
      page.task.dataset.key = "stale";
      renderTask(page.task, lastTask, taskHandlers);
    }
    throw error;
  }
  forgetDraft(task.id);
  const kept = keptNotes();
  if (kept && kept.taskId === task.id) forgetKept();
  page.status.textContent = "Wrap-up saved. You're ready for the next call.";
  announce("Wrap-up saved.");
  if (task.caller) showCustomer(task.caller, task.interactionId, true);
  await poll();
}

async function extendWrapup(task) {
  try {
    await api("POST", `api/tasks/${encodeURIComponent(task.id)}/wrapup/extend`);
    announce("Wrap-up extended.");
    showError(null);
  } catch (error) {
    showError(error);
  }
  await poll();
}

function hangUp() {
  phone.hangUp();
  announce("Call ended.");
}

// The task panel when there is no task: notes kept from an expired wrap-up, or the hint.
function idlePanel() {
  const kept = keptNotes();
  if (!kept) return el("div", { class: "empty" }, el("strong", {}, "No active task"),
    "A call you accept shows here. Set your status to Available to get calls.");
  const text = el("textarea", { id: "kept-notes", rows: 4, readonly: true }, kept.notes);
  const done = () => { forgetKept(); page.task.dataset.key = "stale"; renderTask(page.task, null, taskHandlers); };
  const addToContact = el("button", { class: "btn", type: "button" }, "Add to the contact's notes");
  addToContact.addEventListener("click", async () => {
    try {
      const card = await cardFor(kept.caller, true);
      if (!card.contact) throw new Error("This caller has no contact record yet.");
      const notes = [card.contact.notes, kept.notes].filter(Boolean).join("\n");
      await api("PATCH", `api/contacts/${encodeURIComponent(card.contact.id)}`, { notes });
      cards.delete(kept.caller);
      done();
      showCustomer(kept.caller, null, true);
    } catch (error) { showError(error); }
  });
  return el("div", { class: "kept", "data-testid": "kept-notes" },
    el("p", { class: "alert warning" }, `Wrap-up time ran out for the call with ${formatPhone(kept.caller)}. Your notes were kept:`),
    el("label", { for: "kept-notes" }, "Unsaved wrap-up notes"), text,
    el("div", { class: "actions" }, addToContact, el("button", { class: "btn", type: "button", onclick: done }, "Dismiss")));
}

const taskHandlers = { onWrapup: wrapUp, onExtend: extendWrapup, onHangUp: hangUp, onChanged: () => poll(), empty: idlePanel };

function missedNotice(offer, reason) {
  const notice = el("div", { class: "alert warning missed", role: "status", "data-testid": "missed-offer" },
    el("div", {}, el("strong", {}, `Missed: ${reason}`),
      el("div", { class: "small" }, `Call from ${formatPhone(offer.caller)}${offer.queue ? ` · ${offer.queue}` : ""}`)),
    el("button", { class: "btn small", type: "button", onclick: () => notice.remove() }, "Dismiss"));
  page.missed.prepend(notice);
  while (page.missed.childElementCount > 3) page.missed.lastElementChild.remove();
}

function noteMissed(offers, reservations) {
  for (const old of lastOffers) {
    if (offers.some((offer) => offer.id === old.id) || handled.has(old.id)) continue;
    const after = reservations.map(offerView).find((item) => item.id === old.id);
    const reason = after && ["canceled", "rescinded"].includes(after.status) ? "the caller hung up" : "the offer timed out";
    missedNotice(old, reason);
    announce(`Missed: ${reason}.`);
  }
}

function render(offers, tasks, reservations) {
  const arrived = offers.filter((offer) => !lastOffers.some((old) => old.id === offer.id));
  noteMissed(offers, reservations);
  lastOffers = offers;
  renderOffers(page.offers, offers, { onAccept: accept, onReject: reject, cardFor });
  if (offers.length) startRinging(`Incoming call · ${formatPhone(offers[0].caller)}`);
  else stopRinging();
  for (const offer of arrived) announce(`Incoming call from ${formatPhone(offer.caller)}.`);
  if (arrived.length) {
    window.focus();
    const button = page.offers.querySelector(`[data-reservation="${CSS.escape(arrived[0].id)}"] .btn.accept`);
    if (button) button.focus();
  }
  const task = tasks[0] || null;
  if (lastTask && lastTask.status === "wrapping" && (!task || task.id !== lastTask.id) && !finished.has(lastTask.id)) {
    if (keepDraft(lastTask.id)) page.task.dataset.key = "stale";
  }
  lastTask = task;
  if (task && task.call && task.call.state === "ringing") phone.legRinging();
  showWork(task ? (task.status === "wrapping" ? "wrapup" : "call") : null);
  document.body.dataset.work = task ? task.status : "";
  page.dialerCard.hidden = Boolean(task);
  if (renderTask(page.task, task, taskHandlers) && task) {
    page.status.textContent = task.status === "assigned" ? "Connected" : "Call ended: wrap up to finish.";
    if (task.status === "wrapping") showCustomer(task.caller, task.interactionId, true);
  }
  const focus = task || offers[0];
  if (focus) showCustomer(focus.caller, focus.interactionId);
}

let stopped = false;
let polls = 0;
let updatePresence = () => {};

async function poll() {
  polls += 1;
  if (polls % PRESENCE_EVERY === 0) {
    api("GET", "api/me/routing")
      .then((agent) => updatePresence(agent.activity))
      .catch((error) => { if (error.status !== 404) showError(error); });
  }
  try {
    const [reservations, tasks] = await Promise.all([api("GET", "api/me/reservations"), api("GET", "api/me/tasks")]);
    render(pendingOffers(reservations), activeTasks(tasks), (reservations && reservations.reservations) || []);
    if (page.error.dataset.polling) showError(null);
    delete page.error.dataset.polling;
  } catch (error) {
    if (error.status === 401) stopped = true;
    else {
      showError(error);
      page.error.dataset.polling = "1";
    }
  }
}

async function loop() {
  await poll();
  if (!stopped) window.setTimeout(loop, POLL_MS);
}

// The agent's routing profile (presence); a 404 means an admin has not set one up yet.
async function routingProfile() {
  try {
    return await api("GET", "api/me/routing");
  } catch (error) {
    if (error.status === 404) page.status.textContent = error.message;
    else showError(error);
    return null;
  }
}

function onActivity(next) {
  activity = next;
  phone.setAvailable(activity === "available");
}

async function start() {
  const current = requireSession(null);
  if (!current) return;
  document.getElementById("log-out").addEventListener("click", logOut);
  showPhone();
  const [me, routing] = await Promise.all([
    api("GET", "api/me").catch((error) => { showError(error); return current.user || {}; }),
    routingProfile(),
  ]);
  document.getElementById("agent-name").textContent = (me && me.name) || "";
  phone.start().then(showPhone).catch((error) => {
    page.phoneState.textContent = "No phone";
    page.phoneState.title = error.message;
    showError(new Error(`Calls can't reach this browser: ${error.message}`));
  });
  updatePresence = setUpPresence(document.getElementById("presence"), document.getElementById("presence-dot"), showError, routing && routing.activity, onActivity);
  replace(page.customer, el("div", { class: "empty" }, el("strong", {}, "No caller selected"), "The caller's card shows here when a call is offered."));
  replace(page.dialer, dialpad((to) => placeCall(to)));
  renderOffers(page.offers, [], { onAccept: accept, onReject: reject, cardFor });
  renderTask(page.task, null, taskHandlers);
  window.addEventListener("pagehide", () => { if (phone.device) phone.device.destroy(); });
  startClock();
  loop();
}

start();
