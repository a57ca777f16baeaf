// Shared formats of the operator's console: a tenant's standing badge, dates in its zone.
import { el } from "./dom.js";

const BADGES = {
  active: ["green", "Active"],
  suspended: ["amber", "Suspended"],
  expired: ["red", "Expired"],
  closed: ["red", "Closed"],
};

export function standingBadge(tenant) {
  const reason = (tenant.standing && tenant.standing.reason) || "active";
  const [colour, label] = BADGES[reason] || ["", reason];
  return el("span", { class: `badge ${colour}`, "data-status": reason }, el("span", { class: "dot op-dot", "aria-hidden": "true" }), label);
}

// The calendar day (YYYY-MM-DD) in `zone` on which the rental ends: the day holding the last
// second before `iso` (a bare date is stored as the next local midnight).
export function lastDay(iso, zone) {
  if (!iso) return "";
  const moment = new Date(Date.parse(iso) - 1000);
  try {
    return new Intl.DateTimeFormat("en-CA", { timeZone: zone || "UTC", year: "numeric", month: "2-digit", day: "2-digit" }).format(moment);
  } catch (_badZone) {
    return moment.toISOString().slice(0, 10);
  }
}

export function localDate(iso, zone) {
  const day = lastDay(iso, zone);
  if (!day) return "";
  const [y, m, d] = day.split("-").map(Number);
  return new Date(Date.UTC(y, m - 1, d)).toLocaleDateString(undefined, { dateStyle: "medium", timeZone: "UTC" });
}

// An amount in its currency; `digits` up to 4 for unit prices ($0.0150 a minute).
export function money(amount, currency, digits = 2) {
  const least = Math.min(2, digits);
  const value = Number(amount);
  if (Number.isNaN(value)) return String(amount);
  try {
    return value.toLocaleString(undefined, { style: "currency", currency: currency || "USD",
      minimumFractionDigits: least, maximumFractionDigits: digits });
  } catch (_badCurrency) {
    return `${value.toFixed(2)} ${currency || ""}`.trim();
  }
}
