// Password reset, both steps: ask for a link by email; then, opened from the mailed link
// (reset#token=…), choose a new password. The token stays in the URL's fragment, which
// browsers never send to a server or in a Referer.
import { api, clearSession } from "./api.js";
import { clearErrors, showError, values, whileBusy } from "./forms.js";

function tokenFromLink() {
  const hash = new URLSearchParams(window.location.hash.replace(/^#/, ""));
  return hash.get("token") || "";
}

async function ask(event) {
  event.preventDefault();
  const form = event.currentTarget;
  const done = document.getElementById("ask-done");
  done.textContent = "";
  clearErrors(form);
  const { email } = values(form);
  if (!email || !email.includes("@")) {
    showError(form, { path: "email", message: "Enter the email you log in with." });
    return;
  }
  try {
    await whileBusy(form.querySelector("button[type=submit]"), "Sending…",
      () => api("POST", "api/auth/password-reset", { email }, { auth: false }));
    // The same words whether or not the address has an account: Hotline never says.
    document.getElementById("ask-notice").textContent = "";
    done.textContent = `If ${email} has a Hotline account, a reset link is on its way. Check your inbox (and spam) in a minute.`;
    form.reset();
  } catch (error) {
    showError(form, error);
  }
}

async function choose(event) {
  event.preventDefault();
  const form = event.currentTarget;
  clearErrors(form);
  const { token, password, again } = values(form);
  if (password !== again) {
    showError(form, { path: "again", message: "The two passwords differ." });
    return;
  }
  try {
    await whileBusy(form.querySelector("button[type=submit]"), "Saving…",
      () => api("POST", "api/auth/password-reset/confirm", { token, password }, { auth: false }));
    clearSession();
    history.replaceState(null, "", window.location.pathname); // the used token leaves the URL
    form.hidden = true;
    const done = document.getElementById("set-done");
    done.replaceChildren("Your password is changed. ", Object.assign(document.createElement("a"), { href: "login", textContent: "Log in with it" }), ".");
  } catch (error) {
    if (error.path === "token") {
      offerNewLink(error.message);
      return;
    }
    showError(form, error);
  }
}

// A link that has expired or was used: no new password can be set with it, so the page
// goes back to the first step and says why.
function offerNewLink(message) {
  history.replaceState(null, "", window.location.pathname);
  document.getElementById("set-step").hidden = true;
  document.getElementById("ask-step").hidden = false;
  const text = message.charAt(0).toUpperCase() + message.slice(1);
  document.getElementById("ask-notice").textContent = text.endsWith(".") ? text : `${text}.`;
  document.getElementById("ask-email").focus();
}

// Opened from the mail, or the link pasted into this page's address bar (the fragment
// changes without a reload): show the second step.
function showChoose() {
  const token = tokenFromLink();
  if (!token) return;
  document.getElementById("ask-notice").textContent = "";
  document.getElementById("ask-step").hidden = true;
  document.getElementById("set-step").hidden = false;
  document.getElementById("set-form").hidden = false;
  document.getElementById("set-done").textContent = "";
  document.getElementById("set-token").value = token;
  document.getElementById("set-password").focus();
}

function start() {
  document.getElementById("ask-form").addEventListener("submit", ask);
  document.getElementById("set-form").addEventListener("submit", choose);
  window.addEventListener("hashchange", showChoose);
  showChoose();
}

start();
