// Sign a business up, keep the owner's session, and go to the admin page.
import { api, saveSession } from "./api.js";
import { showError, values, whileBusy } from "./forms.js";

const WELCOME_KEY = "hotline.welcome"; // read once by admin.js

const COMMON_ZONES = [
  "America/New_York", "America/Chicago", "America/Denver", "America/Phoenix",
  "America/Los_Angeles", "America/Anchorage", "Pacific/Honolulu", "America/Toronto",
  "America/Vancouver", "America/Mexico_City", "America/Sao_Paulo", "Europe/London",
  "Europe/Dublin", "Europe/Paris", "Europe/Berlin", "Europe/Madrid", "Europe/Rome",
  "Europe/Amsterdam", "Africa/Johannesburg", "Asia/Dubai", "Asia/Kolkata",
  "Asia/Singapore", "Asia/Tokyo", "Australia/Sydney", "Pacific/Auckland", "UTC",
];

function fillZones(select) {
  const browserZone = Intl.DateTimeFormat().resolvedOptions().timeZone || "UTC";
  const zones = COMMON_ZONES.includes(browserZone) ? COMMON_ZONES : [browserZone, ...COMMON_ZONES];
  for (const zone of zones) {
    const option = new Option(zone.replace(/_/g, " "), zone, false, zone === browserZone);
    select.add(option);
  }
}

async function signUp(event) {
  event.preventDefault();
  const form = event.currentTarget;
  const body = values(form);
  if (!body.area_code) body.area_code = null;
  try {
    const result = await whileBusy(form.querySelector("button[type=submit]"), "Setting up your number…",
      () => api("POST", "api/signup", body, { auth: false }));
    saveSession(result.token, result.user);
    sessionStorage.setItem(WELCOME_KEY, JSON.stringify(result.tenant || {}));
    window.location.assign("admin");
  } catch (error) {
    showError(form, error);
  }
}

fillZones(document.getElementById("signup-timezone"));
document.getElementById("signup-form").addEventListener("submit", signUp);
