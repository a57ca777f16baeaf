// The business's standing with the operator (GET api/tenant's "standing", docs/tenancy.md),
// shown at the top of the page it is included in (admin, agent desktop): why the service
// is not active and until when, a rental that ends soon, and the media switched off.
// Self-contained: include it with <script type="module" src="static/standing-banner.js">.

import { api, session } from "./api.js";
import { el, replace } from "./dom.js";

const REFRESH_MS = 60000;
const SOON_DAYS = 14;
const MEDIA = {
  voice_in: "incoming calls",
  voice_out: "outgoing calls",
  sms_in: "incoming SMS",
  sms_out: "outgoing SMS",
  whatsapp_in: "incoming WhatsApp",
  whatsapp_out: "outgoing WhatsApp",
  chat: "web chat",
};

function when(iso) {
  if (!iso) return "";
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  return new Intl.DateTimeFormat(undefined, { dateStyle: "long", timeStyle: "short" }).format(date);
}

// What the people of an inactive business are told: why, what it means, until when.
function inactive(standing) {
  const effects = "Callers hear your message for this case, texts get it as a reply, " +
    "agents can't go Available, and changes can't be saved";
  if (standing.reason === "suspended") {
    return ["Your service is suspended by the operator.",
      `${effects} until the operator reactivates it.`];
  }
  if (standing.reason === "expired") {
    return [`Your rental expired on ${when(standing.valid_until)}.`,
      `${effects} until the operator renews it.`];
  }
  const release = standing.numbers_released_at
    ? ` Your numbers will be released on ${when(standing.numbers_released_at)}.`
    : "";
  return ["This business is closed.", `${effects}.${release}`];
}

function notices(standing) {
  const out = [];
  if (!standing.active) {
    const [title, detail] = inactive(standing);
    out.push({ kind: "error", title, detail });
    return out;
  }
  if (standing.valid_until) {
    const left = (new Date(standing.valid_until).getTime() - Date.now()) / 86400000;
    if (left <= SOON_DAYS) {
      out.push({ kind: "warning", title: `Your rental ends on ${when(standing.valid_until)}.`,
        detail: "Ask the operator to renew it to keep your numbers answering." });
    }
  }
  const off = Object.entries(standing.permissions || {})
    .filter(([, on]) => on === false).map(([name]) => MEDIA[name] || name);
  if (off.length) {
    out.push({ kind: "info", title: `Switched off by the operator: ${off.join(", ")}.`,
      detail: "These are refused politely; ask the operator to switch them on." });
  }
  return out;
}

function holder() {
  let node = document.getElementById("standing-banner");
  if (node) return node;
  const main = document.getElementById("main") || document.body;
  node = el("div", { id: "standing-banner", class: "standing-banner stack" });
  node.style.gridColumn = "1 / -1"; // a full row where <main> is a grid (the agent desktop)
  main.prepend(node);
  return node;
}

function show(standing) {
  const node = holder();
  const items = notices(standing);
  replace(node, items.map((item) => el("div", {
    class: `alert ${item.kind}`, role: item.kind === "error" ? "alert" : "status",
    "data-standing": item.kind,
  }, el("strong", {}, item.title), " ", item.detail)));
  node.hidden = items.length === 0;
}

async function refresh() {
  if (!session()) return;
  try {
    const tenant = await api("GET", "api/tenant");
    if (tenant && tenant.standing) show(tenant.standing);
  } catch (_unavailable) {
    // the page's own cards report API errors; the banner keeps what it last showed
  }
}

refresh();
window.setInterval(refresh, REFRESH_MS);
