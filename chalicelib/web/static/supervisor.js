// Live queues and agents for supervisors: polls api/queues, and each user's routing
// profile (api/users, then api/agents/{id}/routing; users without one are not agents).
import { api, requireSession } from "./api.js";
import { el, replace } from "./dom.js";
import { formatDuration, titleCase } from "./format.js";
import { setUpChrome } from "./chrome.js";
import { dataTable } from "./table.js";
import { liveCalls } from "./monitor.js";
import { Phone } from "./phone.js";
import { startClock } from "./clock.js";

const POLL_MS = 3000;
const ACTIVITIES = ["available", "busy", "wrap-up", "break", "away", "offline"];
const ROSTER_MS = 30000;
const page = {
  queues: document.getElementById("queues"),
  agents: document.getElementById("agents"),
  error: document.getElementById("live-error"),
  updated: document.getElementById("updated"),
  calls: document.getElementById("calls"),
  callsError: document.getElementById("calls-error"),
  phoneState: document.getElementById("phone-state"),
};
let calls = { refresh: async () => {} };

function activityBadge(activity) {
  const tone = { available: "green", busy: "red", "wrap-up": "red", break: "amber", away: "amber" }[activity] || "";
  return el("span", { class: `badge ${tone}` }, el("span", { class: `dot ${activity}`, "aria-hidden": "true" }), titleCase(activity || "offline"));
}

function agentsByActivity(queue) {
  const counts = queue.agents || queue.agents_by_activity || {};
  const shown = ACTIVITIES.filter((name) => Number(counts[name] || 0) > 0);
  if (!shown.length) return el("span", { class: "muted" }, "No agents");
  return el("span", { class: "actions" }, shown.map((name) => el("span", { class: "badge" }, `${titleCase(name)} ${counts[name]}`)));
}

function queueRow(queue) {
  const waiting = Number(queue.waiting || 0);
  return {
    attrs: { "data-queue": queue.name },
    cells: [
      queue.name,
      waiting > 0 ? el("span", { class: "badge red" }, String(waiting)) : "0",
      waiting > 0 ? formatDuration(queue.oldest_wait_seconds) : "–",
      agentsByActivity(queue),
      titleCase(queue.strategy || ""),
    ],
  };
}

function renderQueues(queues) {
  if (!queues.length) {
    replace(page.queues, el("div", { class: "empty" }, el("strong", {}, "No queues yet"),
      "Queues appear here once your phone menu sends callers to one."));
    return;
  }
  replace(page.queues, dataTable("Queues, with callers waiting and agents",
    [{ label: "Queue" }, { label: "Waiting", num: true }, { label: "Oldest wait", num: true }, { label: "Agents" }, { label: "Strategy" }],
    queues.map(queueRow)));
}

function workload(agent) {
  const tasks = Object.values(agent.load || {}).reduce((sum, count) => sum + Number(count || 0), 0);
  if (!tasks) return null;
  return el("span", { class: "badge blue" }, tasks === 1 ? "1 task" : `${tasks} tasks`);
}

function agentRow(agent) {
  return {
    attrs: { "data-agent": agent.id },
    cells: [
      agent.name || agent.id,
      el("span", { class: "actions" }, activityBadge(agent.activity), workload(agent)),
      agent.tier ? titleCase(agent.tier) : "–",
      (agent.skills || []).join(", ") || "–",
      String(agent.contacts_today ?? 0),
    ],
  };
}

function renderAgents(agents) {
  if (!agents.length) {
    replace(page.agents, el("div", { class: "empty" }, el("strong", {}, "No agents yet"),
      "An owner or admin can add agents on the Admin page."));
    return;
  }
  replace(page.agents, dataTable("Agents and their status",
    [{ label: "Agent" }, { label: "Status" }, { label: "Tier" }, { label: "Skills" }, { label: "Contacts today", num: true }],
    agents.map(agentRow)));
}

const roster = { users: [], loadedAt: 0, notAgents: new Set() };

async function routingOf(user) {
  try {
    const agent = await api("GET", `api/agents/${encodeURIComponent(user.id)}/routing`);
    return { ...agent, name: agent.name || user.name };
  } catch (error) {
    if (error.status !== 404) throw error;
    roster.notAgents.add(user.id);
    return null;
  }
}

async function agentsNow() {
  if (Date.now() - roster.loadedAt > ROSTER_MS) {
    const found = await api("GET", "api/users");
    roster.users = (found && found.users) || [];
    roster.loadedAt = Date.now();
    roster.notAgents.clear();
  }
  const candidates = roster.users.filter((user) => !roster.notAgents.has(user.id));
  return (await Promise.all(candidates.map(routingOf))).filter(Boolean);
}

let stopped = false;
async function poll() {
  try {
    const [queues, agents] = await Promise.all([api("GET", "api/queues"), agentsNow(),
      calls.refresh().catch((error) => { if (error.status === 401) throw error; showLiveError(error); })]);
    renderQueues((queues && queues.queues) || []);
    renderAgents(agents);
    page.error.textContent = "";
    page.updated.textContent = `Updated ${new Date().toLocaleTimeString()}`;
  } catch (error) {
    if (error.status === 401) stopped = true;
    else page.error.textContent = error.message;
  }
}

async function loop() {
  await poll();
  if (!stopped) window.setTimeout(loop, POLL_MS);
}

const current = requireSession(["supervisor", "owner", "admin"]);
function showLiveError(error) {
  page.callsError.textContent = error ? error.message : "";
}

// The supervisor's own browser phone receives the monitor leg (the same adapters as agents).
function startPhone(user) {
  const phone = new Phone({
    onError: showLiveError,
    onChange: () => {
      page.phoneState.textContent = phone.call ? "Phone: monitoring" : phone.registered ? "Phone ready" : "Phone off";
      page.phoneState.className = `badge phone-state ${phone.registered ? "green" : ""}`;
    },
  });
  calls = liveCalls(page.calls, phone, user && user.id, showLiveError);
  phone.start().then(() => phone.setAvailable(true)).catch((error) => {
    page.phoneState.textContent = "No phone";
    showLiveError(new Error(`Monitoring can't reach this browser: ${error.message}`));
  });
  window.addEventListener("pagehide", () => { if (phone.device) phone.device.destroy(); });
}

if (current) {
  setUpChrome(current, "supervisor");
  startPhone(current.user);
  startClock();
  loop();
}
