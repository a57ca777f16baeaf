// A contact's timeline: every interaction on every channel, newest first, paged.
import { api, session } from "./api.js";
import { el, replace } from "./dom.js";
import { channelName, formatDuration, formatWhen, titleCase } from "./format.js";

const PAGE = 20;

// Recordings are behind the session, so they are fetched, then played from a blob.
async function playRecording(item, holder) {
  const current = session();
  const response = await fetch(item.recording_url, {
    headers: current ? { Authorization: `Bearer ${current.token}` } : {},
  });
  if (!response.ok) {
    replace(holder, el("span", { class: "muted small" }, `Recording unavailable (${response.status})`));
    return;
  }
  const audio = el("audio", { controls: true, src: URL.createObjectURL(await response.blob()) });
  replace(holder, audio);
  audio.play().catch(() => {});
}

function facts(item) {
  const parts = [];
  if (item.queue) parts.push(`Queue ${item.queue}`);
  if (item.agent_id) parts.push(`Agent ${item.agent_id}`);
  if (item.queue_wait_seconds != null) parts.push(`waited ${formatDuration(item.queue_wait_seconds)}`);
  if (item.talk_seconds != null) parts.push(`talked ${formatDuration(item.talk_seconds)}`);
  if (item.message_count != null) parts.push(`${item.message_count} messages`);
  return parts.join(" · ");
}

function entry(item, contactId) {
  const merged = item.contact_id && item.contact_id !== contactId;
  const outcome = item.outcome || item.status || "";
  const recording = el("div", { class: "recording" });
  if (item.recording_url) {
    recording.append(el("button", { class: "btn small", type: "button",
      onclick: () => playRecording(item, recording) }, "Play recording"));
  }
  return el("li", { class: merged ? "merged" : "", "data-interaction": item.id },
    el("div", { class: "line" },
      el("strong", {}, `${titleCase(channelName(item.channel))} · ${titleCase(item.direction || "")}`),
      el("span", { class: "muted small" }, formatWhen(item.started_at))),
    el("div", { class: "line small" },
      el("span", {}, facts(item) || item.phone || ""),
      outcome ? el("span", { class: "badge" }, titleCase(outcome)) : null),
    merged ? el("p", { class: "small muted" }, `From merged contact · ${item.phone}`) : null,
    item.disposition ? el("p", { class: "small" }, `Wrap-up: ${item.disposition}`) : null,
    item.notes ? el("p", { class: "small" }, item.notes) : null,
    item.transcription || item.transcript
      ? el("p", { class: "small transcript" }, `“${item.transcription || item.transcript}”`) : null,
    item.summary ? el("p", { class: "small" }, item.summary) : null,
    recording);
}

// Render the timeline into `holder`; "Earlier" loads the next page.
export async function showTimeline(holder, contactId) {
  const list = el("ol", { class: "timeline", "aria-label": "Timeline" });
  const more = el("button", { class: "btn small", type: "button", hidden: true }, "Earlier");
  const note = el("p", { class: "muted small" });
  replace(holder, el("h2", {}, "Timeline"), list, note, more);
  let cursor = null;
  async function load() {
    const query = `limit=${PAGE}${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ""}`;
    const page = await api("GET", `api/contacts/${encodeURIComponent(contactId)}/interactions?${query}`);
    for (const item of page.interactions || []) list.append(entry(item, page.contact_id));
    cursor = page.next || null;
    more.hidden = !cursor;
    note.textContent = list.children.length ? "" : "No calls or messages yet.";
  }
  more.addEventListener("click", () => load().catch((error) => { note.textContent = error.message; }));
  await load();
}
