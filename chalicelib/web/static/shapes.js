// What the desktop reads from the routing API (chalicelib/domain/routing/views.py):
// GET api/me/reservations -> {reservations: [offer_view]}, each with its task_view under
// "task"; GET api/me/tasks -> {tasks: [task_view]}.

export function offerView(reservation) {
  const task = reservation.task || {};
  return {
    id: reservation.id,
    taskId: task.id,
    status: reservation.status,
    channel: task.channel || "voice",
    caller: task.caller || null,
    interactionId: task.interaction_id || null,
    queue: task.queue || "",
    enqueuedAt: Number(task.enqueued_at || 0) || null,
    // expires_in is relative, so the countdown does not depend on the two clocks agreeing.
    expiresAt: reservation.expires_in === undefined || reservation.expires_in === null
      ? null
      : Date.now() / 1000 + Number(reservation.expires_in),
  };
}

export function taskView(task) {
  return {
    id: task.id,
    status: task.status,
    channel: task.channel || "voice",
    caller: task.caller || null,
    interactionId: task.interaction_id || null,
    queue: task.queue || "",
    since: Number(task.connected_at || task.assigned_at || 0) || null,
  };
}

export function pendingOffers(payload) {
  return ((payload && payload.reservations) || []).map(offerView).filter((offer) => offer.status === "pending");
}

export function activeTasks(payload) {
  return ((payload && payload.tasks) || []).map(taskView).filter((task) => task.status === "assigned" || task.status === "wrapping");
}
