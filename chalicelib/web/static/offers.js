// The incoming-offer panel: who is calling or writing (call, SMS, WhatsApp, chat,
// voicemail), from which queue, for how long, Accept/Reject; and the missed-offer notices.
import { announce, el, replace } from "./dom.js";
import { channelName, formatPhone, titleCase } from "./format.js";
import { offerView } from "./shapes.js";
import { summary } from "./crm.js";
import { tick } from "./clock.js";

// A transfer offer says who transferred the call and shows the first agent's notes.
function transferNote(offer) {
  const from = offer.transferFrom;
  if (!from) return null;
  return el("div", { class: "transfer-note", "data-testid": "offer-transfer" },
    el("p", { class: "small" }, el("strong", {}, `${from.mode === "warm" ? "Warm" : "Cold"} transfer from ${from.name}`)),
    offer.notes ? el("p", { class: "notes small" }, `Notes: ${offer.notes}`) : null);
}

// "whatsapp:+1415…" is the same customer as "+1415…"; a web chat visitor may have no number.
export function offerWho(offer) {
  if (offer.caller) return formatPhone(String(offer.caller).replace(/^whatsapp:/, ""));
  return offer.channel === "chat" ? "Web chat visitor" : "Unknown caller";
}

function offerCard(offer, handlers) {
  const crm = el("div", { class: "small muted" }, "Looking up the caller…");
  const accept = el("button", { class: "btn accept", type: "button" }, "Accept");
  const reject = el("button", { class: "btn reject", type: "button" }, "Reject");
  const act = async (handler) => {
    accept.disabled = true;
    reject.disabled = true;
    try {
      await handler(offer);
    } finally {
      accept.disabled = false;
      reject.disabled = false;
    }
  };
  accept.addEventListener("click", () => act(handlers.onAccept));
  reject.addEventListener("click", () => act(handlers.onReject));
  const card = el("article", { class: "offer", "data-reservation": offer.id, "data-channel": offer.channel, "aria-label": `Incoming ${channelName(offer.channel)} from ${offerWho(offer)}` },
    el("div", { class: "status-line" },
      el("span", { class: "badge blue" }, offer.transferFrom ? `Transferred ${channelName(offer.channel)}` : `Incoming ${channelName(offer.channel)}`),
      offer.queue ? el("span", { class: "badge", "data-testid": "offer-queue" }, `Queue: ${offer.queue}`) : null),
    el("p", { class: "caller", "data-testid": "offer-caller" }, offerWho(offer)),
    transferNote(offer),
    crm,
    el("p", { class: "small" },
      "Waiting ", offer.enqueuedAt ? el("span", { "data-since": offer.enqueuedAt, "data-testid": "offer-wait" }, "0:00") : "–",
      offer.expiresAt ? el("span", { class: "muted" }, " · offer ends in ", el("span", { "data-until": offer.expiresAt }, "")) : null),
    el("div", { class: "actions" }, accept, reject));
  if (offer.caller) {
    handlers.cardFor(String(offer.caller).replace(/^whatsapp:/, ""))
      .then((found) => replace(crm, summary(found, offer.interactionId)))
      .catch((error) => replace(crm, el("p", { class: "small error" }, `Caller details unavailable: ${error.message}`)));
  } else {
    replace(crm, el("p", { class: "who-line" }, "Unknown caller"));
  }
  return card;
}

// Re-render only when the set of offers changes, so buttons keep focus between polls.
export function renderOffers(container, offers, handlers) {
  const key = offers.map((offer) => offer.id).join(",");
  if (container.dataset.key === key && container.childElementCount) return false;
  container.dataset.key = key;
  if (!offers.length) {
    replace(container, el("div", { class: "empty" },
      el("strong", {}, "No incoming work"),
      "Calls, messages and voicemails offered to you appear here."));
    return true;
  }
  replace(container, offers.map((offer) => offerCard(offer, handlers)));
  tick(container);
  return true;
}

function missedNotice(container, offer, reason) {
  const notice = el("div", { class: "alert warning missed", role: "status", "data-testid": "missed-offer" },
    el("div", {}, el("strong", {}, `Missed: ${reason}`),
      el("div", { class: "small" }, `${titleCase(channelName(offer.channel))} from ${offerWho(offer)}${offer.queue ? ` · ${offer.queue}` : ""}`)),
    el("button", { class: "btn small", type: "button", onclick: () => notice.remove() }, "Dismiss"));
  container.prepend(notice);
  while (container.childElementCount > 3) container.lastElementChild.remove();
}

// Offers shown last time and gone now, that this agent neither accepted nor rejected.
export function noteMissed(container, before, offers, reservations, handled) {
  for (const old of before) {
    if (offers.some((offer) => offer.id === old.id) || handled.has(old.id)) continue;
    const after = reservations.map(offerView).find((item) => item.id === old.id);
    const gone = old.channel === "voice" ? "the caller hung up" : "the customer left";
    const reason = after && ["canceled", "rescinded"].includes(after.status) ? gone : "the offer timed out";
    missedNotice(container, old, reason);
    announce(`Missed: ${reason}.`);
  }
}
