// The presence selector: Available / Break / Offline, saved with PUT api/me/activity.
import { api } from "./api.js";
import { announce } from "./dom.js";
import { titleCase } from "./format.js";

const KNOWN = ["available", "break", "offline", "away"];

function show(select, dot, activity) {
  const value = KNOWN.includes(activity) ? activity : "offline";
  select.value = value;
  select.dataset.saved = value;
  dot.className = `dot ${value === "away" ? "break" : value}`;
}

// The selector stays disabled (in the HTML) until the agent's current presence is known.
export function setUpPresence(select, dot, onError, initial) {
  show(select, dot, initial);
  select.disabled = false;
  select.addEventListener("change", async () => {
    const wanted = select.value;
    select.disabled = true;
    try {
      const result = await api("PUT", "api/me/activity", { activity: wanted });
      show(select, dot, (result && result.activity) || wanted);
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
    if (!select.disabled && activity) show(select, dot, activity);
  };
}
