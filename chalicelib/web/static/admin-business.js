// The business card on the admin page: its numbers and weekly hours; the monitoring
// setting and the web chat card.
import { api } from "./api.js";
import { el, replace } from "./dom.js";
import { showError, whileBusy } from "./forms.js";
import { formatPhone } from "./format.js";
import { onTenantChange, saveTenant } from "./admin-tenant.js";

const DAYS = [["mon", "Monday"], ["tue", "Tuesday"], ["wed", "Wednesday"], ["thu", "Thursday"],
  ["fri", "Friday"], ["sat", "Saturday"], ["sun", "Sunday"]];

export function spansText(spans) {
  return (spans || []).map(([from, to]) => `${from}-${to}`).join(", ");
}

// "09:00-12:00, 13:00-17:00" -> [["09:00","12:00"],["13:00","17:00"]]; empty is closed.
export function parseSpans(text) {
  const trimmed = text.trim();
  if (!trimmed || /^closed$/i.test(trimmed)) return [];
  return trimmed.split(",").map((part) => part.split("-").map((time) => time.trim()));
}

function numbersList(numbers) {
  if (!numbers.length) return el("p", { class: "muted" }, "No number yet.");
  return el("ul", { class: "history" }, numbers.map((entry) => el("li", { class: "completed" },
    el("div", { class: "number", "data-testid": "business-number" }, formatPhone(entry.number)),
    el("div", { class: "muted small" }, "Runs ", el("a", { href: "#number-flows" }, "its flows"), "."))));
}

function hoursForm(tenant, onSaved, message) {
  const saved = el("p", { class: "small muted", role: "status" }, message || "");
  const rows = DAYS.map(([day, label]) => el("div", { class: "field" },
    el("label", { for: `hours-${day}` }, label),
    el("input", { id: `hours-${day}`, name: `hours.${day}`, value: spansText((tenant.hours || {})[day]), placeholder: "Closed", "aria-describedby": `hours-${day}-error` }),
    el("p", { class: "error", id: `hours-${day}-error`, "data-error-for": `hours.${day}` })));
  const form = el("form", { novalidate: true, "aria-labelledby": "hours-title" },
    el("h4", { id: "hours-title" }, "Opening hours"),
    el("p", { class: "hint muted small" }, `In ${tenant.timezone}. Write ranges like 09:00-17:00; separate several with commas; leave empty when closed. To stay open past midnight, end at 24:00 and go on the next day from 00:00.`),
    el("p", { class: "alert error", "data-form-error": true, role: "alert" }),
    el("div", { class: "form-row hours-row" }, rows),
    el("div", { class: "actions" }, el("button", { class: "btn primary", type: "submit" }, "Save hours"), saved));
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const hours = {};
    for (const [day] of DAYS) hours[day] = parseSpans(form.elements.namedItem(`hours.${day}`).value);
    try {
      const updated = await whileBusy(form.querySelector("button[type=submit]"), "Saving…",
        () => saveTenant({ hours }));
      onSaved(updated, "Hours saved.");
    } catch (error) {
      saved.textContent = "";
      showError(form, error);
    }
  });
  return form;
}

// Whether agents see that a supervisor is listening, whispering or barging in: the
// tenant's call settings, GET/PUT api/voice/settings {show_monitoring_to_agents}.
export function monitoringForm() {
  const saved = el("p", { class: "small muted", role: "status" });
  const box = el("input", { id: "show-monitoring", name: "show_monitoring_to_agents", type: "checkbox", disabled: true });
  api("GET", "api/voice/settings")
    .then((settings) => { box.checked = Boolean(settings && settings.show_monitoring_to_agents); box.disabled = false; })
    .catch((error) => { saved.textContent = `Call settings did not load: ${error.message}`; });
  box.addEventListener("change", async () => {
    box.disabled = true;
    try {
      const updated = await api("PUT", "api/voice/settings", { show_monitoring_to_agents: box.checked });
      box.checked = Boolean(updated && updated.show_monitoring_to_agents);
      saved.textContent = box.checked ? "Agents now see when they are monitored." : "Monitoring is now hidden from agents.";
    } catch (error) {
      box.checked = !box.checked;
      saved.textContent = error.message;
    } finally {
      box.disabled = false;
    }
  });
  return el("div", { class: "monitoring-setting" },
    el("label", { class: "toggle", for: "show-monitoring" }, box,
      el("span", {}, el("strong", {}, "Tell agents when a supervisor is monitoring their call"),
        el("span", { class: "muted small" }, " Shows “Being monitored” on the agent desktop while a supervisor listens, whispers or barges in."))),
    saved);
}

