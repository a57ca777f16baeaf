// The integrations page (owners and admins): API keys (the secret shown once, with a copy
// button; revoke with a confirm), webhooks (events, the signing secret shown once, send a
// test, the delivery log).
// API: GET/POST api/keys, DELETE api/keys/{id}; GET/POST api/webhooks,
// DELETE api/webhooks/{id}, GET api/webhooks/{id}/deliveries, POST api/webhooks/{id}/test.
import { api, requireSession } from "./api.js";
import { el, replace, announce } from "./dom.js";
import { setUpChrome } from "./chrome.js";
import { dataTable } from "./table.js";
import { values, clearErrors, showError, whileBusy } from "./forms.js";
import { formatWhen } from "./format.js";

const $ = (id) => document.getElementById(id);
const EVENT_NAMES = {
  "interaction.completed": "Interaction completed",
  "voicemail.received": "Voicemail received",
  "contact.created": "Contact created",
  "task.abandoned": "Caller abandoned",
  "webhook.test": "Test",
};
const STATUS_BADGES = { delivered: "green", retrying: "amber", pending: "blue", failed: "red" };
let logFor = null;

function when(epoch) {
  return epoch ? formatWhen(epoch) : "—";
}

function pageError(error) {
  $("page-error").textContent = error ? error.message : "";
}

async function copy(input, button) {
  input.select();
  try {
    await navigator.clipboard.writeText(input.value);
  } catch (_noClipboard) {
    document.execCommand("copy");
  }
  button.textContent = "Copied";
  announce("Copied to the clipboard");
  window.setTimeout(() => { button.textContent = "Copy"; }, 2000);
}

// --- API keys -------------------------------------------------------------------------
function keyRow(key) {
  const revoked = Boolean(key.revoked_at);
  const status = revoked ? el("span", { class: "badge" }, "Revoked") : el("span", { class: "badge green" }, "Active");
  const action = revoked ? "" : el("button", {
    class: "btn small danger", type: "button", "data-revoke": key.id,
    onclick: () => revokeKey(key),
  }, "Revoke");
  return {
    attrs: { "data-key": key.id, class: revoked ? "revoked" : null },
    cells: [key.name, el("code", {}, `${key.prefix}…`), key.role, when(key.created_at),
      when(key.last_used_at), status, action],
  };
}

async function loadKeys() {
  const { keys } = await api("GET", "api/keys");
  replace($("keys"), keys.length
    ? dataTable("API keys", [{ label: "Name" }, { label: "Key" }, { label: "Role" }, { label: "Created" },
      { label: "Last used" }, { label: "Status" }, { label: "Actions", hidden: true }], keys.map(keyRow))
    : el("p", { class: "muted" }, "No API keys yet."));
}

async function createKey(event) {
  event.preventDefault();
  const form = event.target;
  clearErrors(form);
  try {
    const created = await whileBusy($("create-key"), "Creating…",
      () => api("POST", "api/keys", values(form)));
    $("new-key-value").value = created.key;
    $("new-key").hidden = false;
    form.reset();
    announce(`Key ${created.name} created. Copy it now: it is shown once.`);
    await loadKeys();
  } catch (error) {
    showError(form, error);
  }
}

async function revokeKey(key) {
  if (!window.confirm(`Revoke the key "${key.name}"? Anything using it is refused at once.`)) return;
  try {
    await api("DELETE", `api/keys/${encodeURIComponent(key.id)}`);
    announce(`Key ${key.name} revoked`);
    await loadKeys();
  } catch (error) {
    pageError(error);
  }
}

// --- webhooks -------------------------------------------------------------------------
function hookRow(hook) {
  const events = el("span", { class: "event-list" },
    hook.events.map((name) => el("span", { class: "badge blue" }, EVENT_NAMES[name] || name)));
  const actions = el("span", { class: "row-actions" },
    el("button", { class: "btn small", type: "button", "data-test": hook.id, onclick: (e) => sendTest(hook, e.target) }, "Send test"),
    el("button", { class: "btn small", type: "button", "data-log": hook.id, onclick: () => showLog(hook) }, "Deliveries"),
    el("button", { class: "btn small danger", type: "button", "data-delete": hook.id, onclick: () => deleteHook(hook) }, "Delete"));
  return {
    attrs: { "data-hook": hook.id },
    cells: [el("code", { class: "url" }, hook.url), events, hook.description || "—", when(hook.created_at), actions],
  };
}

