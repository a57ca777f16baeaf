// The top bar shared by the supervisor and admin pages: who is signed in, where they can go.
import { logOut } from "./api.js";

const PAGES = [
  { href: "agent", label: "Agent desktop", roles: ["agent", "supervisor", "owner", "admin"] },
  { href: "contacts", label: "Contacts", roles: ["agent", "supervisor", "owner", "admin"] },
  { href: "supervisor", label: "Live queues", roles: ["supervisor", "owner", "admin"] },
  { href: "reports", label: "Reports", roles: ["supervisor", "owner", "admin"] },
  { href: "admin", label: "Admin", roles: ["owner", "admin"] },
  { href: "bill", label: "Bill", roles: ["owner", "admin"] },
  { href: "integrations", label: "Integrations", roles: ["owner", "admin"] },
];

export function setUpChrome(current, here) {
  const role = current.user && current.user.role;
  const nav = document.getElementById("page-nav");
  for (const item of PAGES.filter((page) => page.roles.includes(role))) {
    const link = document.createElement("a");
    link.href = item.href;
    link.textContent = item.label;
    if (item.href === here) link.setAttribute("aria-current", "page");
    nav.append(link);
  }
  document.getElementById("user-name").textContent = (current.user && current.user.name) || "";
  document.getElementById("log-out").addEventListener("click", logOut);
}
