// Time zone and holidays on the admin page: PUT api/tenant {timezone, holidays}.
// Holidays are whole days, closed in the business's own time zone; a closure of several
// days is added as a first and a last day (a last day before the first is refused here).
import { el, replace } from "./dom.js";
import { clearErrors, showError, whileBusy } from "./forms.js";
import { saveTenant, savedNote } from "./admin-tenant.js";

const COMMON_ZONES = [
  "America/New_York", "America/Chicago", "America/Denver", "America/Phoenix",
  "America/Los_Angeles", "America/Anchorage", "Pacific/Honolulu", "America/Toronto",
  "America/Vancouver", "America/Mexico_City", "America/Sao_Paulo", "Europe/London",
  "Europe/Dublin", "Europe/Paris", "Europe/Berlin", "Europe/Madrid", "Europe/Rome",
  "Europe/Amsterdam", "Africa/Johannesburg", "Asia/Dubai", "Asia/Kolkata",
  "Asia/Singapore", "Asia/Tokyo", "Australia/Sydney", "Pacific/Auckland", "UTC",
];
const MAX_DAYS = 366;

function zones(current) {
  let all = COMMON_ZONES;
  try {
    if (typeof Intl.supportedValuesOf === "function") all = Intl.supportedValuesOf("timeZone");
  } catch (_unsupported) {
    all = COMMON_ZONES;
  }
  return all.includes(current) ? all : [current, ...all];
}

// Every date from `first` to `last` (YYYY-MM-DD), both included.
export function daysBetween(first, last) {
  const out = [];
  const day = new Date(`${first}T00:00:00Z`);
  const end = new Date(`${last}T00:00:00Z`);
  while (day <= end && out.length <= MAX_DAYS) {
    out.push(day.toISOString().slice(0, 10));
    day.setUTCDate(day.getUTCDate() + 1);
  }
  return out;
}

function dayLabel(iso) {
  const day = new Date(`${iso}T00:00:00Z`);
  return day.toLocaleDateString(undefined, { weekday: "short", day: "numeric", month: "short", year: "numeric", timeZone: "UTC" });
}

export function calendarCard(tenant) {
  let holidays = [...(tenant.holidays || [])].sort();
  const note = el("p", { class: "small muted", role: "status" });
  const list = el("ul", { class: "pills", id: "holiday-list", "aria-label": "Holidays" });
  const zone = el("select", { id: "tenant-timezone", name: "timezone", "aria-describedby": "tenant-timezone-hint tenant-timezone-error" },
    zones(tenant.timezone).map((name) => new Option(name.replace(/_/g, " "), name, false, name === tenant.timezone)));
  const first = el("input", { id: "holiday-from", name: "holiday_from", type: "date", "aria-describedby": "holiday-from-error" });
  const last = el("input", { id: "holiday-to", name: "holiday_to", type: "date", "aria-describedby": "holiday-to-hint holiday-to-error" });
  const form = el("form", { novalidate: true, id: "calendar-form" },
    el("p", { class: "alert error", "data-form-error": true, role: "alert" }),
    el("div", { class: "field" },
      el("label", { for: "tenant-timezone" }, "Time zone"), zone,
      el("p", { class: "hint", id: "tenant-timezone-hint" }, "Opening hours, holidays and reports follow it."),
      el("p", { class: "error", id: "tenant-timezone-error", "data-error-for": "timezone" })),
    el("h4", {}, "Holidays"),
    list,
    el("div", { class: "form-row" },
      el("div", { class: "field" },
        el("label", { for: "holiday-from" }, "Closed on"), first,
        el("p", { class: "error", id: "holiday-from-error", "data-error-for": "holiday_from" })),
      el("div", { class: "field" },
        el("label", { for: "holiday-to" }, "Until ", el("span", { class: "muted" }, "(optional)")), last,
        el("p", { class: "hint", id: "holiday-to-hint" }, "The last day closed, for several days."),
        el("p", { class: "error", id: "holiday-to-error", "data-error-for": "holiday_to" }))),
    el("div", { class: "actions" },
      el("button", { class: "btn", type: "button", id: "add-holiday" }, "Add holiday"),
      el("button", { class: "btn primary", type: "submit" }, "Save time zone and holidays"),
      note));

  const draw = () => {
    if (!holidays.length) {
      replace(list, el("li", { class: "muted small none" }, "No holidays: open every week as usual."));
      return;
    }
    replace(list, holidays.map((day) => el("li", { "data-holiday": day },
      el("span", {}, dayLabel(day)),
      el("button", { class: "btn small", type: "button", "aria-label": `Remove ${dayLabel(day)}`,
        onclick: () => { holidays = holidays.filter((d) => d !== day); draw(); } }, "Remove"))));
  };
  form.querySelector("#add-holiday").addEventListener("click", () => {
    clearErrors(form);
    if (!first.value) {
      showError(form, { path: "holiday_from", message: "Choose the day you are closed." });
      return;
    }
    if (last.value && last.value < first.value) {
      showError(form, { path: "holiday_to", message: "The last day is before the first." });
      return;
    }
    const added = daysBetween(first.value, last.value || first.value);
    if (added.length > 60) {
      showError(form, { path: "holiday_to", message: "That is more than 60 days: add a shorter closure." });
      return;
    }
    holidays = [...new Set([...holidays, ...added])].sort();
    first.value = "";
    last.value = "";
    note.textContent = `${added.length === 1 ? "1 day" : `${added.length} days`} added: save to keep ${added.length === 1 ? "it" : "them"}.`;
    draw();
  });
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    clearErrors(form);
    try {
      const updated = await whileBusy(form.querySelector("button[type=submit]"), "Saving…",
        () => saveTenant({ timezone: zone.value, holidays }));
      holidays = [...(updated.holidays || [])];
      draw();
      savedNote(note, "Time zone and holidays saved.");
    } catch (error) {
      note.textContent = "";
      showError(form, error);
    }
  });
  draw();
  return form;
}
