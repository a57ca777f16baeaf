// The operator's shared numbers (docs/shared-numbers.md): every number with its owner and
// routing, and an editor that puts several businesses behind one number, each with a menu
// key (or a 2-4 digit extension code), under a greeting. Routing only: no call data.
// OP's console calls mount(section, { api, tenants, body }) for <section id="shared-numbers">.
import { api as defaultApi } from "./api.js";
import { announce, el, replace } from "./dom.js";
import { formatPhone } from "./format.js";
import { dataTable } from "./table.js";

const MAX_BUSINESSES = 10;

function routing(number) {
  if (!number.shared) return el("span", { class: "muted" }, "Ordinary: its owner's flow answers");
  return el("ul", { class: "sn-routing" },
    number.tenants.map((t) => el("li", { "data-digit": t.digit },
      el("span", { class: "badge blue" }, t.digit.length === 1 ? `Key ${t.digit}` : `Ext ${t.digit}`),
      t.name || t.tenant_id,
      el("span", { class: "muted small" }, ` → ${formatPhone(t.number)}`))));
}

function badge(number) {
  return number.shared
    ? el("span", { class: "badge green", "data-shared": "yes" }, "Shared")
    : el("span", { class: "badge", "data-shared": "no" }, "Ordinary");
}

function fieldError(name) {
  return el("p", { class: "error", "data-error-for": name, role: "alert" });
}

function tenantSelect(index, tenants, chosen) {
  const options = [el("option", { value: "" }, "Choose a business…")];
  for (const tenant of tenants) {
    const reason = tenant.standing && tenant.standing.reason;
    const noNumber = Array.isArray(tenant.numbers) && tenant.numbers.length === 0;
    const note = reason ? ` (${reason})` : noNumber ? " (no number of its own)" : "";
    options.push(el("option", { value: tenant.id, selected: tenant.id === chosen }, `${tenant.name}${note}`));
  }
  if (chosen && !tenants.some((t) => t.id === chosen)) options.push(el("option", { value: chosen, selected: true }, chosen));
  return el("select", { name: `tenants[${index}].tenant_id`, "aria-label": `Business ${index + 1}` }, options);
}

function menuRow(index, tenants, row) {
  const digit = el("input", {
    name: `tenants[${index}].digit`, value: row.digit || "", maxlength: 4, inputmode: "numeric",
    pattern: "[0-9]{1,4}", autocomplete: "off", "aria-label": `Key or code for business ${index + 1}`,
  });
  return el("div", { class: "sn-row", "data-row": index },
    el("div", {}, tenantSelect(index, tenants, row.tenant_id), fieldError(`tenants[${index}].tenant_id`)),
    el("div", {}, digit, fieldError(`tenants[${index}].digit`)),
    el("button", { class: "btn reject", type: "button", "data-remove": index, "aria-label": `Remove business ${index + 1}` }, "Remove"));
}

function readRows(form) {
  return [...form.querySelectorAll(".sn-row")].map((row) => ({
    tenant_id: row.querySelector("select").value,
    digit: row.querySelector("input").value.trim(),
  }));
}

function showError(form, error) {
  for (const node of form.querySelectorAll("[data-error-for]")) node.textContent = "";
  const target = error.path && form.querySelector(`[data-error-for="${CSS.escape(error.path)}"]`);
  if (target) {
    target.textContent = error.message;
    const input = form.querySelector(`[name="${CSS.escape(error.path)}"]`);
    if (input) input.focus();
  }
  form.querySelector("[data-form-error]").textContent = target ? "Check the highlighted field." : error.message;
}

async function whileBusy(button, label, work) {
  const before = button.textContent;
  button.disabled = true;
  button.textContent = label;
  try {
    return await work();
  } finally {
    button.disabled = false;
    button.textContent = before;
  }
}

function stylesheet() {
  if (document.querySelector("link[data-shared-numbers-css]")) return;
  document.head.append(el("link", { rel: "stylesheet", href: "static/shared-numbers.css", "data-shared-numbers-css": true }));
}

