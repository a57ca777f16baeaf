// Flows on the admin page: list, edit the draft as JSON, validate, publish, revisions, roll
// back; each flow links to its diagram and owner's form (flow?id=…, flow-page.js).
import { api } from "./api.js";
import { announce, el, replace } from "./dom.js";
import { showError, whileBusy } from "./forms.js";
import { formatWhen } from "./format.js";
import { dataTable } from "./table.js";

const flowsError = () => document.getElementById("flows-error");
const detail = () => document.getElementById("flow-detail");

function publishedBadge(flow) {
  if (!flow.published_revision) return el("span", { class: "badge amber" }, "Not published");
  return el("span", { class: "badge green" }, `Revision ${flow.published_revision}`);
}

function hasUnpublishedDraft(flow) {
  return Boolean(flow.draft_updated_at && (!flow.published_at || flow.draft_updated_at > flow.published_at));
}

function issuesList(issues) {
  if (!issues.length) return el("p", { class: "alert success", role: "status" }, "No problems found. The draft can be published.");
  return el("div", { class: "alert error", role: "alert" },
    el("p", {}, issues.length === 1 ? "1 problem:" : `${issues.length} problems:`),
    el("ul", { class: "issues", "data-testid": "flow-issues" }, issues.map((issue) => el("li", {},
      el("strong", {}, issue.severity === "warning" ? "Warning: " : "Error: "),
      issue.message,
      issue.state ? [" (state ", el("code", {}, issue.state), ")"] : null,
      issue.path ? [" at ", el("code", {}, issue.path)] : null))));
}

function rollbackButton(flowId, rev, reopen) {
  return el("button", {
    class: "btn small", type: "button", "aria-label": `Roll back to revision ${rev.revision}`,
    onclick: async (event) => {
      try {
        const result = await whileBusy(event.currentTarget, "Rolling back…",
          () => api("POST", `api/flows/${encodeURIComponent(flowId)}/rollback`, { revision: rev.revision }));
        announce(`Rolled back: revision ${result.revision} is live.`);
        await reopen(`Rolled back to revision ${rev.revision}; it is live as revision ${result.revision}.`);
      } catch (error) {
        flowsError().textContent = error.message;
      }
    },
  }, "Roll back to this");
}

function revisionsTable(flowId, revisions, current, reopen) {
  if (!revisions.length) return el("p", { class: "muted" }, "Not published yet.");
  return dataTable("Published revisions",
    [{ label: "Revision" }, { label: "Published" }, { label: "Note" }, { label: "Actions", hidden: true }],
    revisions.map((rev) => ({
      attrs: { "data-revision": rev.revision },
      cells: [
        [`${rev.revision} `, rev.revision === current ? el("span", { class: "badge green" }, "Live") : null],
        formatWhen(rev.published_at),
        rev.note || "",
        rev.revision === current ? "" : rollbackButton(flowId, rev, reopen),
      ],
    })));
}

function editor(flowId, definition, result, onSave, onValidate, onPublish) {
  const form = el("form", { novalidate: true, "aria-label": "Flow draft" },
    el("p", { class: "alert error", "data-form-error": true, role: "alert" }),
    el("div", { class: "field" },
      el("label", { for: "flow-definition" }, "Draft definition (Studio JSON)"),
      el("textarea", { id: "flow-definition", name: "definition", class: "code", spellcheck: "false", "aria-describedby": "flow-definition-error" },
        JSON.stringify(definition || {}, null, 2)),
      el("p", { class: "error", id: "flow-definition-error", "data-error-for": "definition" })),
    el("div", { class: "actions" },
      el("button", { class: "btn", type: "submit" }, "Save draft"),
      el("button", { class: "btn", type: "button", "data-action": "validate" }, "Validate"),
      el("button", { class: "btn primary", type: "button", "data-action": "publish" }, "Publish"),
      el("span", { class: "small muted", "data-dirty": true })),
    el("div", { class: "flow-result", "aria-live": "polite" }, result));
  const area = form.elements.namedItem("definition");
  const dirtyNote = form.querySelector("[data-dirty]");
  const others = [...form.querySelectorAll("[data-action]")];
  area.addEventListener("input", () => {
    for (const button of others) button.disabled = true;
    dirtyNote.textContent = "Save the draft to validate or publish it.";
  });
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    let parsed;
    try {
      parsed = JSON.parse(area.value);
    } catch (error) {
      showError(form, { path: "definition", message: `This isn't valid JSON: ${error.message}` });
      return;
    }
    await run(form, form.querySelector("button[type=submit]"), "Saving…", () => onSave(parsed));
  });
  form.querySelector("[data-action=validate]").addEventListener("click", (event) => run(form, event.currentTarget, "Validating…", onValidate));
  form.querySelector("[data-action=publish]").addEventListener("click", (event) => run(form, event.currentTarget, "Publishing…", onPublish));
  return form;
}