// The web chat card: the one <script> tag to paste into the business's own site, with
// its public widget key (GET api/tenant's widget_key), and a copy button.
export function chatSnippet(widgetKey, pageUrl) {
  const src = new URL("chat/widget.js", pageUrl).href;
  return `<script src="${src}" data-widget-key="${widgetKey}" defer></script>`;
}

function webChatCard(widgetKey) {
  if (!widgetKey) return el("p", { class: "muted" }, "Web chat is not set up yet.");
  const snippet = chatSnippet(widgetKey, window.location.href);
  const done = el("span", { class: "small muted", role: "status" });
  const code = el("pre", { class: "json snippet", id: "chat-snippet", "data-testid": "chat-snippet" }, snippet);
  const copy = el("button", { class: "btn", type: "button", id: "copy-chat-snippet" }, "Copy snippet");
  copy.addEventListener("click", async () => {
    try {
      await navigator.clipboard.writeText(snippet);
      done.textContent = "Copied. Paste it before </body> on every page that should show the chat.";
    } catch (error) {
      window.getSelection().selectAllChildren(code);
      done.textContent = "Press Ctrl+C (⌘C on a Mac) to copy the selected snippet.";
    }
  });
  return el("div", {},
    el("p", {}, "Paste this tag into your website's pages. Visitors get a chat button; their chats reach your agents' desktops as chat tasks, and land in the CRM."),
    code,
    el("div", { class: "actions" }, copy, done),
    el("dl", { class: "facts" },
      el("dt", {}, "Widget key"), el("dd", {}, el("code", { "data-testid": "widget-key" }, widgetKey)),
      el("dt", {}, "No agent free"), el("dd", {}, "The chat asks for the visitor's name and email, then waits in the support queue."),
      el("dt", {}, "After hours"), el("dd", {}, "The chat takes a message with an email; it waits in the queue as a chat task for the morning.")));
}

function holidaysText(holidays) {
  const days = holidays || [];
  if (!days.length) return "None";
  return days.length > 4 ? `${days.slice(0, 4).join(", ")} and ${days.length - 4} more` : days.join(", ");
}

// The business card, re-drawn with the tenant a save returns; the web chat card.
export function showBusiness(tenant, container, heading) {
  heading.textContent = tenant.name;
  const show = (current, message) => replace(container,
    el("div", { class: "grid-2" },
      el("div", {}, el("h4", {}, "Phone numbers"), numbersList(current.numbers || [])),
      el("dl", { class: "facts" },
        el("dt", {}, "Business"), el("dd", {}, current.name),
        el("dt", {}, "Time zone"), el("dd", { id: "fact-timezone" }, current.timezone),
        el("dt", {}, "Holidays"), el("dd", { id: "fact-holidays" }, holidaysText(current.holidays)))),
    hoursForm(current, show, message));
  show(tenant);
  onTenantChange((updated) => {
    const zone = document.getElementById("fact-timezone");
    const days = document.getElementById("fact-holidays");
    if (zone && updated.timezone) zone.textContent = updated.timezone;
    if (days && updated.holidays) days.textContent = holidaysText(updated.holidays);
  });
  const chatBody = document.getElementById("webchat-body");
  if (chatBody) replace(chatBody, webChatCard(tenant.widget_key));
}
