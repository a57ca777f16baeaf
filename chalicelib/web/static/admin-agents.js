// Agents' routing on the admin page: skills, how many tasks of each channel at once, tier
// (full-time, or part-time: offered calls only past the queue's overflow), wrap-up time
// and the mobile a part-timer may answer on. GET api/users, then each user's
// GET api/agents/{id}/routing (404: no profile yet: "Set up"); PUT api/agents/{id}/routing.
import { api } from "./api.js";
import { el, replace } from "./dom.js";
import { clearErrors, showError, whileBusy } from "./forms.js";
import { titleCase } from "./format.js";
import { dataTable } from "./table.js";
import { fieldRow, numberField, skillList } from "./admin-fields.js";

const CAPACITY = [["voice", "Calls"], ["sms", "SMS / WhatsApp"], ["chat", "Web chats"], ["voicemail", "Voicemails"]];
const DEFAULT_CAPACITY = { voice: 1, sms: 3, chat: 3, voicemail: 1 };

function capacityText(capacity) {
  return CAPACITY.map(([channel, label]) => `${label} ${(capacity || {})[channel] ?? 0}`).join(" · ");
}

function row(user, profile, onEdit) {
  const action = el("button", { class: "btn small", type: "button", "aria-label": `${profile ? "Edit" : "Set up"} routing for ${user.name}`,
    onclick: () => onEdit(user, profile) }, profile ? "Edit" : "Set up");
  if (!profile) {
    return { attrs: { "data-agent": user.id }, cells: [user.name, titleCase(user.role), el("span", { class: "muted" }, "Not routed yet"), "–", "–", action] };
  }
  return {
    attrs: { "data-agent": user.id },
    cells: [user.name, titleCase(user.role),
      profile.skills.length ? profile.skills.map((skill) => el("span", { class: "badge blue" }, skill)) : el("span", { class: "muted" }, "None"),
      capacityText(profile.capacity),
      el("span", { class: profile.tier === "part-time" ? "badge amber" : "badge" }, profile.tier === "part-time" ? "Part time" : "Full time"),
      action],
  };
}

function editor(user, profile) {
  const p = profile || { skills: [], capacity: DEFAULT_CAPACITY, tier: "full-time", wrapup_seconds: 60, mobile: null, take_on_mobile: false };
  return el("form", { novalidate: true, id: "agent-form", class: "editor", "aria-labelledby": "agent-form-title" },
    el("h4", { id: "agent-form-title" }, `Routing for ${user.name}`),
    el("p", { class: "alert error", "data-form-error": true, role: "alert" }),
    fieldRow(
      el("div", { class: "field" }, el("label", { for: "agent-skills" }, "Skills"),
        el("input", { id: "agent-skills", name: "skills", value: p.skills.join(", "), autocomplete: "off", "aria-describedby": "agent-skills-hint agent-skills-error" }),
        el("p", { class: "hint", id: "agent-skills-hint" }, "Separated by commas, e.g. billing, spanish. Queues that require a skill offer work only to agents who have it."),
        el("p", { class: "error", id: "agent-skills-error", "data-error-for": "skills" })),
      el("div", { class: "field" }, el("label", { for: "agent-tier" }, "Works"),
        el("select", { id: "agent-tier", name: "tier" },
          new Option("Full time", "full-time", false, p.tier !== "part-time"),
          new Option("Part time (overflow calls only)", "part-time", false, p.tier === "part-time")),
        el("p", { class: "error", "data-error-for": "tier" }))),
    el("fieldset", {}, el("legend", {}, "At once, at most"),
      fieldRow(...CAPACITY.map(([channel, label]) => numberField(`agent-capacity-${channel}`, `capacity.${channel}`, label, (p.capacity || {})[channel] ?? DEFAULT_CAPACITY[channel], { min: 0, max: 50 })))),
    fieldRow(
      numberField("agent-wrapup", "wrapup_seconds", "Wrap-up time", p.wrapup_seconds, { min: 0, max: 3600, unit: "seconds" }),
      el("div", { class: "field" }, el("label", { for: "agent-mobile" }, "Mobile ", el("span", { class: "muted" }, "(optional)")),
        el("input", { id: "agent-mobile", name: "mobile", type: "tel", value: p.mobile || "", autocomplete: "off", "aria-describedby": "agent-mobile-error" }),
        el("p", { class: "error", id: "agent-mobile-error", "data-error-for": "mobile" }))),
    el("label", { class: "toggle", for: "agent-take-on-mobile" },
      el("input", { id: "agent-take-on-mobile", name: "take_on_mobile", type: "checkbox", checked: Boolean(p.take_on_mobile) }),
      el("span", {}, el("strong", {}, "Offer calls on this mobile"), el("span", { class: "muted small" }, " (part-timers away from a desk: they press 1 to accept)"))),
    el("div", { class: "actions" },
      el("button", { class: "btn primary", type: "submit" }, "Save routing"),
      el("button", { class: "btn", type: "button", "data-cancel": true }, "Cancel")));
}

function body(form, user, profile) {
  const value = (name) => form.elements.namedItem(name).value.trim();
  const capacity = {};
  for (const [channel] of CAPACITY) {
    const raw = value(`capacity.${channel}`);
    if (raw !== "") capacity[channel] = Number(raw);
  }
  const out = {
    skills: skillList(value("skills")), capacity, tier: value("tier"),
    mobile: value("mobile") || null, take_on_mobile: form.elements.namedItem("take_on_mobile").checked,
  };
  if (value("wrapup_seconds") !== "") out.wrapup_seconds = Number(value("wrapup_seconds"));
  if (!profile) out.name = user.name;
  return out;
}

async function profileOf(user) {
  try {
    return await api("GET", `api/agents/${encodeURIComponent(user.id)}/routing`);
  } catch (error) {
    if (error.status === 404) return null;
    throw error;
  }
}

export async function loadAgents(container, editorSlot) {
  try {
    const found = await api("GET", "api/users");
    const users = (found.users || []).filter((user) => user.active !== false);
    const profiles = await Promise.all(users.map(profileOf));
    const open = (user, profile) => {
      const form = editor(user, profile);
      replace(editorSlot, form);
      form.querySelector("[data-cancel]").addEventListener("click", () => replace(editorSlot));
      form.addEventListener("submit", async (event) => {
        event.preventDefault();
        clearErrors(form);
        try {
          await whileBusy(form.querySelector("button[type=submit]"), "Saving…",
            () => api("PUT", `api/agents/${encodeURIComponent(user.id)}/routing`, body(form, user, profile)));
          replace(editorSlot, el("p", { class: "alert success", role: "status" }, `Routing for ${user.name} saved.`));
          await loadAgents(container, editorSlot);
        } catch (error) {
          showError(form, error);
        }
      });
      form.querySelector("#agent-skills").focus();
    };
    if (!users.length) {
      replace(container, el("div", { class: "empty" }, el("strong", {}, "Nobody here yet"), "Add users under Users first."));
      return;
    }
    replace(container, dataTable("Agents' routing",
      [{ label: "Name" }, { label: "Role" }, { label: "Skills" }, { label: "At once" }, { label: "Tier" }, { label: "Edit", hidden: true }],
      users.map((user, index) => row(user, profiles[index], open))));
  } catch (error) {
    replace(container, el("p", { class: "alert error" }, error.message));
  }
}
