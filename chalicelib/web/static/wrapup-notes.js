// Wrap-up notes live in localStorage as they are typed, so neither a poll, a reload nor an
// expired wrap-up loses them. A wrap-up that ended before it was saved is "kept".
const PREFIX = "hotline.wrapup.";
const KEPT = "hotline.wrapup-kept";

function read(key) {
  try {
    return JSON.parse(localStorage.getItem(key) || "null");
  } catch (_corrupt) {
    return null;
  }
}

export function draftFor(taskId) {
  return read(PREFIX + taskId) || { disposition: "", notes: "" };
}

export function saveDraft(task, draft) {
  localStorage.setItem(PREFIX + task.id, JSON.stringify({ ...draft, caller: task.caller, at: Date.now() / 1000 }));
}

export function forgetDraft(taskId) {
  localStorage.removeItem(PREFIX + taskId);
}

// The task left wrap-up without being saved: keep its notes where the page will show them.
export function keepDraft(taskId) {
  const draft = read(PREFIX + taskId);
  localStorage.removeItem(PREFIX + taskId);
  if (!draft || !(draft.notes || "").trim()) return null;
  const kept = { taskId, ...draft };
  localStorage.setItem(KEPT, JSON.stringify(kept));
  return kept;
}

export function keptNotes() {
  return read(KEPT);
}

export function forgetKept() {
  localStorage.removeItem(KEPT);
}