async function loadHooks() {
  const { webhooks } = await api("GET", "api/webhooks");
  replace($("hooks"), webhooks.length
    ? dataTable("Webhooks", [{ label: "URL" }, { label: "Events" }, { label: "Description" }, { label: "Added" },
      { label: "Actions", hidden: true }], webhooks.map(hookRow))
    : el("p", { class: "muted" }, "No webhooks yet."));
}

async function addHook(event) {
  event.preventDefault();
  const form = event.target;
  clearErrors(form);
  const body = { url: form.elements.url.value.trim(),
    events: [...form.querySelectorAll('input[name="events"]:checked')].map((box) => box.value) };
  const description = form.elements.description.value.trim();
  if (description) body.description = description;
  try {
    const created = await whileBusy($("add-hook"), "Adding…", () => api("POST", "api/webhooks", body));
    $("new-secret-value").value = created.secret;
    $("new-secret").hidden = false;
    form.elements.url.value = "";
    form.elements.description.value = "";
    announce("Webhook added. Copy its signing secret now: it is shown once.");
    await loadHooks();
  } catch (error) {
    showError(form, error.path && error.path.startsWith("events") ? { ...error, message: error.message, path: "events" } : error);
  }
}

async function deleteHook(hook) {
  if (!window.confirm(`Delete the webhook to ${hook.url}? Pending deliveries stop.`)) return;
  try {
    await api("DELETE", `api/webhooks/${encodeURIComponent(hook.id)}`);
    if (logFor && logFor.id === hook.id) { logFor = null; $("log").hidden = true; }
    announce("Webhook deleted");
    await loadHooks();
  } catch (error) {
    pageError(error);
  }
}

async function sendTest(hook, button) {
  try {
    const { delivery } = await whileBusy(button, "Sending…",
      () => api("POST", `api/webhooks/${encodeURIComponent(hook.id)}/test`));
    announce(delivery.status === "delivered" ? "Test delivered" : `Test failed: ${delivery.error || delivery.status}`);
    await showLog(hook);
  } catch (error) {
    pageError(error);
  }
}

function deliveryRow(d) {
  const status = el("span", { class: `badge ${STATUS_BADGES[d.status] || ""}` }, d.status);
  return {
    attrs: { "data-delivery": d.id, "data-status": d.status },
    cells: [EVENT_NAMES[d.event_type] || d.event_type, when(d.created_at), status, String(d.attempt_count),
      d.status_code === null ? "—" : String(d.status_code), d.error || "—",
      d.next_retry_at ? when(d.next_retry_at) : "—", el("code", {}, d.event_id)],
  };
}

async function showLog(hook) {
  logFor = hook;
  $("log").hidden = false;
  $("log-title").textContent = `Deliveries to ${hook.url}`;
  try {
    const { deliveries } = await api("GET", `api/webhooks/${encodeURIComponent(hook.id)}/deliveries`);
    replace($("log-table"), deliveries.length
      ? dataTable("Deliveries", [{ label: "Event" }, { label: "When" }, { label: "Status" }, { label: "Attempts", num: true },
        { label: "Code", num: true }, { label: "Error" }, { label: "Next retry" }, { label: "Event id" }], deliveries.map(deliveryRow))
      : el("p", { class: "muted" }, "Nothing delivered yet. Send a test to try the URL."));
  } catch (error) {
    pageError(error);
  }
}

async function start() {
  const current = requireSession(["owner", "admin"]);
  if (!current) return;
  setUpChrome(current, "integrations");
  $("key-form").addEventListener("submit", createKey);
  $("hook-form").addEventListener("submit", addHook);
  $("copy-key").addEventListener("click", (e) => copy($("new-key-value"), e.target));
  $("copy-secret").addEventListener("click", (e) => copy($("new-secret-value"), e.target));
  $("refresh-log").addEventListener("click", () => logFor && showLog(logFor));
  try {
    await Promise.all([loadKeys(), loadHooks()]);
  } catch (error) {
    pageError(error);
  }
}

start();
