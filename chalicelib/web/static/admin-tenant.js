// The tenant's profile, shared by the admin page's cards: one PUT api/tenant per save,
// and a "tenant-changed" event so every card showing a field it changed can follow.
import { api } from "./api.js";

export async function saveTenant(changes) {
  const updated = await api("PUT", "api/tenant", changes);
  document.dispatchEvent(new CustomEvent("tenant-changed", { detail: updated }));
  return updated;
}

export function onTenantChange(listener) {
  document.addEventListener("tenant-changed", (event) => listener(event.detail || {}));
}

// A status line that says "Saved." and clears itself after a while.
export function savedNote(node, text) {
  node.textContent = text;
  window.clearTimeout(node.hotlineTimer);
  node.hotlineTimer = window.setTimeout(() => { node.textContent = ""; }, 6000);
}
