// The presence selector: Available / Break / Offline, saved with PUT api/me/activity.
import { api } from "./api.js";
import { announce } from "./dom.js";
import { titleCase } from "./format.js";

const KNOWN = ["available", "break", "offline", "away"];

// What the agent is doing beside their presence, as Flex shows it: "On a call", "Wrap-up".
const WORK = { call: { label: "On a call", dot: "busy" }, wrapup: { label: "Wrap-up", dot: "wrap-up" } };
let work = null;

function paint(select, dot) {
  const value = select.dataset.saved || "offline";
  dot.className = `dot ${work ? WORK[work].dot : value === "away" ? "break" : value}`;
  const label = document.getElementById("work-state");
  if (label) {
    label.textContent = work ? WORK[work].label : "";
    label.dataset.state = work || "";
    label.hidden = !work;
  }
}

function show(select, dot, activity) {
  const value = KNOWN.includes(activity) ? activity : "offline";
  select.value = value;
  select.dataset.saved = value;
  paint(select, dot);
}

// "call", "wrapup" or null (free).
export function showWork(state) {
  work = WORK[state] ? state : null;
  const select = document.getElementById("presence");
  const dot = document.getElementById("presence-dot");
  if (select && dot) paint(select, dot);
}

// The selector stays disabled (in the HTML) until the agent's current presence is known.
export function setUpPresence(select, dot, onError, initial, onActivity = () => {}) {
  show(select, dot, initial);
  onActivity(select.dataset.saved);
  select.disabled = false;
  select.addEventListener("change", async () => {
    const wanted = select.value;
    select.disabled = true;
    try {
      const result = await api("PUT", "api/me/activity", { activity: wanted });
      show(select, dot, (result && result.activity) || wanted);
      onActivity(select.dataset.saved);
      announce(`Status set to ${titleCase(select.value)}.`);
      onError(null);
    } catch (error) {
      show(select, dot, select.dataset.saved);
      onError(error);
    } finally {
      select.disabled = false;
    }
  });
  return (activity) => {
    if (!select.disabled && activity) {
      show(select, dot, activity);
      onActivity(select.dataset.saved);
    }
  };
}
