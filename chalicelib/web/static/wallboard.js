// The supervisor's wallboard, from ONE request (GET api/wallboard): per queue today's
// service level, abandons, ASA, AHT, callers waiting and the longest wait, with a flag on
// the queue that breaches its service-level target; and every agent's state.
import { el, replace, announce } from "./dom.js";
import { formatDuration, titleCase } from "./format.js";
import { dataTable } from "./table.js";
import { tick } from "./clock.js";

export function percent(ratio) {
  if (ratio === null || ratio === undefined || Number.isNaN(Number(ratio))) return "–";
  return `${Math.round(Number(ratio) * 1000) / 10}%`;
}

function seconds(value) {
  if (value === null || value === undefined) return "–";
  return formatDuration(value);
}

function target(queue) {
  const t = queue.target || {};
  if (t.service_level === null || t.service_level === undefined) return "";
  return `Target ${percent(t.service_level)} in ${Math.round(Number(t.threshold_seconds || 0))} s`;
}

function figure(label, value, extra = {}) {
  return el("div", { class: "figure", ...extra }, el("span", { class: "label" }, label), el("span", { class: "value" }, value));
}

const ACTIVITIES = ["available", "busy", "wrap-up", "break", "away", "offline"];

// The queue's agents counted by state, when the board sends them ({available: 1, ...}).
function staffed(queue) {
  const counts = queue.agents || {};
  const shown = ACTIVITIES.filter((name) => Number(counts[name] || 0) > 0);
  if (!shown.length) return null;
  return el("div", { class: "actions tile-agents", "data-testid": "queue-agents" },
    shown.map((name) => el("span", { class: "badge" }, el("span", { class: `dot ${name}`, "aria-hidden": "true" }), `${titleCase(name)} ${counts[name]}`)));
}

function queueTile(queue, now) {
  const today = queue.today || {};
  const waiting = Number(queue.waiting || 0);
  const shown = queue.waiting_capped ? `${waiting}+` : String(waiting);
  const longest = Number(queue.longest_wait_seconds || 0);
  const short = Number(today.short_abandoned || 0);
  return el("article", { class: `tile queue-tile${queue.breach ? " breach" : ""}`, "data-queue": queue.name,
    "aria-label": `Queue ${queue.name}${queue.breach ? ", below its service-level target" : ""}` },
  el("div", { class: "tile-head" },
    el("h3", {}, queue.name),
    queue.breach ? el("span", { class: "badge red", "data-testid": "breach-flag" }, "SL breach") : el("span", { class: "badge green" }, "On target")),
  el("div", { class: "sl" },
    el("span", { class: "sl-value", "data-testid": "service-level" }, percent(today.service_level)),
    el("span", { class: "muted small" }, "service level today", el("br"), target(queue))),
  el("div", { class: "figures" },
    figure("Waiting", shown, { "data-testid": "waiting", class: `figure${waiting > 0 ? " hot" : ""}` }),
    figure("Longest wait", waiting > 0 && longest > 0
      ? el("span", { "data-since": now - longest }, formatDuration(longest)) : "–", { "data-testid": "longest-wait" }),
    figure("Offered", String(today.offered ?? 0)),
    figure("Answered", String(today.answered ?? 0)),
    figure("Abandoned", String(today.abandoned ?? 0), { "data-testid": "abandoned" }),
    figure("Short abandons", String(short), { "data-testid": "short-abandoned", title: "Hung up within the short-abandon threshold: not counted as offered or abandoned" }),
    figure("Transfers", String(today.transfers ?? 0)),
    figure("ASA", seconds(today.asa_seconds), { "data-testid": "asa" }),
    figure("AHT", seconds(today.aht_seconds), { "data-testid": "aht" })),
  staffed(queue));
}

function activityBadge(activity) {
  const tone = { available: "green", busy: "red", "wrap-up": "amber", break: "amber", away: "amber" }[activity] || "";
  return el("span", { class: `badge ${tone}` }, el("span", { class: `dot ${activity}`, "aria-hidden": "true" }), titleCase(activity || "offline"));
}

function since(value) {
  if (value === null || value === undefined || value === "") return null;
  const epoch = typeof value === "number" ? value : Date.parse(value) / 1000;
  return Number.isFinite(epoch) ? epoch : null;
}

function agentRow(agent) {
  const tasks = Number(agent.tasks || 0);
  const from = since(agent.since);
  return {
    attrs: { "data-agent": agent.agent_id },
    cells: [
      agent.name || agent.agent_id,
      el("span", { class: "actions" }, activityBadge(agent.activity),
        agent.on_call ? el("span", { class: "badge red", "data-testid": "on-call" }, "On a call") : null),
      tasks ? el("span", { class: "badge blue" }, tasks === 1 ? "1 task" : `${tasks} tasks`) : "–",
      from ? el("span", { "data-since": from }, "0:00") : "–",
    ],
  };
}

// breaches: the queues flagged at the last refresh; a queue that starts breaching gets ONE
// notice (announced and shown) until it recovers and breaches again.
export function wallboard({ queues, agents, notice }) {
  let breaching = new Set();

  function noticeFor(names) {
    const list = names.join(", ");
    const message = names.length === 1
      ? `Service level breach: ${list} is below its target.`
      : `Service level breach: ${list} are below their targets.`;
    replace(notice, el("span", {}, message), el("button", { class: "btn small", type: "button",
      onclick: () => { notice.hidden = true; } }, "Dismiss"));
    notice.hidden = false;
    announce(message);
  }

  function render(board) {
    const now = Date.now() / 1000;
    const list = (board && board.queues) || [];
    const crew = (board && board.agents) || [];
    if (!list.length) {
      replace(queues, el("div", { class: "empty" }, el("strong", {}, "No queues yet"),
        "Queues appear here once your phone menu sends callers to one."));
    } else {
      replace(queues, el("div", { class: "tiles" }, list.map((queue) => queueTile(queue, now))));
    }
    if (!crew.length) {
      replace(agents, el("div", { class: "empty" }, el("strong", {}, "No agents yet"),
        "An owner or admin can add agents on the Admin page."));
    } else {
      replace(agents, dataTable("Agents and their state",
        [{ label: "Agent" }, { label: "State" }, { label: "Tasks", num: true }, { label: "In state", num: true }],
        crew.map(agentRow)));
    }
    const now_breaching = new Set(list.filter((queue) => queue.breach).map((queue) => queue.name));
    const fresh = [...now_breaching].filter((name) => !breaching.has(name));
    breaching = now_breaching;
    if (fresh.length) noticeFor(fresh);
    tick(queues);
    tick(agents);
  }

  return { render };
}
