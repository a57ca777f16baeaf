// The flow page (/flow?id=…): the live flow (and the draft, when it differs) as a diagram,
// and a form over the draft's prompts and menus, saved, validated and published through
// the same API as the JSON editor on the admin page. Owners and admins only.
import { api, requireSession } from "./api.js";
import { setUpChrome } from "./chrome.js";
import { announce, el, replace } from "./dom.js";
import { whileBusy } from "./forms.js";
import { createDiagram } from "./flow-diagram.js";
import { createEditor } from "./flow-form.js";
import { clone, sameDefinition, typeInfo } from "./flow-model.js";

const $ = (id) => document.getElementById(id);
const flowId = new URLSearchParams(window.location.search).get("id") || "";
const base = `api/flows/${encodeURIComponent(flowId)}`;

const page = { flow: null, live: null, draft: null, view: "live", dirty: false };
let redrawTimer = null;

const diagram = createDiagram($("flow-canvas"), {
  onSelect: (name) => chooseStep(name),
  onZoom: (scale) => { $("zoom-level").textContent = `${Math.round(scale * 100)}%`; },
});
const editor = createEditor($("flow-editor"), {
  onChange: ({ structural }) => draftChanged(structural),
  onFocusState: (name) => diagram.select(name, { scroll: true }),
});

function sameAsLive() {
  return Boolean(page.live) && sameDefinition(page.live, page.draft);
}

// What differs in the draft, per step: "edited" or "new" (shown on the draft's boxes).
function changes() {
  const out = new Map();
  if (!page.live) return out;
  const before = new Map((page.live.states || []).map((state) => [state.name, state]));
  for (const state of page.draft.states || []) {
    const old = before.get(state.name);
    if (!old) out.set(state.name, "new");
    else if (!sameDefinition(old, state)) out.set(state.name, "edited");
  }
  return out;
}

function shown() {
  return page.view === "live" && page.live ? page.live : page.draft;
}

function drawDiagram() {
  const definition = shown();
  const live = page.view === "live" && page.live;
  diagram.draw(definition, live ? new Map() : changes());
  const same = sameAsLive();
  $("view-live").hidden = !page.live;
  $("view-draft").hidden = !page.live || same;
  $("view-live").setAttribute("aria-pressed", String(Boolean(live)));
  $("view-draft").setAttribute("aria-pressed", String(!live));
  let note;
  if (!page.live) note = "Not published yet: this is the draft.";
  else if (same) note = `Live: revision ${page.flow.published_revision}. The draft is the same.`;
  else if (live) note = `Live: revision ${page.flow.published_revision}. The draft has changes: show the draft to see them.`;
  else note = "The draft, with its changes marked. Publish it to make it live.";
  $("diagram-note").textContent = note;
}

function draftChanged(structural) {
  page.dirty = true;
  $("save-state").textContent = "Unsaved changes.";
  if (page.live && page.view !== "draft") page.view = "draft";
  header();
  window.clearTimeout(redrawTimer);
  if (structural) drawDiagram();
  else redrawTimer = window.setTimeout(drawDiagram, 300);
}

function chooseStep(name) {
  diagram.select(name, { scroll: true });
  const note = $("step-note");
  if (editor.focusState(name)) {
    note.textContent = "";
    return;
  }
  const state = (page.draft.states || []).find((s) => s.name === name);
  const label = state ? typeInfo(state.type).label : "This step";
  note.textContent = state
    ? `“${name}” (${label}) has no prompts or menu options to edit here. Developers change it in the JSON editor on the Admin page.`
    : `“${name}” is only in the live flow; the draft no longer has it.`;
}

function result(...children) {
  replace($("flow-result"), ...children);
}

function issuesList(issues) {
  return el("ul", { class: "issues", "data-testid": "flow-issues" }, issues.map((issue) => el("li", {},
    el("strong", {}, issue.severity === "warning" ? "Warning: " : "Error: "), issue.message,
    issue.path ? [" at ", el("code", {}, issue.path)] : null)));
}

