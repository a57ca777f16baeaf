// SMS, WhatsApp and web chat tasks: the thread (GET api/tasks/{id}/messages), earlier
// threads from the same contact, each reply's delivery status, attachments, and the reply
// box (POST api/tasks/{id}/messages). `Threads` keeps every held thread, polls them and
// counts the customer's messages that arrived while a thread was in the background.
import { api } from "./api.js";
import { announce, el, replace } from "./dom.js";
import { channelName, formatPhone, formatWhen } from "./format.js";

export const MAX_BODY = 1600; // Twilio's limit for one message body
export const MESSAGE_CHANNELS = ["sms", "whatsapp", "chat"];
const ACTIVE_EVERY = 2; // polls between refreshes of the thread on screen (~3 s)
const BACKGROUND_EVERY = 6; // and of a thread in the background (~9 s), sooner on news
const STATUS = {
  received: ["", "Received"], queued: ["", "Queued"], sent: ["blue", "Sent"],
  delivered: ["green", "Delivered"], read: ["green", "Read"],
  failed: ["red", "Failed"], undelivered: ["red", "Undelivered"],
};

export function isMessageTask(task) {
  return Boolean(task) && MESSAGE_CHANNELS.includes(task.channel);
}

// "whatsapp:+1415…" and "+1415…" are the same customer.
export function bareNumber(address) {
  return address ? String(address).replace(/^whatsapp:/, "") : null;
}

export class Threads {
  constructor(onChange) {
    this.byTask = new Map(); // task id -> { payload, seen, unread, draft, news, loading }
    this.onChange = onChange; // (taskId) after a thread's messages changed
  }

  state(taskId) {
    if (!this.byTask.has(taskId)) {
      this.byTask.set(taskId, { payload: null, seen: new Set(), unread: 0, draft: "", news: "", loading: null, sig: "" });
    }
    return this.byTask.get(taskId);
  }

  unread(taskId) {
    return this.byTask.has(taskId) ? this.byTask.get(taskId).unread : 0;
  }

  contactName(taskId) {
    const payload = this.byTask.has(taskId) ? this.byTask.get(taskId).payload : null;
    return (payload && payload.contact && payload.contact.name) || null;
  }

  contact(taskId) {
    const payload = this.byTask.has(taskId) ? this.byTask.get(taskId).payload : null;
    return (payload && payload.contact) || null;
  }

  markRead(taskId) {
    const st = this.state(taskId);
    if (st.unread) { st.unread = 0; this.onChange(taskId); }
  }

  // Forget threads whose tasks are gone.
  keepOnly(taskIds) {
    for (const id of [...this.byTask.keys()]) if (!taskIds.includes(id)) this.byTask.delete(id);
  }

  // Called on every desktop poll with the held message tasks and the one on screen.
  refresh(tasks, selectedId, polls) {
    for (const task of tasks) {
      const st = this.state(task.id);
      const news = `${task.messageCount}:${task.lastMessageAt}`;
      const due = !st.payload || news !== st.news
        || polls % (task.id === selectedId ? ACTIVE_EVERY : BACKGROUND_EVERY) === 0;
      st.news = news;
      if (due) this.load(task.id, selectedId).catch(() => {}); // shown by the panel (st.error)
    }
  }

  async load(taskId, selectedId) {
    const st = this.state(taskId);
    if (st.loading) return st.loading;
    st.loading = api("GET", `api/tasks/${encodeURIComponent(taskId)}/messages`).then((payload) => {
      st.error = null;
      this.take(taskId, payload, taskId === selectedId);
    }).catch((error) => {
      st.error = error;
      this.onChange(taskId);
      throw error;
    }).finally(() => { st.loading = null; });
    return st.loading;
  }

  take(taskId, payload, selected) {
    const st = this.state(taskId);
    const first = !st.payload;
    let arrived = 0;
    for (const message of payload.messages || []) {
      if (st.seen.has(message.message_id)) continue;
      st.seen.add(message.message_id);
      if (!first && message.direction === "inbound") arrived += 1;
    }
    if (!selected && arrived) {
      st.unread += arrived;
      announce(`New message from ${customerOf(payload)}.`);
    }
    if (selected) st.unread = 0;
    const sig = JSON.stringify(payload);
    if (sig !== st.sig) {
      st.sig = sig;
      st.payload = payload;
      this.onChange(taskId);
    } else if (arrived) this.onChange(taskId);
  }

  // The agent's reply; the answer (the queued message) joins the thread at once.
  async send(taskId, body) {
    const answer = await api("POST", `api/tasks/${encodeURIComponent(taskId)}/messages`, { body });
    const st = this.state(taskId);
    if (st.payload && answer && answer.message) {
      st.seen.add(answer.message.message_id);
      st.payload = { ...st.payload, messages: [...(st.payload.messages || []), answer.message] };
      st.sig = "";
    }
    st.draft = "";
    this.onChange(taskId);
    return answer;
  }
}

function customerOf(payload) {
  const contact = (payload && payload.contact) || {};
  return contact.name || (contact.phone ? formatPhone(bareNumber(contact.phone)) : "the customer");
}

function statusBadge(message) {
  if (message.direction !== "outbound") return null;
  const [tone, label] = STATUS[message.status] || ["", message.status || "Sending"];
  const error = message.error;
  return el("span", { class: `badge ${tone} msg-status`, "data-testid": "message-status", "data-status": message.status || "" },
    label, error ? `: ${[error.code, error.message].filter(Boolean).join(" ")}` : "");
}