export async function mount(section, ctx = {}) {
  stylesheet();
  const call = ctx.api || defaultApi;
  const body = ctx.body || section.querySelector("#shared-numbers-body") || section;
  const state = { numbers: [], tenants: [], editing: null, message: "" };

  async function businesses() {
    const known = typeof ctx.tenants === "function" ? ctx.tenants() : [];
    if (known && known.length) return known;
    const listed = await call("GET", "api/operator/tenants");
    return listed.tenants || [];
  }

  async function load(message = "") {
    try {
      const listed = await call("GET", "api/operator/numbers");
      state.numbers = listed.numbers || [];
      state.message = message;
      render();
    } catch (error) {
      replace(body, el("p", { class: "alert error", role: "alert" }, `Numbers could not be loaded: ${error.message}`));
    }
  }

  function table() {
    if (!state.numbers.length) return el("p", { class: "muted" }, "No numbers yet: businesses get one when they sign up.");
    return dataTable("Every phone number, its owner and routing", [
      { label: "Number" }, { label: "Owner" }, { label: "Kind" }, { label: "Routing" }, { label: "Action", hidden: true },
    ], state.numbers.map((n) => ({
      attrs: { "data-number": n.number },
      cells: [formatPhone(n.number), n.owner.name || n.owner.tenant_id, badge(n), routing(n),
        el("button", { class: "btn small", type: "button", "data-edit": n.number }, n.shared ? "Edit menu" : "Make shared")],
    })));
  }

  function render() {
    replace(body,
      el("p", { class: "alert success", role: "status", "data-numbers-saved": true }, state.message),
      table(),
      state.editing ? state.editing : null);
    for (const button of body.querySelectorAll("[data-edit]")) {
      button.addEventListener("click", () => edit(state.numbers.find((n) => n.number === button.dataset.edit)));
    }
  }

  async function edit(number) {
    let tenants;
    try {
      tenants = await businesses();
    } catch (error) {
      state.message = "";
      replace(body, el("p", { class: "alert error", role: "alert" }, `Businesses could not be loaded: ${error.message}`));
      return;
    }
    const choices = tenants.filter((t) => t.id !== undefined);
    const rows = number.shared ? number.tenants.map((t) => ({ tenant_id: t.tenant_id, digit: t.digit }))
      : [{ tenant_id: "", digit: "1" }, { tenant_id: "", digit: "2" }];
    const form = el("form", { class: "card sn-form", id: "shared-number-form", novalidate: true, "aria-labelledby": "shared-form-title" });
    const list = el("div", { "data-rows": true });
    const redraw = (current) => {
      replace(list, current.map((row, index) => menuRow(index, choices, row)));
      for (const button of list.querySelectorAll("[data-remove]")) {
        button.addEventListener("click", () => {
          const kept = readRows(form);
          kept.splice(Number(button.dataset.remove), 1);
          redraw(kept);
        });
      }
    };
    const greeting = el("textarea", { name: "greeting", id: "shared-greeting", maxlength: 500, rows: 2 },
      number.greeting || "Thanks for calling.");
    const add = el("button", { class: "btn small sn-add", type: "button" }, "Add a business");
    add.addEventListener("click", () => {
      const current = readRows(form);
      if (current.length >= MAX_BUSINESSES) return;
      current.push({ tenant_id: "", digit: String(current.length + 1 > 9 ? "" : current.length + 1) });
      redraw(current);
    });
    const cancel = el("button", { class: "btn", type: "button" }, "Cancel");
    cancel.addEventListener("click", () => { state.editing = null; render(); });
    const ordinary = number.shared ? el("button", { class: "btn reject", type: "button", "data-unshare": true }, "Make ordinary") : null;
    replace(form,
      el("div", { class: "card-head" }, el("h3", { id: "shared-form-title" }, `Menu for ${formatPhone(number.number)}`),
        el("span", { class: "muted small" }, `Owner: ${number.owner.name || number.owner.tenant_id}`)),
      el("p", { class: "alert error", role: "alert", "data-form-error": true }),
      el("div", { class: "field" }, el("label", { for: "shared-greeting" }, "Greeting"), greeting,
        el("p", { class: "hint" }, "Callers hear this, then “For <business>, press <key>.” for each business below."),
        fieldError("greeting")),
      el("fieldset", { class: "sn-businesses" },
        el("legend", {}, "Businesses behind this number"),
        el("p", { class: "hint muted small" },
          "One key 0-9, or an extension code of 2-4 digits. Each call is forwarded to the business's own number, so it needs one."),
        el("div", { class: "sn-head", "aria-hidden": "true" }, el("span", {}, "Business"), el("span", {}, "Key or code"), el("span", {})),
        list, fieldError("tenants"), add),
      el("div", { class: "actions" }, el("button", { class: "btn primary", type: "submit" }, "Save menu"), cancel, ordinary));
    redraw(rows);
    form.addEventListener("submit", async (event) => {
      event.preventDefault();
      try {
        const saved = await whileBusy(form.querySelector("button[type=submit]"), "Saving…", () => call("POST",
          `api/operator/numbers/${encodeURIComponent(number.number)}/shared`,
          { tenants: readRows(form), greeting: greeting.value.trim() }));
        state.editing = null;
        announce(`${formatPhone(saved.number)} is shared by ${saved.tenants.length} businesses.`);
        await load(`Saved. ${formatPhone(saved.number)} now answers with its menu.`);
      } catch (error) {
        showError(form, error);
      }
    });
    if (ordinary) {
      ordinary.addEventListener("click", async () => {
        try {
          await whileBusy(ordinary, "Saving…", () => call("DELETE", `api/operator/numbers/${encodeURIComponent(number.number)}/shared`));
          state.editing = null;
          announce(`${formatPhone(number.number)} is an ordinary number again.`);
          await load(`${formatPhone(number.number)} is an ordinary number again.`);
        } catch (error) {
          showError(form, error);
        }
      });
    }
    state.editing = form;
    state.message = "";
    render();
    greeting.focus();
  }

  await load();
}
