// Queues on the admin page: list, create and edit each queue's strategy, the skills its
// agents need, what waiting callers hear, its overflow and its service level.
// - PUT api/queues/{name}: strategy, worker_expression, max_wait_seconds, ring_all_limit,
//   reservation_timeout_seconds, hold_music_url, announce_position, wait_message and the
//   part-timers' thresholds (overflow_after_seconds, overflow_queue_length);
// - PUT api/reports/settings {"queues": {name: {sl_threshold_seconds, sl_target,
//   short_abandon_seconds}}}: the service level the reports measure;
// - PUT api/workflow: "overflow to another queue after N seconds" is, as in TaskRouter, a
//   workflow filter `queue == "<name>"` whose first target (this queue) times out into the
//   second (the other queue). The page owns the filters it names "Overflow from <name>"
//   and keeps every other filter as it is.
import { api } from "./api.js";
import { el, replace } from "./dom.js";
import { clearErrors, showError, whileBusy } from "./forms.js";
import { formatDuration } from "./format.js";
import { dataTable } from "./table.js";
import { fieldRow, numberField, skillsFrom, skillsExpression } from "./admin-fields.js";

const STRATEGIES = [
  ["longest-idle", "Longest idle agent first"], ["round-robin", "Round robin"],
  ["fewest-contacts-today", "Fewest contacts today"], ["ring-all", "Ring every free agent at once"]];
const OVERFLOW_PREFIX = "Overflow from ";
const FORMULAS = [["flex", "Flex: hang-ups missed"], ["connect", "Connect: early hang-ups met"],
  ["answered-only", "Answered calls only"]];
const state = { queues: [], workflow: { filters: [], default_filter: null }, sl: { default: {}, queues: {} } };

export function overflowOf(workflow, name) {
  const rule = (workflow.filters || []).find((filter) => filter.name === OVERFLOW_PREFIX + name);
  if (!rule || (rule.targets || []).length < 2) return null;
  return { after: rule.targets[0].timeout, to: rule.targets[1].queue };
}

export function withOverflow(workflow, name, overflow) {
  const filters = (workflow.filters || []).filter((filter) => filter.name !== OVERFLOW_PREFIX + name);
  if (overflow) {
    filters.push({ name: OVERFLOW_PREFIX + name, expression: `queue == "${name}"`,
      targets: [{ queue: name, timeout: overflow.after }, { queue: overflow.to }] });
  }
  return { filters, default_filter: workflow.default_filter || null };
}

function strategyLabel(value) {
  return (STRATEGIES.find(([key]) => key === value) || [value, value])[1];
}

function slOf(name) {
  return { ...(state.sl.default || {}), ...((state.sl.queues || {})[name] || {}) };
}

function summaryRow(queue, onEdit) {
  const skills = skillsFrom(queue.worker_expression);
  const overflow = overflowOf(state.workflow, queue.name);
  const sl = slOf(queue.name);
  const hears = [queue.wait_message ? "Your message" : null, queue.announce_position === false ? null : "Position and wait", "Callback or voicemail menu"].filter(Boolean).join(" · ");
  return {
    attrs: { "data-queue": queue.name },
    cells: [
      el("span", {}, el("strong", {}, queue.name), el("span", { class: "muted small block" }, `${queue.waiting || 0} waiting now`)),
      strategyLabel(queue.strategy),
      skills ? (skills.length ? skills.map((skill) => el("span", { class: "badge blue" }, skill)) : "Every agent") : el("code", { class: "small" }, queue.worker_expression),
      hears,
      overflow ? `To ${overflow.to} after ${formatDuration(overflow.after)}` : "None",
      sl.sl_threshold_seconds !== undefined ? `${Math.round((sl.sl_target ?? 0.8) * 100)}% in ${sl.sl_threshold_seconds} s` : "–",
      el("button", { class: "btn small", type: "button", "aria-label": `Edit ${queue.name}`, onclick: () => onEdit(queue) }, "Edit"),
    ],
  };
}