// Issues beside their fields; the rest listed under the buttons.
function report(issues, headline, kind) {
  const leftover = editor.showIssues(issues);
  result(el("div", { class: `alert ${kind}`, role: kind === "error" ? "alert" : "status" },
    el("p", {}, headline),
    leftover.length ? [el("p", {}, "Not shown in this form:"), issuesList(leftover)] : null));
}

async function save() {
  const saved = await api("PUT", base, { definition: page.draft });
  page.dirty = false;
  page.flow = saved.flow;
  $("save-state").textContent = "";
  const issues = saved.issues || [];
  const errors = issues.filter((issue) => issue.severity !== "warning");
  if (errors.length) {
    const count = errors.length === 1 ? "1 problem" : `${errors.length} problems`;
    report(issues, `Saved as a draft, with ${count} to fix before publishing (marked in red beside the fields).`, "error");
  } else {
    report(issues, "Draft saved. It can be published.", "success");
  }
  return errors.length === 0;
}

async function publish() {
  if (page.dirty && !(await save())) return;
  let published;
  try {
    published = await api("POST", `${base}/publish`);
  } catch (error) {
    if (error.status === 400) {
      report([{ path: error.path, message: error.message, severity: "error" }], "Not published: the draft has a problem.", "error");
      return;
    }
    throw error;
  }
  page.flow = { ...page.flow, published_revision: published.revision };
  page.live = clone(page.draft);
  page.view = "live";
  drawDiagram();
  header();
  const warnings = published.warnings || [];
  report(warnings, `Published: revision ${published.revision} is live.`, "success");
  announce(`Published revision ${published.revision}.`);
}

async function act(button, busy, work) {
  try {
    await whileBusy(button, busy, work);
  } catch (error) {
    result(el("p", { class: "alert error", role: "alert" }, error.message));
  }
}

function header() {
  const { flow } = page;
  replace($("flow-title"), flow.name, " ", el("span", { class: "muted small" }, flow.flow_id));
  replace($("flow-badges"),
    flow.published_revision ? el("span", { class: "badge green" }, `Live: revision ${flow.published_revision}`)
      : el("span", { class: "badge amber" }, "Not published"),
    page.live && !sameAsLive() ? el("span", { class: "badge blue" }, "Unpublished changes") : null);
  document.title = `${flow.name} · Flows · Hotline`;
}

async function load() {
  if (!flowId) {
    $("flow-error").textContent = "No flow was chosen. Open one from the Flows list on the Admin page.";
    return;
  }
  try {
    const found = await api("GET", base);
    page.flow = found.flow;
    if (found.flow.published_revision) {
      const live = await api("GET", `${base}/revisions/${found.flow.published_revision}`);
      page.live = live.revision.definition;
    }
    page.draft = clone(found.definition || page.live || { states: [] });
  } catch (error) {
    $("flow-error").textContent = error.message;
    return;
  }
  page.view = page.live ? "live" : "draft";
  header();
  $("flow-body").hidden = false;
  drawDiagram();
  editor.render(page.draft);
}

function setUp() {
  $("view-live").addEventListener("click", () => { page.view = "live"; drawDiagram(); });
  $("view-draft").addEventListener("click", () => { page.view = "draft"; drawDiagram(); });
  $("zoom-in").addEventListener("click", () => diagram.zoom(1.2));
  $("zoom-out").addEventListener("click", () => diagram.zoom(1 / 1.2));
  $("zoom-fit").addEventListener("click", () => diagram.fit());
  $("flow-json").href = "admin#flows";
  $("flow-form").addEventListener("submit", (event) => {
    event.preventDefault();
    act(event.submitter || $("save-draft"), "Saving…", async () => { await save(); header(); drawDiagram(); });
  });
  $("publish").addEventListener("click", (event) => act(event.currentTarget, "Publishing…", publish));
  window.addEventListener("beforeunload", (event) => {
    if (page.dirty) event.preventDefault();
  });
}

const current = requireSession(["owner", "admin"]);
if (current) {
  setUpChrome(current, "admin");
  setUp();
  load();
}
