// One ticking clock for every "waiting 0:42" and call timer on the page.
import { formatDuration } from "./format.js";

export function nowSeconds() {
  return Date.now() / 1000;
}

// Elements with data-since (epoch seconds) show the time since; data-until, the time left.
export function tick(root = document) {
  const now = nowSeconds();
  for (const node of root.querySelectorAll("[data-since]")) {
    node.textContent = formatDuration(now - Number(node.dataset.since));
  }
  for (const node of root.querySelectorAll("[data-until]")) {
    node.textContent = formatDuration(Number(node.dataset.until) - now);
  }
}

export function startClock() {
  tick();
  return window.setInterval(tick, 1000);
}
