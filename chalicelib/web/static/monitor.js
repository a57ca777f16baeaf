// The supervisor's live calls (GET api/supervisor/calls): agent, caller, queue, duration,
// with Listen, Whisper and Barge (POST api/tasks/{id}/monitor) and Stop (DELETE). The
// monitor leg rings the supervisor's own browser phone, which answers it.
import { api } from "./api.js";
import { el, replace, announce } from "./dom.js";
import { formatPhone, titleCase } from "./format.js";
import { dataTable } from "./table.js";
import { tick } from "./clock.js";

const MODES = [["listen", "Listen"], ["whisper", "Whisper"], ["barge", "Barge"]];
const DOING = { listen: "Listening", whisper: "Whispering", barge: "Barged in" };

export function liveCalls(container, phone, me, onError) {
  let calls = [];
  let key = null;
  let mine = null; // { taskId, mode } being monitored from this page

  async function monitor(call, mode) {
    try {
      if (!mine || mine.taskId !== call.task_id || !phone.call) {
        if (!phone.registered) throw new Error("Your browser phone is not connected yet; try again in a moment.");
        if (mine && phone.call) await stop({ task_id: mine.taskId });
        phone.expect();
      }
      await api("POST", `api/tasks/${encodeURIComponent(call.task_id)}/monitor`, { mode });
      mine = { taskId: call.task_id, mode };
      announce(`${DOING[mode]}: ${call.agent_name || "the agent"}'s call.`);
      onError(null);
    } catch (error) {
      phone.cancelExpect();
      onError(error);
    }
    render(true);
  }

  async function stop(call) {
    try {
      await api("DELETE", `api/tasks/${encodeURIComponent(call.task_id)}/monitor`);
      onError(null);
    } catch (error) {
      onError(error);
    }
    mine = null;
    phone.hangUp();
    render(true);
  }

  function actions(call) {
    const current = mine && mine.taskId === call.task_id ? mine.mode : null;
    return el("span", { class: "actions", role: "group", "aria-label": `Monitor ${call.agent_name || "the agent"}'s call` },
      MODES.map(([mode, label]) => el("button", {
        class: `btn small${current === mode ? " primary" : ""}`, type: "button", "aria-pressed": String(current === mode),
        onclick: () => monitor(call, mode),
      }, label)),
      current ? el("button", { class: "btn small reject", type: "button", onclick: () => stop(call) }, "Stop") : null);
  }

  function state(call) {
    const monitor = call.monitor;
    return el("span", { class: "actions" },
      call.on_hold ? el("span", { class: "badge amber" }, "On hold") : el("span", { class: "badge green" }, "Talking"),
      monitor ? el("span", { class: "badge blue", "data-testid": "monitor-state" },
        `${DOING[monitor.mode] || titleCase(monitor.mode)}${monitor.supervisor_id === me ? " (you)" : ""}`) : null);
  }

  function render(force = false) {
    const next = JSON.stringify([calls.map((c) => [c.task_id, c.on_hold, c.monitor, c.agent_name, c.queue]), mine]);
    if (next === key && !force) { tick(container); return; }
    key = next;
    if (!calls.length) {
      replace(container, el("div", { class: "empty" }, el("strong", {}, "No live calls"),
        "Calls in progress show here, with listen, whisper and barge."));
      return;
    }
    replace(container, dataTable("Live calls you can monitor",
      [{ label: "Agent" }, { label: "Caller" }, { label: "Queue" }, { label: "Duration", num: true }, { label: "State" }, { label: "Monitor" }],
      calls.map((call) => ({
        attrs: { "data-call": call.task_id },
        cells: [
          call.agent_name || call.agent_id,
          formatPhone(call.caller),
          call.queue || (call.direction === "outbound" ? "Outbound" : "–"),
          el("span", { "data-since": Number(call.started_at) || Date.now() / 1000 - Number(call.duration_seconds || 0) }, "0:00"),
          state(call),
          actions(call),
        ],
      }))));
    tick(container);
  }

  return {
    async refresh() {
      const found = await api("GET", "api/supervisor/calls");
      calls = (found && found.calls) || [];
      if (mine && !calls.some((call) => call.task_id === mine.taskId)) { mine = null; phone.hangUp(); }
      render();
    },
  };
}
