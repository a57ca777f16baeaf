// What the desktop needs from the routing API's reservations and tasks, in one place.

function taskOf(item) {
  return item.task && typeof item.task === "object" ? item.task : item;
}

function callerOf(task) {
  const attrs = task.attributes || {};
  return task.caller || task.from || attrs.caller || attrs.from || null;
}

export function offerView(reservation) {
  const task = taskOf(reservation);
  return {
    id: reservation.id || reservation.reservation_id,
    taskId: reservation.task_id || task.id || task.task_id,
    status: reservation.status || "pending",
    channel: task.channel || "voice",
    caller: callerOf(task),
    queue: task.queue || task.entry_queue || "",
    enqueuedAt: Number(task.enqueued_at || 0) || null,
    expiresAt: Number(reservation.expires_at || 0) || null,
  };
}

export function taskView(task) {
  return {
    id: task.id || task.task_id,
    status: task.status,
    channel: task.channel || "voice",
    caller: callerOf(task),
    queue: task.queue || task.entry_queue || "",
    since: Number(task.connected_at || task.assigned_at || 0) || null,
    endedAt: Number(task.ended_at || 0) || null,
    wrapupUntil: Number(task.wrapup_until || 0) || null,
  };
}

export function pendingOffers(payload) {
  return ((payload && payload.reservations) || []).map(offerView).filter((offer) => offer.status === "pending");
}

export function activeTasks(payload) {
  return ((payload && payload.tasks) || []).map(taskView).filter((task) => task.status === "assigned" || task.status === "wrapping");
}
