// The admin page, in four groups under sticky tabs: Business (hours, time zone and
// holidays, dispositions, what callers hear, web chat), Routing (queues, agents,
// monitoring), Numbers & flows, and Users. Owners and admins only.
import { api, requireSession } from "./api.js";
import { el, replace } from "./dom.js";
import { formatPhone } from "./format.js";
import { setUpChrome } from "./chrome.js";
import { monitoringForm, showBusiness } from "./admin-business.js";
import { calendarCard } from "./admin-calendar.js";
import { dispositionsForm } from "./admin-dispositions.js";
import { messagesForm } from "./admin-messages.js";
import { loadQueues } from "./admin-queues.js";
import { loadAgents } from "./admin-agents.js";
import { loadNumberFlows } from "./admin-numbers.js";
import { setUpTabs } from "./admin-tabs.js";
import { loadUsers, setUpAddUser } from "./admin-users.js";
import { listFlows } from "./admin-flows.js";

const WELCOME_KEY = "hotline.welcome";
const byId = (id) => document.getElementById(id);

function welcome() {
  const raw = sessionStorage.getItem(WELCOME_KEY);
  if (!raw) return;
  sessionStorage.removeItem(WELCOME_KEY);
  let tenant = {};
  try {
    tenant = JSON.parse(raw) || {};
  } catch (_ignored) {
    return;
  }
  const banner = byId("welcome");
  replace(banner,
    el("strong", {}, `Welcome to Hotline, ${tenant.name || "and welcome aboard"}! `),
    "Your new number is ", el("span", { class: "number", "data-testid": "new-number" }, formatPhone(tenant.number)),
    ". Calls to it reach your phone menu now. Next, add your agents under Users.");
  banner.hidden = false;
}

async function loadTenant() {
  const slots = ["business-body", "calendar-body", "dispositions-body", "messages-body", "number-flows-body"].map(byId);
  try {
    const tenant = await api("GET", "api/tenant");
    showBusiness(tenant, byId("business-body"), byId("business-name"));
    replace(byId("calendar-body"), calendarCard(tenant));
    replace(byId("dispositions-body"), dispositionsForm(tenant));
    replace(byId("messages-body"), messagesForm(tenant));
    await loadNumberFlows(byId("number-flows-body"), tenant);
  } catch (error) {
    for (const slot of slots) replace(slot, el("p", { class: "alert error" }, error.message));
  }
}

const current = requireSession(["owner", "admin"]);
if (current) {
  setUpChrome(current, "admin");
  setUpTabs(byId("admin-tabs"));
  welcome();
  loadTenant();
  loadQueues(byId("queues-body"), byId("queue-editor"));
  loadAgents(byId("agents-body"), byId("agent-editor"));
  replace(byId("monitoring-body"), monitoringForm());
  loadUsers(byId("users-body"));
  setUpAddUser(byId("add-user"), byId("users-body"));
  listFlows();
}
