// Users on the admin page: the team, and adding an agent or supervisor.
import { api } from "./api.js";
import { el, replace } from "./dom.js";
import { showError, values, whileBusy } from "./forms.js";
import { formatPhone, titleCase } from "./format.js";
import { dataTable } from "./table.js";

function usersTable(users) {
  if (!users.length) return el("div", { class: "empty" }, el("strong", {}, "Nobody here yet"), "Add your first agent below.");
  return dataTable("Users of your business",
    [{ label: "Name" }, { label: "Email" }, { label: "Role" }, { label: "Mobile" }],
    users.map((user) => ({
      attrs: { "data-user": user.id },
      cells: [user.name, user.email, el("span", { class: "badge" }, titleCase(user.role)), user.mobile ? formatPhone(user.mobile) : "–"],
    })));
}

export async function loadUsers(container) {
  try {
    const found = await api("GET", "api/users");
    replace(container, usersTable(found.users || []));
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
