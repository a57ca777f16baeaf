// The supervisor's console: the live calls (issue 7, monitor.js) and the wallboard
// (wallboard.js), refreshed together every 3 s with ONE request for the whole board:
// GET api/wallboard (queues with today's figures and agents' states), never one per agent.
import { api, requireSession } from "./api.js";
import { setUpChrome } from "./chrome.js";
import { liveCalls } from "./monitor.js";
import { wallboard } from "./wallboard.js";
import { Phone } from "./phone.js";
import { startClock } from "./clock.js";

const POLL_MS = 3000;
const page = {
  queues: document.getElementById("queues"),
  agents: document.getElementById("agents"),
  error: document.getElementById("live-error"),
  notice: document.getElementById("breach-notice"),
  updated: document.getElementById("updated"),
  calls: document.getElementById("calls"),
  callsError: document.getElementById("calls-error"),
  phoneState: document.getElementById("phone-state"),
};
let calls = { refresh: async () => {} };
const board = wallboard({ queues: page.queues, agents: page.agents, notice: page.notice });

function showLiveError(error) {
  page.callsError.textContent = error ? error.message : "";
}

let stopped = false;
async function poll() {
  try {
    const [found] = await Promise.all([api("GET", "api/wallboard"),
      calls.refresh().catch((error) => { if (error.status === 401) throw error; showLiveError(error); })]);
    board.render(found);
    page.error.textContent = "";
    const at = found && found.generated_at ? new Date(typeof found.generated_at === "number"
      ? found.generated_at * 1000 : found.generated_at) : new Date();
    page.updated.textContent = `Updated ${(Number.isNaN(at.getTime()) ? new Date() : at).toLocaleTimeString()}`;
  } catch (error) {
    if (error.status === 401) stopped = true;
    else page.error.textContent = error.message;
  }
}

async function loop() {
  await poll();
  if (!stopped) window.setTimeout(loop, POLL_MS);
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

const current = requireSession(["supervisor", "owner", "admin"]);
if (current) {
  setUpChrome(current, "supervisor");
  startPhone(current.user);
  startClock();
  loop();
}
