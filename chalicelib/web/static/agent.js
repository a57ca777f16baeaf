// The agent desktop: presence, the browser phone, incoming offers (ringing; missed ones
// say so), every task the agent holds in a task list (a call, SMS/WhatsApp/chat threads,
// voicemails), the selected task's panel with its own wrap-up, outbound calls, the CRM card.
import { api, logOut, requireSession } from "./api.js";
import { announce, el, replace } from "./dom.js";
import { channelName, formatPhone } from "./format.js";
import { lookUp, renderCard } from "./crm.js";
import { activeTasks, pendingOffers } from "./shapes.js";
import { noteMissed, offerWho, renderOffers } from "./offers.js";
import { renderCallStrip, renderTaskList } from "./task-list.js";
import { Threads, bareNumber, isMessageTask } from "./thread.js";
import { forgetRecordings } from "./voicemail.js";
import { renderTask } from "./task.js";
import { setUpPresence, showWork } from "./presence.js";
import { startClock } from "./clock.js";
import { Phone } from "./phone.js";
import { startRinging, stopRinging } from "./ringer.js";
import { dialpad } from "./dialpad.js";
import { forgetDraft, forgetKept, keepDraft, keptNotes } from "./wrapup-notes.js";
import { idlePanel as keptPanel } from "./kept-notes.js";

const POLL_MS = 1500;
const PRESENCE_EVERY = 4; // polls between presence refreshes (the router may set "away")
const page = {
  offers: document.getElementById("offers"),
  missed: document.getElementById("missed"),
  task: document.getElementById("task"),
  taskList: document.getElementById("task-list"),
  callStrip: document.getElementById("call-strip"),
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
let tasks = []; // every task the agent holds, as the last poll saw them
let selectedId = null; // the task whose panel is on screen
const selectWhenShown = new Set(); // tasks this page accepted: shown as soon as they appear
let dispositions = null; // the tenant's (GET api/tenant), else task.js's default list
let activity = "offline";
const threads = new Threads(() => draw());
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
  delete page.customer.dataset.visitor;
  customerPhone = number;
  customerCurrent = current;
  replace(page.customer, el("p", { class: "muted" }, `Looking up ${formatPhone(number)}…`));
  cardFor(number, fresh)
    .then((card) => { if (customerPhone === number) renderCard(page.customer, card, { currentId: customerCurrent, onCall: placeCall }); })
    .catch((error) => { if (customerPhone === number) replace(page.customer, el("p", { class: "alert error" }, error.message)); });
}

const voiceTask = () => tasks.find((task) => task.channel === "voice") || null;
const selectedTask = () => tasks.find((task) => task.id === selectedId) || null;

function select(taskId) {
  selectedId = taskId;
  threads.markRead(taskId);
  const task = selectedTask();
  // A failed read is shown in the thread panel (Threads keeps the error).
  if (isMessageTask(task)) threads.load(task.id, selectedId).catch(() => {});
  draw();
  showFocus();
  const panel = page.task.querySelector("#reply-body") || page.task.querySelector("button, select, textarea");
  if (panel) panel.focus();
}

