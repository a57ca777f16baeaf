// Users on the admin page: the team, adding a user, and managing each one (edit name,
// role and mobile; deactivate or reactivate; mail a password reset link). Owners manage
// everyone; admins everyone but owners; nobody deactivates themselves (docs/accounts.md).
import { api, session } from "./api.js";
import { el, replace } from "./dom.js";
import { showError, values, whileBusy } from "./forms.js";
import { formatPhone, titleCase } from "./format.js";
import { dataTable } from "./table.js";

const ROLES = ["agent", "supervisor", "admin"];

function viewer() {
  const current = session();
  return (current && current.user) || {};
}

function mayManage(me, user) {
  return user.role !== "owner" || me.role === "owner";
}

function status(container) {
  let line = container.querySelector("[data-users-status]");
  if (!line) {
    line = el("p", { class: "alert success", role: "status", "data-users-status": "" });
    container.prepend(line);
  }
  return line;
}

function say(container, message, kind = "success") {
  const line = status(container);
  line.className = `alert ${kind}`;
  line.textContent = message;
}

async function act(container, button, busy, work, done) {
  try {
    await whileBusy(button, busy, work);
    await loadUsers(container, done);
  } catch (error) {
    say(container, error.message, "error");
  }
}

function editRow(container, user, me, columns) {
  const roles = me.role === "owner" ? [...ROLES, "owner"] : ROLES;
  const id = (name) => `edit-${user.id}-${name}`;
  const form = el("form", { class: "user-edit", novalidate: true, "aria-label": `Edit ${user.name}` },
    el("p", { class: "alert error", "data-form-error": "", role: "alert" }),
    el("div", { class: "form-row" },
      el("div", { class: "field" },
        el("label", { for: id("name") }, "Name"),
        el("input", { id: id("name"), name: "name", value: user.name, required: true, autocomplete: "off" }),
        el("p", { class: "error", "data-error-for": "name" })),
      el("div", { class: "field" },
        el("label", { for: id("role") }, "Role"),
        el("select", { id: id("role"), name: "role", disabled: user.id === me.id },
          roles.map((role) => el("option", { value: role, selected: role === user.role }, titleCase(role)))),
        el("p", { class: "error", "data-error-for": "role" })),
      el("div", { class: "field" },
        el("label", { for: id("mobile") }, "Mobile ", el("span", { class: "muted" }, "(optional)")),
        el("input", { id: id("mobile"), name: "mobile", type: "tel", value: user.mobile || "", autocomplete: "off" }),
        el("p", { class: "error", "data-error-for": "mobile" }))),
    el("div", { class: "actions" },
      el("button", { class: "btn primary small", type: "submit" }, "Save"),
      el("button", { class: "btn small", type: "button", onclick: () => loadUsers(container) }, "Cancel")));
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const body = values(form);
    if (user.id === me.id || body.role === user.role) delete body.role;
    body.mobile = body.mobile || null;
    try {
      const saved = await whileBusy(form.querySelector("button[type=submit]"), "Saving…",
        () => api("PATCH", `api/users/${encodeURIComponent(user.id)}`, body));
      await loadUsers(container, `Saved ${saved.name}.`);
    } catch (error) {
      showError(form, error);
    }
  });
  return el("tr", { class: "edit-row", "data-edit-for": user.id },
    el("td", { colspan: String(columns) }, form));
}

function actions(container, user, me, columns) {
  if (!mayManage(me, user)) return el("div", { class: "actions" }, el("span", { class: "muted small" }, "Only an owner can change an owner"));
  const path = `api/users/${encodeURIComponent(user.id)}`;
  const buttons = [el("button", {
    class: "btn small", type: "button", "aria-label": `Edit ${user.name}`,
    onclick: (event) => {
      const row = event.currentTarget.closest("tr");
      const open = row.nextElementSibling && row.nextElementSibling.dataset.editFor === user.id;
      container.querySelectorAll("tr.edit-row").forEach((other) => other.remove());
      if (!open) {
        row.after(editRow(container, user, me, columns));
        row.nextElementSibling.querySelector("input").focus();
      }
    },
  }, "Edit")];
  if (user.active !== false) {
    buttons.push(el("button", {
      class: "btn small", type: "button", "aria-label": `Send ${user.name} a reset link`,
      onclick: (event) => act(container, event.currentTarget, "Sending…",
        () => api("POST", `${path}/password-reset`),
        `A password reset link is on its way to ${user.email}. It works once, for 30 minutes.`),
    }, "Send reset link"));
  }
  if (user.id === me.id) return el("div", { class: "actions" }, buttons);
  if (user.active === false) {
    buttons.push(el("button", {
      class: "btn small", type: "button", "aria-label": `Reactivate ${user.name}`,
      onclick: (event) => act(container, event.currentTarget, "Reactivating…",
        () => api("POST", `${path}/reactivate`), `${user.name} can log in again.`),
    }, "Reactivate"));
  } else {
    buttons.push(el("button", {
      class: "btn small danger", type: "button", "aria-label": `Deactivate ${user.name}`,
      onclick: (event) => {
        if (!window.confirm(`Deactivate ${user.name}? They are logged out at once and can't log in until reactivated.`)) return;
        act(container, event.currentTarget, "Deactivating…",
          () => api("POST", `${path}/deactivate`), `${user.name} is deactivated and logged out.`);
      },
    }, "Deactivate"));
  }
  return el("div", { class: "actions" }, buttons);
}

function usersTable(container, users) {
  if (!users.length) return el("div", { class: "empty" }, el("strong", {}, "Nobody here yet"), "Add your first agent below.");
  const me = viewer();
  const columns = [{ label: "Name" }, { label: "Email" }, { label: "Role" }, { label: "Mobile" }, { label: "Actions", hidden: true }];
  return dataTable("Users of your business", columns,
    users.map((user) => ({
      attrs: { "data-user": user.id, class: user.active === false ? "inactive" : null },
      cells: [
        el("span", {}, user.name,
          user.id === me.id ? el("span", { class: "badge blue" }, "You") : null,
          user.active === false ? el("span", { class: "badge deactivated" }, "Deactivated") : null),
        user.email,
        el("span", { class: "badge" }, titleCase(user.role)),
        user.mobile ? el("span", { class: "phone" }, formatPhone(user.mobile)) : "–",
        actions(container, user, me, columns.length),
      ],
    })));
}

export async function loadUsers(container, message) {
  try {
    const found = await api("GET", "api/users");
    replace(container, usersTable(container, found.users || []));
    if (message) say(container, message);
  } catch (error) {
    replace(container, el("p", { class: "alert error" }, error.message));
  }
}

export function setUpAddUser(form, container) {
  const done = document.getElementById("add-user-done");
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    done.textContent = "";
    const body = values(form);
    if (!body.mobile) delete body.mobile;
    try {
      const added = await whileBusy(form.querySelector("button[type=submit]"), "Adding…",
        () => api("POST", "api/users", body));
      form.reset();
      done.textContent = `Added ${added.name} as ${titleCase(added.role).toLowerCase()}. They can log in now.`;
      await loadUsers(container);
    } catch (error) {
      showError(form, error);
    }
  });
}
