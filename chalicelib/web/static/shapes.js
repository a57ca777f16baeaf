// What the desktop reads from the routing API (chalicelib/domain/routing/views.py):
// GET api/me/reservations -> {reservations: [offer_view]}, each with its task_view under
// "task"; GET api/me/tasks -> {tasks: [task_view]}. Voice tasks carry "call" (the
// conference: hold, mute, a warm transfer, monitoring) and, while wrapping, a deadline
// (docs/pages.md; the contract is /work/team/voice-contract.md's task view).

function transferFrom(task) {
  const from = task.transfer_from;
  return from ? { agentId: from.agent_id, name: from.name || "another agent", mode: from.mode || "cold" } : null;
}

export function callView(call) {
  if (!call) return null;
  const transfer = call.transfer || null;
  return {
    state: call.state || "connected",
    onHold: Boolean(call.on_hold),
    muted: Boolean(call.muted),
    holdCount: Number(call.hold_count || 0),
    transfer: transfer ? { mode: transfer.mode, state: transfer.state, targetName: transfer.target_name || "the other agent", to: transfer.to } : null,
    monitored: call.monitored ? { mode: call.monitored.mode } : null,
  };
}

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
    transferFrom: transferFrom(task),
    notes: task.notes || "",
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
    direction: task.direction || (task.call && task.call.direction) || "inbound",
    call: callView(task.call),
    wrapupDeadline: Number(task.wrapup_deadline || 0) || null,
    transferFrom: transferFrom(task),
    notes: task.notes || "",
    // Message tasks (issue 9): the conversation and how far it has got.
    conversationId: task.conversation_id || null,
    messageCount: Number(task.message_count || 0),
    lastMessageAt: Number(task.last_message_at || 0) || null,
    // Voicemail tasks: the recording route (needs the session) and Twilio's transcript.
    recordingUrl: task.recording_url || null,
    recordingDuration: Number(task.recording_duration || 0) || null,
    transcript: task.transcript || null,
  };
}

export function pendingOffers(payload) {
  return ((payload && payload.reservations) || []).map(offerView).filter((offer) => offer.status === "pending");
}

export function activeTasks(payload) {
  return ((payload && payload.tasks) || []).map(taskView).filter((task) => task.status === "assigned" || task.status === "wrapping");
}