async function run(form, button, label, work) {
  try {
    await whileBusy(button, label, work);
  } catch (error) {
    showError(form, error);
  }
}

async function openFlow(flowId, result = null) {
  flowsError().textContent = "";
  const reopen = (message) => openFlow(flowId, message ? el("p", { class: "alert success", role: "status" }, message) : null).then(() => listFlows());
  const [found, history] = await Promise.all([
    api("GET", `api/flows/${encodeURIComponent(flowId)}`),
    api("GET", `api/flows/${encodeURIComponent(flowId)}/revisions`),
  ]);
  const flow = found.flow;
  const base = `api/flows/${encodeURIComponent(flowId)}`;
  const onSave = async (definition) => {
    const saved = await api("PUT", base, { definition });
    await openFlow(flowId, el("div", {}, el("p", { class: "alert success", role: "status" }, "Draft saved."), issuesList(saved.issues || [])));
    await listFlows();
  };
  const onValidate = async () => {
    const checked = await api("POST", `${base}/validate`);
    replace(detail().querySelector(".flow-result"), issuesList(checked.issues || []));
  };
  const onPublish = async () => {
    const published = await api("POST", `${base}/publish`);
    announce(`Published revision ${published.revision}.`);
    await reopen(`Published: revision ${published.revision} is live.`);
  };
  replace(detail(), el("article", { class: "card", "aria-labelledby": "flow-title", "data-flow": flowId },
    el("div", { class: "card-head" },
      el("h3", { id: "flow-title" }, flow.name, " ", el("span", { class: "muted small" }, flow.flow_id)),
      el("div", { class: "actions" }, publishedBadge(flow), diagramLink(flow))),
    editor(flowId, found.definition, result, onSave, onValidate, onPublish),
    el("h3", {}, "Revisions"),
    revisionsTable(flowId, (history.revisions || []).slice().sort((a, b) => b.revision - a.revision), flow.published_revision, reopen)));
}

// The owner's view of a flow: its diagram and a form over its prompts and menus.
function diagramLink(flow, extra = "") {
  return el("a", { class: `btn small${extra}`, href: `flow?id=${encodeURIComponent(flow.flow_id)}` },
    "Diagram and prompts", el("span", { class: "visually-hidden" }, ` of ${flow.name}`));
}

function flowsTable(flows) {
  if (!flows.length) return el("div", { class: "empty" }, el("strong", {}, "No flows yet"), "Your default phone menu appears here after signup.");
  return dataTable("Flows",
    [{ label: "Flow" }, { label: "Live" }, { label: "Draft" }, { label: "Actions", hidden: true }],
    flows.map((flow) => ({
      attrs: { "data-flow": flow.flow_id },
      cells: [
        [flow.name, el("div", { class: "muted small" }, flow.flow_id)],
        publishedBadge(flow),
        hasUnpublishedDraft(flow) ? el("span", { class: "badge blue" }, "Unpublished changes") : el("span", { class: "muted" }, "Same as live"),
        el("div", { class: "actions" },
          diagramLink(flow, " primary"),
          el("button", {
            class: "btn small", type: "button", "aria-label": `Open ${flow.name}`, title: "Edit the flow as Studio JSON",
            onclick: () => openFlow(flow.flow_id).catch((error) => { flowsError().textContent = error.message; }),
          }, "Open")),
      ],
    })));
}

export async function listFlows() {
  const container = document.getElementById("flows-body");
  try {
    const found = await api("GET", "api/flows");
    replace(container, flowsTable(found.flows || []));
  } catch (error) {
    replace(container, el("p", { class: "alert error" }, error.message));
  }
}
