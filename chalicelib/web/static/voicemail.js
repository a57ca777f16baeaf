// A voicemail task: the recording (the route needs the session's Authorization header, so
// the page fetches the bytes and plays them from a blob: URL), Twilio's transcript when it
// has come, and a one-click call back (the outbound call of the voice desktop).
import { ApiError, session } from "./api.js";
import { el } from "./dom.js";
import { formatDuration, formatPhone } from "./format.js";
import { bareNumber } from "./thread.js";

const blobs = new Map(); // task id -> Promise of a blob: URL (fetched once per task)

function relative(url) {
  return /^https?:/.test(url) ? url : String(url).replace(/^\/+/, "");
}

async function fetchRecording(url) {
  const current = session();
  let response;
  try {
    response = await fetch(relative(url), {
      headers: current ? { Authorization: `Bearer ${current.token}` } : {},
      cache: "no-store",
    });
  } catch (_networkError) {
    throw new ApiError(0, null, relative(url));
  }
  if (!response.ok) {
    const payload = await response.json().catch(() => null);
    throw new ApiError(response.status, payload, relative(url));
  }
  return URL.createObjectURL(await response.blob());
}

export function recordingFor(task) {
  if (!blobs.has(task.id)) {
    const loading = fetchRecording(task.recordingUrl);
    blobs.set(task.id, loading);
    loading.catch(() => blobs.delete(task.id));
  }
  return blobs.get(task.id);
}

export function forgetRecordings(taskIds) {
  for (const [id, loading] of [...blobs]) {
    if (taskIds.includes(id)) continue;
    blobs.delete(id);
    loading.then((url) => URL.revokeObjectURL(url)).catch(() => {}); // never loaded: nothing to free
  }
}

// handlers: { onCall(number) } places the call back. Returns { node, update(task) }.
export function voicemailPanel(task, handlers) {
  const audio = el("audio", { controls: true, preload: "auto", "data-testid": "voicemail-audio", "aria-label": "Voicemail recording" });
  const note = el("p", { class: "small muted", "data-testid": "voicemail-state", role: "status" });
  const transcript = el("div", { class: "transcript", "data-testid": "voicemail-transcript" });
  const number = bareNumber(task.caller);
  const callBack = el("button", { class: "btn primary", type: "button", disabled: !number }, `Call back ${formatPhone(number)}`);
  const error = el("p", { class: "alert error", role: "alert" });
  callBack.addEventListener("click", async () => {
    callBack.disabled = true;
    try {
      await handlers.onCall(number);
      error.textContent = "";
    } catch (failure) {
      error.textContent = failure.message;
    } finally {
      callBack.disabled = false;
    }
  });
  audio.addEventListener("error", () => { note.textContent = "This browser could not play the recording."; });
  if (task.recordingUrl) {
    note.textContent = "Loading the recording…";
    recordingFor(task)
      .then((url) => {
        audio.src = url;
        note.textContent = task.recordingDuration ? `Length ${formatDuration(task.recordingDuration)}` : "";
      })
      .catch((failure) => { note.textContent = `The recording could not be loaded: ${failure.message}`; });
  } else {
    note.textContent = "This voicemail has no recording.";
  }

  function update(next) {
    const text = next.transcript;
    transcript.replaceChildren(
      el("h3", {}, "Transcript"),
      text ? el("blockquote", { class: "notes" }, text) : el("p", { class: "small muted" }, "No transcript (yet): Twilio sends it a little after the recording."));
  }
  update(task);
  const node = el("div", { class: "voicemail-panel" }, audio, note, transcript,
    el("div", { class: "actions" }, callBack), error);
  return { node, update };
}