function fileLink(media) {
  const type = media.content_type || "";
  const name = decodeURIComponent(String(media.url).split("/").pop() || "file");
  return el("a", { class: "attachment file", href: media.url, target: "_blank", rel: "noopener" }, `Attachment: ${name} (${type || "file"})`);
}

// A picture the page may not show (another origin than the CSP's img-src, or gone) is a link.
function attachment(media) {
  const type = media.content_type || "";
  if (!type.startsWith("image/")) return fileLink(media);
  const picture = el("img", { class: "thumb", src: media.url, alt: `Image attachment (${type})` });
  const link = el("a", { class: "attachment", href: media.url, target: "_blank", rel: "noopener" }, picture);
  picture.addEventListener("error", () => link.replaceWith(fileLink(media)));
  return link;
}

function authorOf(message) {
  const author = message.author || {};
  if (author.kind === "agent") return author.name || "Agent";
  if (author.kind === "system") return "Automatic reply";
  return author.name || "Customer";
}

function messageItem(message) {
  const kind = (message.author && message.author.kind) || (message.direction === "outbound" ? "agent" : "customer");
  return el("li", { class: `msg ${message.direction} ${kind}`, "data-message": message.message_id },
    el("div", { class: "bubble" },
      message.body ? el("p", { class: "body" }, message.body) : null,
      (message.media || []).length ? el("div", { class: "attachments" }, message.media.map(attachment)) : null),
    el("div", { class: "meta small muted" }, `${authorOf(message)} · ${formatWhen(message.created_at)}`, " ", statusBadge(message)));
}

function earlierThreads(earlier) {
  if (!earlier || !earlier.length) return null;
  return el("div", { class: "earlier", "data-testid": "earlier-threads" },
    earlier.map((thread) => el("details", { class: "earlier-thread" },
      el("summary", {}, `Earlier ${channelName(thread.channel)} · ${formatWhen(thread.started_at)} · ${(thread.messages || []).length} messages`),
      el("ol", { class: "thread" }, (thread.messages || []).map(messageItem)))));
}

function refusal(error, channel) {
  if (error.status === 409 || error.code === "opted_out") {
    return "Not sent: this customer opted out (texted STOP). They must text START before you can reply.";
  }
  if (error.status === 403) return `Not sent: the ${channelName(channel)} channel is off for this business.`;
  return `Not sent: ${error.message}`;
}

// The thread panel of one task. Returns { node, update() } (update re-reads the store).
export function threadPanel(task, threads) {
  const st = threads.state(task.id);
  const list = el("ol", { class: "thread", "aria-label": "Messages", "aria-live": "polite", "data-testid": "thread" });
  const earlier = el("div");
  const loadError = el("p", { class: "alert error", role: "alert" });
  const box = el("textarea", { id: "reply-body", name: "body", rows: 3, "aria-describedby": "reply-count reply-error" }, st.draft);
  const count = el("span", { id: "reply-count", class: "small muted", "data-testid": "reply-count" });
  const error = el("p", { id: "reply-error", class: "error", role: "alert", "data-testid": "reply-error" });
  const send = el("button", { class: "btn primary", type: "submit" }, "Send");
  const counted = () => {
    const n = box.value.length;
    count.textContent = `${n.toLocaleString()} / ${MAX_BODY.toLocaleString()}`;
    count.classList.toggle("over", n > MAX_BODY);
    st.draft = box.value;
  };
  box.addEventListener("input", counted);
  box.addEventListener("keydown", (event) => {
    if (event.key === "Enter" && !event.shiftKey) { event.preventDefault(); form.requestSubmit(); }
  });
  const form = el("form", { class: "reply", novalidate: true, "aria-label": "Reply" },
    el("label", { for: "reply-body" }, `Reply by ${channelName(task.channel)}`), box,
    el("div", { class: "reply-foot" }, count, send), error);
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const body = box.value.trim();
    if (!body) { error.textContent = "Type a message first."; return; }
    if (body.length > MAX_BODY) {
      error.textContent = `Too long: ${body.length.toLocaleString()} characters; one message holds at most ${MAX_BODY.toLocaleString()}. Nothing was sent.`;
      return;
    }
    send.disabled = true;
    try {
      await threads.send(task.id, body);
      box.value = "";
      counted();
      error.textContent = "";
      announce("Reply sent.");
      box.focus();
    } catch (failure) {
      error.textContent = refusal(failure, task.channel);
    } finally {
      send.disabled = false;
    }
  });
  counted();
  const node = el("div", { class: "conversation" }, earlier, loadError, list, form);

  let shown = null; // the payload on screen: re-drawn only when it changes, so an open
  // earlier thread stays open and the scroll position holds between polls
  function update() {
    const payload = st.payload;
    loadError.textContent = st.error ? `The messages could not be loaded: ${st.error.message}` : "";
    if (payload && payload === shown) return;
    shown = payload;
    if (!payload) {
      if (!list.childElementCount) replace(list, el("li", { class: "muted small" }, "Loading the conversation…"));
      return;
    }
    const atBottom = list.scrollHeight - list.scrollTop - list.clientHeight < 40;
    replace(earlier, earlierThreads(payload.earlier));
    const messages = payload.messages || [];
    replace(list, messages.length ? messages.map(messageItem) : el("li", { class: "muted small" }, "No messages yet."));
    if (atBottom || !list.dataset.scrolled) { list.scrollTop = list.scrollHeight; list.dataset.scrolled = "1"; }
  }
  update();
  return { node, update };
}
