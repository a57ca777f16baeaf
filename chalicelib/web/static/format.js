// Display formats: phone numbers, durations, times.

export function formatPhone(e164) {
  if (!e164) return "Unknown number";
  const nanp = /^\+1(\d{3})(\d{3})(\d{4})$/.exec(e164);
  return nanp ? `+1 (${nanp[1]}) ${nanp[2]}-${nanp[3]}` : e164;
}

export function formatDuration(seconds) {
  if (seconds === null || seconds === undefined || Number.isNaN(Number(seconds))) return "–";
  const total = Math.max(0, Math.round(Number(seconds)));
  const h = Math.floor(total / 3600);
  const m = Math.floor((total % 3600) / 60);
  const s = String(total % 60).padStart(2, "0");
  return h > 0 ? `${h}:${String(m).padStart(2, "0")}:${s}` : `${m}:${s}`;
}

export function formatWhen(epochSeconds) {
  if (!epochSeconds) return "";
  return new Date(Number(epochSeconds) * 1000).toLocaleString(undefined, {
    dateStyle: "medium",
    timeStyle: "short",
  });
}

export function titleCase(text) {
  if (!text) return "";
  const words = String(text).replace(/[-_]+/g, " ");
  return words.charAt(0).toUpperCase() + words.slice(1);
}

export function initials(name) {
  if (!name) return "?";
  const parts = name.trim().split(/\s+/).slice(0, 2);
  return parts.map((part) => part.charAt(0).toUpperCase()).join("") || "?";
}

const CHANNELS = { voice: "call", sms: "SMS", whatsapp: "WhatsApp", chat: "chat", voicemail: "voicemail" };

export function channelName(channel) {
  return CHANNELS[channel] || channel || "call";
}
