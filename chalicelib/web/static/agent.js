// The agent desktop: presence, incoming offers, the active task and the caller's CRM card.
import { api, logOut, requireSession } from "./api.js";
import { announce, el, replace } from "./dom.js";
import { formatPhone } from "./format.js";
import { lookUp, renderCard } from "./crm.js";
import { activeTasks, pendingOffers } from "./shapes.js";
import { renderOffers } from "./offers.js";
import { renderTask } from "./task.js";
import { setUpPresence } from "./presence.js";
import { startClock } from "./clock.js";

const POLL_MS = 1500;
const PRESENCE_EVERY = 4; // polls between presence refreshes (the router may set "away")
const page = {
  offers: document.getElementById("offers"),
  task: document.getElementById("task"),
  customer: document.getElementById("customer"),
  status: document.getElementById("desk-status"),
  error: document.getElementById("desk-error"),
};
const cards = new Map(); // phone -> Promise of { contact, interactions }
let customerPhone = null;
let customerCurrent = null; // the interaction in progress with that customer
let lastOffers = [];

function showError(error) {
  page.error.textContent = error ? error.message : "";
}

function cardFor(phone, fresh = false) {
  if (fresh || !cards.has(phone)) {
    const loading = lookUp(phone);
    cards.set(phone, loading);
    loading.catch(() => cards.delete(phone));
  }
  return cards.get(phone);
}

function showCustomer(phone, current, fresh = false) {
  if (!phone || (phone === customerPhone && !fresh)) return;
  customerPhone = phone;
  customerCurrent = current;
  replace(page.customer, el("p", { class: "muted" }, `Looking up ${formatPhone(phone)}…`));
  cardFor(phone, fresh)
    .then((card) => { if (customerPhone === phone) renderCard(page.customer, card, { currentId: customerCurrent }); })
    .catch((error) => { if (customerPhone === phone) replace(page.customer, el("p", { class: "alert error" }, error.message)); });
}

async function accept(offer) {
  try {
    await api("POST", `api/reservations/${encodeURIComponent(offer.id)}/accept`);
    announce(`Accepted the call from ${formatPhone(offer.caller)}. Connecting…`);
    page.status.textContent = "Connecting…";
    showError(null);
  } catch (error) {
    showError(error);
  }
  await poll();
}

async function reject(offer) {
  try {
    await api("POST", `api/reservations/${encodeURIComponent(offer.id)}/reject`);
    announce("Offer rejected.");
    showError(null);
  } catch (error) {
    showError(error);
  }
  await poll();
}

async function wrapUp(task, body) {
  await api("POST", `api/tasks/${encodeURIComponent(task.id)}/wrapup`, { disposition: body.disposition, notes: body.notes || "" });
  page.status.textContent = "Wrap-up saved. You're ready for the next call.";
  announce("Wrap-up saved.");
  if (task.caller) showCustomer(task.caller, task.interactionId, true);
  await poll();
}

function render(offers, tasks) {
  const arrived = offers.filter((offer) => !lastOffers.some((old) => old.id === offer.id));
  lastOffers = offers;
  renderOffers(page.offers, offers, { onAccept: accept, onReject: reject, cardFor });
  for (const offer of arrived) announce(`Incoming call from ${formatPhone(offer.caller)}.`);
  const task = tasks[0] || null;
  if (renderTask(page.task, task, wrapUp) && task) {
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
    render(pendingOffers(reservations), activeTasks(tasks));
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

async function start() {
  const current = requireSession(null);
  if (!current) return;
  document.getElementById("log-out").addEventListener("click", logOut);
  const [me, routing] = await Promise.all([
    api("GET", "api/me").catch((error) => { showError(error); return current.user || {}; }),
    routingProfile(),
  ]);
  document.getElementById("agent-name").textContent = (me && me.name) || "";
  updatePresence = setUpPresence(document.getElementById("presence"), document.getElementById("presence-dot"), showError, routing && routing.activity);
  replace(page.customer, el("div", { class: "empty" }, el("strong", {}, "No caller selected"), "The caller's card shows here when a call is offered."));
  renderOffers(page.offers, [], { onAccept: accept, onReject: reject, cardFor });
  renderTask(page.task, null, wrapUp);
  startClock();
  loop();
}

start();