function drawList(container, editor) {
  const open = (queue) => openEditor(editor, queue, () => reload(container, editor));
  const add = el("button", { class: "btn primary", type: "button", id: "new-queue" }, "New queue");
  add.addEventListener("click", () => open(null));
  if (!state.queues.length) {
    replace(container, el("div", { class: "empty" }, el("strong", {}, "No queues yet"), "A flow's Enqueue names the queue a caller waits in."), el("div", { class: "actions" }, add));
    return;
  }
  replace(container,
    dataTable("Queues", [{ label: "Queue" }, { label: "Strategy" }, { label: "Skills required" }, { label: "Waiting callers hear" },
      { label: "Overflow" }, { label: "Service level" }, { label: "Edit", hidden: true }],
    state.queues.map((queue) => summaryRow(queue, open))),
    el("div", { class: "actions list-actions" }, add));
}

function editorForm(queue) {
  const isNew = !queue;
  const q = queue || { strategy: "longest-idle", worker_expression: "", max_wait_seconds: 900, overflow_after_seconds: 60, overflow_queue_length: 3, announce_position: true, ring_all_limit: 10 };
  const skills = skillsFrom(q.worker_expression);
  const overflow = overflowOf(state.workflow, q.name || "");
  const sl = slOf(q.name || "");
  const others = state.queues.filter((other) => other.name !== q.name);
  const strategy = el("select", { id: "queue-strategy", name: "strategy" },
    STRATEGIES.map(([value, label]) => new Option(label, value, false, value === q.strategy)));
  const ringAll = numberField("queue-ring-all", "ring_all_limit", "Ring at most", q.ring_all_limit, { min: 1, max: 20, unit: "agents" });
  const syncRingAll = () => { ringAll.hidden = strategy.value !== "ring-all"; };
  strategy.addEventListener("change", syncRingAll);
  syncRingAll();
  const form = el("form", { novalidate: true, id: "queue-form", class: "editor", "aria-labelledby": "queue-form-title" },
    el("h4", { id: "queue-form-title" }, isNew ? "New queue" : `Edit ${q.name}`),
    el("p", { class: "alert error", "data-form-error": true, role: "alert" }),
    el("fieldset", {}, el("legend", {}, "Who answers"),
      fieldRow(
        isNew ? el("div", { class: "field" }, el("label", { for: "queue-name" }, "Name"),
          el("input", { id: "queue-name", name: "name", maxlength: 64, required: true, autocomplete: "off", "aria-describedby": "queue-name-hint queue-name-error" }),
          el("p", { class: "hint", id: "queue-name-hint" }, "As your flows name it, e.g. support."),
          el("p", { class: "error", id: "queue-name-error", "data-error-for": "name" })) : null,
        el("div", { class: "field" }, el("label", { for: "queue-strategy" }, "Offer calls to"), strategy,
          el("p", { class: "error", "data-error-for": "strategy" })),
        ringAll,
        numberField("queue-offer-timeout", "reservation_timeout_seconds", "Each offer rings for", q.reservation_timeout_seconds, { min: 5, max: 600, unit: "seconds", hint: "Empty: the default (15 s)." })),
      fieldRow(
        el("div", { class: "field" }, el("label", { for: "queue-skills" }, "Skills required"),
          el("input", { id: "queue-skills", name: "skills", value: skills ? skills.join(", ") : "", disabled: !skills, autocomplete: "off", "aria-describedby": "queue-skills-hint" }),
          el("p", { class: "hint", id: "queue-skills-hint" }, skills ? "Agents need every one, e.g. billing, spanish. Empty: every agent." : "This queue uses an expression: edit it below.")),
        el("div", { class: "field" }, el("label", { for: "queue-expression" }, "Or an expression ", el("span", { class: "muted" }, "(advanced)")),
          el("input", { id: "queue-expression", name: "worker_expression", value: skills ? "" : q.worker_expression, autocomplete: "off", class: "mono", "aria-describedby": "queue-expression-hint queue-expression-error" }),
          el("p", { class: "hint", id: "queue-expression-hint" }, 'e.g. skills HAS "billing" AND level >= 2. Wins over the skills when set.'),
          el("p", { class: "error", id: "queue-expression-error", "data-error-for": "worker_expression" })))),
    el("fieldset", {}, el("legend", {}, "While callers wait"),
      el("label", { class: "toggle", for: "queue-announce" },
        el("input", { id: "queue-announce", name: "announce_position", type: "checkbox", checked: q.announce_position !== false }),
        el("span", {}, el("strong", {}, "Announce their place in line and the expected wait"))),
      el("div", { class: "field" }, el("label", { for: "queue-wait-message" }, "Message said first, every turn ", el("span", { class: "muted" }, "(optional)")),
        el("textarea", { id: "queue-wait-message", name: "wait_message", rows: 2, maxlength: 500, placeholder: "Thanks for holding. Your call matters to us.", "aria-describedby": "queue-wait-message-error" }, q.wait_message || ""),
        el("p", { class: "error", id: "queue-wait-message-error", "data-error-for": "wait_message" })),
      fieldRow(
        numberField("queue-max-wait", "max_wait_seconds", "After waiting", q.max_wait_seconds, { min: 10, max: 86400, unit: "seconds", hint: "they are offered voicemail." }),
        el("div", { class: "field" }, el("label", { for: "queue-music" }, "Hold music URL ", el("span", { class: "muted" }, "(optional)")),
          el("input", { id: "queue-music", name: "hold_music_url", type: "url", value: q.hold_music_url || "", placeholder: "https://…", "aria-describedby": "queue-music-error" }),
          el("p", { class: "error", id: "queue-music-error", "data-error-for": "hold_music_url" })))),
    el("fieldset", {}, el("legend", {}, "Overflow"),
      fieldRow(
        el("div", { class: "field" }, el("label", { for: "queue-overflow-to" }, "Move unanswered callers to"),
          el("select", { id: "queue-overflow-to", name: "overflow_to" }, new Option("Nowhere: keep them here", "", false, !overflow),
            others.map((other) => new Option(other.name, other.name, false, Boolean(overflow && overflow.to === other.name)))),
          el("p", { class: "error", "data-error-for": "overflow_to" })),
        numberField("queue-overflow-after", "overflow_after", "after", overflow ? overflow.after : 120, { min: 1, max: 86400, unit: "seconds" })),
      fieldRow(
        numberField("queue-parttime-after", "overflow_after_seconds", "Part-timers get calls after a wait of", q.overflow_after_seconds, { min: 0, max: 86400, unit: "seconds", hint: "Empty: not by wait." }),
        numberField("queue-parttime-length", "overflow_queue_length", "or when more than", q.overflow_queue_length, { min: 0, max: 100000, unit: "callers wait", hint: "Empty: not by length." }))),
    el("fieldset", {}, el("legend", {}, "Service level"),
      fieldRow(
        numberField("queue-sl-threshold", "sl_threshold_seconds", "Answered within", sl.sl_threshold_seconds, { min: 0, max: 3600, unit: "seconds" }),
        numberField("queue-sl-target", "sl_target", "Target", sl.sl_target === undefined ? "" : Math.round(sl.sl_target * 100), { min: 0, max: 100, unit: "%" }),
        numberField("queue-short-abandon", "short_abandon_seconds", "Ignore hang-ups within", sl.short_abandon_seconds, { min: 0, max: 600, unit: "seconds" })),
      el("div", { class: "field" }, el("label", { for: "queue-sl-formula" }, "Counted as"),
        el("select", { id: "queue-sl-formula", name: "sl_formula" },
          FORMULAS.map(([value, label]) => new Option(label, value, false, value === (sl.sl_formula || "flex")))),
        el("p", { class: "error", "data-error-for": "sl_formula" }))),
    el("div", { class: "actions" },
      el("button", { class: "btn primary", type: "submit" }, isNew ? "Create queue" : "Save queue"),
      el("button", { class: "btn", type: "button", "data-cancel": true }, "Cancel"),
      el("p", { class: "small muted", role: "status", "data-note": true })));
  return form;
}

