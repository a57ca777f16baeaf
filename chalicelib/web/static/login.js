// Log in, keep the session, and go to the page for the user's role.
import { api, homeFor, saveSession, session } from "./api.js";
import { showError, values, whileBusy } from "./forms.js";

const NOTICES = {
  expired: "Your session has ended. Please log in again.",
  signin: "Please log in to continue.",
  signedout: "You're logged out.",
};

function showNotice() {
  const reason = new URLSearchParams(window.location.search).get("reason");
  const notice = document.getElementById("login-notice");
  notice.textContent = NOTICES[reason] || "";
}

async function logIn(event) {
  event.preventDefault();
  const form = event.currentTarget;
  const body = values(form);
  try {
    const result = await whileBusy(form.querySelector("button[type=submit]"), "Logging in…",
      () => api("POST", "api/login", body, { auth: false }));
    saveSession(result.token, result.user);
    window.location.assign(homeFor(result.user && result.user.role));
  } catch (error) {
    showError(form, error);
  }
}

showNotice();
const current = session();
if (current && current.user && !new URLSearchParams(window.location.search).get("reason")) {
  window.location.replace(homeFor(current.user.role));
}
document.getElementById("login-form").addEventListener("submit", logIn);
