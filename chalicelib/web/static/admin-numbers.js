// Which flow each number runs: a voice flow for its calls and an SMS flow for its texts.
// PUT api/numbers/{number}/flow {"flow_id", "channel": "voice" | "sms"} per change; only
// published flows can answer (the others are listed, disabled, "not published").
import { api } from "./api.js";
import { el, replace } from "./dom.js";
import { formatPhone } from "./format.js";
import { dataTable } from "./table.js";
import { savedNote } from "./admin-tenant.js";

const CHANNELS = [["voice", "flow_id", "Calls"], ["sms", "sms_flow_id", "Texts"]];

function flowSelect(number, channel, label, current, flows) {
  const id = `flow-${channel}-${number.replace(/\D/g, "")}`;
  const known = flows.some((flow) => flow.flow_id === current);
  const options = [
    current ? null : new Option("No flow", "", true, true),
    current && !known ? new Option(`${current} (not found)`, current, true, true) : null,
    ...flows.map((flow) => {
      const option = new Option(flow.published_revision ? flow.name : `${flow.name} (not published)`,
        flow.flow_id, false, flow.flow_id === current);
      option.disabled = !flow.published_revision && flow.flow_id !== current;
      return option;
    }),
  ].filter(Boolean);
  return el("div", { class: "field compact" },
    el("label", { for: id, class: "visually-hidden" }, `${label} flow for ${formatPhone(number)}`),
    el("select", { id, name: channel, "data-current": current || "" }, options));
}

function numberRow(entry, flows) {
  const note = el("span", { class: "small muted", role: "status" });
  const save = el("button", { class: "btn small primary", type: "button", disabled: true }, "Save");
  const selects = CHANNELS.map(([channel, key, label]) => flowSelect(entry.number, channel, label, entry[key], flows));
  const changed = () => selects.map((field) => field.querySelector("select"))
    .filter((select) => select.value && select.value !== select.dataset.current);
  for (const field of selects) {
    field.querySelector("select").addEventListener("change", () => {
      save.disabled = changed().length === 0;
      note.textContent = "";
    });
  }
  save.addEventListener("click", async () => {
    save.disabled = true;
    note.textContent = "Saving…";
    try {
      for (const select of changed()) {
        // An E.164 number is "+" and digits, both plain in a URL path.
        await api("PUT", `api/numbers/${entry.number.replace(/[^+\d]/g, "")}/flow`, { flow_id: select.value, channel: select.name });
        select.dataset.current = select.value;
      }
      savedNote(note, "Saved: new calls and texts use it now.");
    } catch (error) {
      note.textContent = error.message;
      save.disabled = false;
    }
  });
  return {
    attrs: { "data-number": entry.number },
    cells: [el("span", { class: "number-cell" }, formatPhone(entry.number)), selects[0], selects[1],
      el("div", { class: "actions" }, save, note)],
  };
}

export async function loadNumberFlows(container, tenant) {
  try {
    const found = await api("GET", "api/flows");
    const flows = found.flows || [];
    const numbers = tenant.numbers || [];
    if (!numbers.length) {
      replace(container, el("div", { class: "empty" }, el("strong", {}, "No number yet"), "Your number appears here once it is set up."));
      return;
    }
    replace(container,
      dataTable("Your numbers and the flows they run",
        [{ label: "Number" }, { label: "Calls run" }, { label: "Texts run" }, { label: "Save", hidden: true }],
        numbers.map((entry) => numberRow(entry, flows))),
      el("p", { class: "hint muted small" }, "Publish a flow below to make it available here."));
  } catch (error) {
    replace(container, el("p", { class: "alert error" }, error.message));
  }
}