function whole(form, name) {
  const raw = form.elements.namedItem(name).value.trim();
  return raw === "" ? null : Number(raw);
}

function queueBody(form, queue) {
  const expression = form.elements.namedItem("worker_expression").value.trim();
  const skillsField = form.elements.namedItem("skills");
  const body = {
    strategy: form.elements.namedItem("strategy").value,
    worker_expression: expression || (skillsField.disabled ? "" : skillsExpression(skillsField.value)),
    announce_position: form.elements.namedItem("announce_position").checked,
    wait_message: form.elements.namedItem("wait_message").value.trim() || null,
    hold_music_url: form.elements.namedItem("hold_music_url").value.trim() || null,
    reservation_timeout_seconds: whole(form, "reservation_timeout_seconds"),
    overflow_after_seconds: whole(form, "overflow_after_seconds"),
    overflow_queue_length: whole(form, "overflow_queue_length"),
  };
  const maxWait = whole(form, "max_wait_seconds");
  if (maxWait !== null) body.max_wait_seconds = maxWait;
  if (body.strategy === "ring-all" && whole(form, "ring_all_limit") !== null) body.ring_all_limit = whole(form, "ring_all_limit");
  if (queue && !skillsFrom(queue.worker_expression) && !expression) body.worker_expression = "";
  return body;
}

