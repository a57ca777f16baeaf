// The admin page: the business, its users and its flows. Owners and admins only.
import { requireSession } from "./api.js";
import { el, replace } from "./dom.js";
import { formatPhone } from "./format.js";
import { setUpChrome } from "./chrome.js";
import { loadBusiness } from "./admin-business.js";
import { loadUsers, setUpAddUser } from "./admin-users.js";
import { listFlows } from "./admin-flows.js";

const WELCOME_KEY = "hotline.welcome";

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
  const banner = document.getElementById("welcome");
  replace(banner,
    el("strong", {}, `Welcome to Hotline, ${tenant.name || "and welcome aboard"}! `),
    "Your new number is ", el("span", { class: "number", "data-testid": "new-number" }, formatPhone(tenant.number)),
    ". Calls to it reach your phone menu now. Next, add your agents below.");
  banner.hidden = false;
}

const current = requireSession(["owner", "admin"]);
if (current) {
  setUpChrome(current, "admin");
  welcome();
  loadBusiness(document.getElementById("business-body"), document.getElementById("business-name"));
  loadUsers(document.getElementById("users-body"));
  setUpAddUser(document.getElementById("add-user"), document.getElementById("users-body"));
  listFlows();
}