async function accept(offer) {
  handled.add(offer.id);
  const voice = offer.channel === "voice";
  if (voice) phone.expect(); // the agent's leg rings this browser next: answer it
  if (offer.taskId) selectWhenShown.add(offer.taskId);
  try {
    await api("POST", `api/reservations/${encodeURIComponent(offer.id)}/accept`);
    announce(voice ? `Accepted the call from ${formatPhone(offer.caller)}. Connecting…` : `Accepted the ${channelName(offer.channel)} from ${offerWho(offer)}.`);
    page.status.textContent = voice ? "Connecting…" : `Accepted the ${channelName(offer.channel)} from ${offerWho(offer)}.`;
    showError(null);
  } catch (error) {
    if (voice) phone.cancelExpect();
    selectWhenShown.delete(offer.taskId);
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
  if (voiceTask()) { showError(new Error("Finish the current call before placing another.")); return; }
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
    if (!tasks.some((held) => held.id === task.id)) {
      keepDraft(task.id);
      page.task.dataset.key = "stale";
      renderTask(page.task, selectedTask(), taskHandlers);
    }
    throw error;
  }
  forgetDraft(task.id);
  const kept = keptNotes();
  if (kept && kept.taskId === task.id) forgetKept();
  page.status.textContent = task.channel === "voice" ? "Wrap-up saved. You're ready for the next call." : "Wrap-up saved.";
  announce("Wrap-up saved.");
  if (task.caller && task.id === selectedId) showCustomer(bareNumber(task.caller), task.interactionId, true);
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

// The call strip's hang-up, while another task is on screen.
async function hangUpFromStrip(call) {
  try {
    await api("POST", `api/tasks/${encodeURIComponent(call.id)}/hangup`);
    hangUp();
    showError(null);
  } catch (error) { showError(error); }
  await poll();
}

// The task panel when there is no task: notes kept from an expired wrap-up, or the hint.
function idlePanel() {
  return keptPanel({
    cardFor, showError,
    redraw: () => { page.task.dataset.key = "stale"; renderTask(page.task, null, taskHandlers); },
    saved: (caller) => { cards.delete(caller); showCustomer(caller, null, true); },
  });
}

const taskHandlers = {
  onWrapup: wrapUp, onExtend: extendWrapup, onHangUp: hangUp, onChanged: () => poll(), empty: idlePanel,
  threads, dispositions: () => dispositions, onCall: (number) => placeCall(number),
};
const listView = {
  unread: (id) => threads.unread(id),
  names: (task) => threads.contactName(task.id),
  onSelect: select,
  onHangUp: hangUpFromStrip,
};

const CALL_STATUS = { assigned: "Connected", wrapping: "Call ended: wrap up to finish." };

// The task list, the call strip and the selected task's panel, from the last poll.
function draw() {
  const task = selectedTask();
  const voice = voiceTask();
  renderTaskList(page.taskList, tasks, { ...listView, selected: selectedId });
  renderCallStrip(page.callStrip, voice && voice.id !== selectedId ? voice : null, listView);
  if (renderTask(page.task, task, taskHandlers) && task) {
    const said = CALL_STATUS[task.status];
    if (task.channel === "voice") page.status.textContent = said;
    else if (Object.values(CALL_STATUS).includes(page.status.textContent)) page.status.textContent = "";
    if (task.status === "wrapping" && task.caller) showCustomer(bareNumber(task.caller), task.interactionId, true);
  }
}

function choose(held) {
  for (const task of held) {
    if (tasks.some((old) => old.id === task.id)) continue;
    // A call needs the agent now; a task this page accepted is what the agent asked for.
    if (task.channel === "voice" || selectWhenShown.has(task.id)) {
      selectedId = task.id;
      selectWhenShown.delete(task.id);
    }
  }
  if (!held.some((task) => task.id === selectedId)) {
    const next = held.find((task) => task.channel === "voice") || held[0];
    selectedId = next ? next.id : null;
  }
}

function render(offers, held, reservations) {
  const arrived = offers.filter((offer) => !lastOffers.some((old) => old.id === offer.id));
  noteMissed(page.missed, lastOffers, offers, reservations, handled);
  lastOffers = offers;
  renderOffers(page.offers, offers, { onAccept: accept, onReject: reject, cardFor });
  if (offers.length) startRinging(`Incoming ${channelName(offers[0].channel)} · ${offerWho(offers[0])}`);
  else stopRinging();
  for (const offer of arrived) announce(`Incoming ${channelName(offer.channel)} from ${offerWho(offer)}.`);
  if (arrived.length) {
    window.focus();
    const button = page.offers.querySelector(`[data-reservation="${CSS.escape(arrived[0].id)}"] .btn.accept`);
    if (button) button.focus();
  }
  // A wrap-up that ended before it was saved keeps its notes.
  for (const old of tasks) {
    if (old.status !== "wrapping" || held.some((task) => task.id === old.id) || finished.has(old.id)) continue;
    if (keepDraft(old.id) && old.id === selectedId) page.task.dataset.key = "stale";
  }
  choose(held);
  tasks = held;
  const ids = held.map((task) => task.id);
  threads.keepOnly(ids);
  forgetRecordings(ids);
  threads.refresh(held.filter(isMessageTask), selectedId, polls);
  if (selectedId) threads.markRead(selectedId);
  const voice = voiceTask();
  if (voice && voice.call && voice.call.state === "ringing") phone.legRinging();
  const wrapping = held.some((task) => task.status === "wrapping");
  showWork(voice ? (voice.status === "wrapping" ? "wrapup" : "call") : wrapping ? "wrapup" : null);
  document.body.dataset.work = voice ? voice.status : "";
  page.dialerCard.hidden = Boolean(voice);
  draw();
  showFocus();
}

// The customer panel follows the selected task (else the first offer).
function showFocus() {
  const focus = selectedTask() || lastOffers[0];
  if (focus && focus.caller) showCustomer(bareNumber(focus.caller), focus.interactionId);
  else if (focus) showVisitor(focus);
}

// A web chat visitor has no number to look up: the name and email they gave, if any.
function showVisitor(task) {
  const contact = threads.contact(task.id || task.taskId) || {};
  const key = `visitor:${task.id}:${contact.name || ""}:${contact.email || ""}`;
  if (page.customer.dataset.visitor === key) return;
  page.customer.dataset.visitor = key;
  customerPhone = null;
  replace(page.customer, el("div", { class: "crm-head" },
    el("div", { class: "avatar", "aria-hidden": "true" }, "?"),
    el("div", { class: "crm-who" },
      el("h3", { class: "crm-name", "data-testid": "crm-name" }, contact.name || "Web chat visitor"),
      el("p", { class: "small muted" }, contact.email || "No email given"))));
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
  const [me, routing, tenant] = await Promise.all([
    api("GET", "api/me").catch((error) => { showError(error); return current.user || {}; }),
    routingProfile(),
    // The tenant's dispositions; without them (an older server), wrap-up offers the defaults.
    api("GET", "api/tenant").catch(() => null),
  ]);
  if (tenant && Array.isArray(tenant.dispositions) && tenant.dispositions.length) dispositions = tenant.dispositions;
  document.getElementById("agent-name").textContent = (me && me.name) || "";
  phone.start().then(showPhone).catch((error) => {
    page.phoneState.textContent = "No phone";
    page.phoneState.title = error.message;
    showError(new Error(`Calls can't reach this browser: ${error.message}`));
  });
  updatePresence = setUpPresence(document.getElementById("presence"), document.getElementById("presence-dot"), showError, routing && routing.activity, onActivity);
  replace(page.customer, el("div", { class: "empty" }, el("strong", {}, "No customer selected"), "The customer's card shows here when a call or message is offered."));
  replace(page.dialer, dialpad((to) => placeCall(to)));
  renderOffers(page.offers, [], { onAccept: accept, onReject: reject, cardFor });
  draw();
  window.addEventListener("pagehide", () => { if (phone.device) phone.device.destroy(); });
  startClock();
  loop();
}

start();