function slBody(form, name) {
  const wanted = {};
  const threshold = whole(form, "sl_threshold_seconds");
  const target = whole(form, "sl_target");
  const short = whole(form, "short_abandon_seconds");
  const now = slOf(name);
  if (threshold !== null && threshold !== now.sl_threshold_seconds) wanted.sl_threshold_seconds = threshold;
  if (target !== null && target / 100 !== now.sl_target) wanted.sl_target = target / 100;
  if (short !== null && short !== now.short_abandon_seconds) wanted.short_abandon_seconds = short;
  const formula = form.elements.namedItem("sl_formula").value;
  if (formula !== (now.sl_formula || "flex")) wanted.sl_formula = formula;
  return Object.keys(wanted).length ? wanted : null;
}

function openEditor(editor, queue, onSaved) {
  const form = editorForm(queue);
  replace(editor, form);
  const note = form.querySelector("[data-note]");
  form.querySelector("[data-cancel]").addEventListener("click", () => replace(editor));
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    clearErrors(form);
    const name = queue ? queue.name : form.elements.namedItem("name").value.trim();
    if (!name) return showError(form, { path: "name", message: "Give the queue a name." });
    const to = form.elements.namedItem("overflow_to").value;
    const after = whole(form, "overflow_after");
    if (to && !after) return showError(form, { path: "overflow_after", message: "Say after how many seconds." });
    const before = overflowOf(state.workflow, name);
    const overflow = to ? { to, after } : null;
    try {
      await whileBusy(form.querySelector("button[type=submit]"), "Saving…", async () => {
        await api("PUT", `api/queues/${encodeURIComponent(name)}`, queueBody(form, queue));
        const sl = slBody(form, name);
        if (sl) state.sl = await api("PUT", "api/reports/settings", { queues: { [name]: sl } });
        if (JSON.stringify(before) !== JSON.stringify(overflow)) {
          state.workflow = await api("PUT", "api/workflow", withOverflow(state.workflow, name, overflow));
        }
      });
      replace(editor, el("p", { class: "alert success", role: "status" }, queue ? `Queue ${name} saved.` : `Queue ${name} created.`));
      onSaved();
    } catch (error) {
      note.textContent = "";
      showError(form, error);
    }
    return undefined;
  });
  form.querySelector(queue ? "#queue-strategy" : "#queue-name").focus();
}

async function reload(container, editor) {
  try {
    const [queues, workflow, sl] = await Promise.all([
      api("GET", "api/queues"), api("GET", "api/workflow"),
      api("GET", "api/reports/settings").catch(() => ({ default: {}, queues: {} }))]);
    state.queues = (queues.queues || []).sort((a, b) => a.name.localeCompare(b.name));
    state.workflow = workflow || { filters: [] };
    state.sl = sl || { default: {}, queues: {} };
    drawList(container, editor);
  } catch (error) {
    replace(container, el("p", { class: "alert error" }, error.message));
  }
}

export function loadQueues(container, editor) {
  return reload(container, editor);
}
