/* Hotline web chat widget: one <script> tag on the business's own site.
 *   <script src="{base}/chat/widget.js" data-widget-key="wk_…" defer></script>
 * Plain JS, no framework. Renders in a shadow root so the host page's styles and ours
 * never mix. The visitor token is kept in localStorage, so the chat survives a reload.
 * New messages arrive by long poll (docs/chat.md). */
(function () {
  "use strict";
  var script = document.currentScript;
  if (!script) { return; }
  var key = script.getAttribute("data-widget-key") || "";
  var base = script.src.replace(/\/chat\/widget\.js(?:[?#].*)?$/, "");
  var wait = Math.max(0, Math.min(20, parseInt(script.getAttribute("data-wait") || "20", 10)));
  var storeKey = "hotline-chat:" + key;
  var state = load();
  var seen = {};
  var polling = false;
  var mode = "chat";

  function load() {
    try { return JSON.parse(window.localStorage.getItem(storeKey) || "{}") || {}; }
    catch (e) { return {}; }
  }
  function save() {
    try { window.localStorage.setItem(storeKey, JSON.stringify(state)); } catch (e) { /* private mode: the chat lasts this page */ }
  }
  function forget() {
    state = {}; seen = {};
    try { window.localStorage.removeItem(storeKey); } catch (e) { /* nothing stored */ }
  }

  function el(tag, cls, text) {
    var node = document.createElement(tag);
    if (cls) { node.className = cls; }
    if (text) { node.textContent = text; }
    return node;
  }

  // --- the DOM ----------------------------------------------------------------------
  var host = el("div");
  host.id = "hotline-chat";
  var root = host.attachShadow ? host.attachShadow({ mode: "open" }) : host;
  var css = el("link");
  css.rel = "stylesheet";
  css.href = base + "/chat/widget.css";
  root.appendChild(css);

  var launcher = el("button", "hlc-launcher", "Chat with us");
  launcher.type = "button";
  launcher.setAttribute("aria-expanded", "false");
  var panel = el("section", "hlc-panel");
  panel.setAttribute("aria-label", "Chat");
  panel.hidden = true;
  var head = el("header", "hlc-head");
  var title = el("strong", "hlc-title", "Chat with us");
  var close = el("button", "hlc-close", "\u00d7");
  close.type = "button";
  close.setAttribute("aria-label", "Close chat");
  var notice = el("p", "hlc-notice");
  notice.setAttribute("role", "status");
  head.appendChild(title);
  head.appendChild(close);
  var list = el("ol", "hlc-messages");
  list.setAttribute("aria-live", "polite");

  var form = el("form", "hlc-form");
  var nameInput = el("input", "hlc-name");
  nameInput.placeholder = "Your name";
  nameInput.autocomplete = "name";
  nameInput.setAttribute("aria-label", "Your name");
  var emailInput = el("input", "hlc-email");
  emailInput.type = "email";
  emailInput.placeholder = "Your email";
  emailInput.autocomplete = "email";
  emailInput.setAttribute("aria-label", "Your email");
  var who = el("div", "hlc-who");
  who.appendChild(nameInput);
  who.appendChild(emailInput);
  var text = el("textarea", "hlc-text");
  text.rows = 2;
  text.placeholder = "Type your message";
  text.setAttribute("aria-label", "Message");
  var send = el("button", "hlc-send", "Send");
  send.type = "submit";
  var error = el("p", "hlc-error");
  error.setAttribute("role", "alert");
  form.appendChild(who);
  form.appendChild(text);
  form.appendChild(send);
  panel.appendChild(head);
  panel.appendChild(notice);
  panel.appendChild(list);
  panel.appendChild(error);
  panel.appendChild(form);
  root.appendChild(panel);
  root.appendChild(launcher);

  // --- the API ----------------------------------------------------------------------
  function call(method, path, body, token) {
    var headers = {};
    if (body) { headers["Content-Type"] = "application/json"; }
    if (token) { headers.Authorization = "Bearer " + token; }
    return fetch(base + path, { method: method, headers: headers, mode: "cors",
                                body: body ? JSON.stringify(body) : undefined })
      .then(function (res) {
        return res.json().catch(function () { return {}; }).then(function (data) {
          if (!res.ok) {
            var err = new Error(data.message || ("HTTP " + res.status));
            err.status = res.status;
            throw err;
          }
          return data;
        });
      });
  }

  // --- showing things ---------------------------------------------------------------
  function show(message) {
    if (seen[message.message_id]) { return; }
    seen[message.message_id] = true;
    var mine = message.direction === "inbound";
    var item = el("li", "hlc-msg " + (mine ? "hlc-mine" : "hlc-theirs"));
    item.setAttribute("data-message-id", message.message_id);
    if (!mine) {
      var author = (message.author && message.author.name) || "Agent";
      item.appendChild(el("span", "hlc-author", author));
    }
    item.appendChild(el("span", "hlc-body", message.body));
    list.appendChild(item);
    list.scrollTop = list.scrollHeight;
    if (!mine && panel.hidden) {
      launcher.classList.add("hlc-unread");
      launcher.textContent = "New message";
    }
  }

  function ask(newMode) {
    mode = newMode;
    panel.setAttribute("data-mode", mode);
    var needWho = !state.conversation_id && mode !== "chat";
    who.hidden = !needWho;
    nameInput.required = needWho;
    emailInput.required = needWho;
    if (mode === "after_hours") {
      notice.textContent = "We're closed right now. Leave a message and we'll reply by email.";
      send.textContent = state.conversation_id ? "Send" : "Leave message";
    } else if (mode === "queue") {
      notice.textContent = state.conversation_id
        ? "All our agents are busy. You're in the queue; we'll be with you shortly."
        : "All our agents are busy. Leave your name and email and we'll be with you shortly.";
      send.textContent = "Send";
    } else {
      notice.textContent = state.conversation_id ? notice.textContent || "We're here. Ask us anything."
                                                 : "We're here. Ask us anything.";
      send.textContent = "Send";
    }
  }

  function open(isOpen) {
    panel.hidden = !isOpen;
    launcher.setAttribute("aria-expanded", String(isOpen));
    launcher.textContent = isOpen ? "Close chat" : "Chat with us";
    if (isOpen) { launcher.classList.remove("hlc-unread"); }
    state.open = isOpen;
    if (state.conversation_id) { save(); }
    if (isOpen) {
      if (state.conversation_id) { ask(state.mode || "chat"); poll(); }
      else {
        call("GET", "/chat/" + encodeURIComponent(key) + "/status")
          .then(function (s) { title.textContent = s.business || "Chat with us"; ask(s.mode); })
          .catch(function (e) { error.textContent = e.message; });
      }
      text.focus();
    }
  }

  // What the chat is doing now, from the poll: queued, with an agent, or over.
  function tell(got) {
    if (got.state === "waiting") {
      notice.textContent = mode === "after_hours"
        ? "Thanks! We got your message and will reply by email."
        : "Waiting for an agent. You're in the queue; we'll be with you shortly.";
    } else if (got.state === "connected") {
      notice.textContent = "You're chatting with " + (got.agent || "us") + ".";
    } else if (got.state === "ended") {
      notice.textContent = "This chat has ended. Write again if you need anything else.";
    }
  }

  // --- talking ----------------------------------------------------------------------
  function start() {
    if (state.conversation_id) { return Promise.resolve(); }
    var body = { page_url: String(window.location.href).slice(0, 500) };
    if (nameInput.value.trim()) { body.name = nameInput.value.trim(); }
    if (emailInput.value.trim()) { body.email = emailInput.value.trim(); }
    return call("POST", "/chat/" + encodeURIComponent(key) + "/conversations", body)
      .then(function (made) {
        state = { conversation_id: made.conversation_id, visitor_token: made.visitor_token,
                  next: 0, open: true, mode: made.mode, business: made.business };
        save();
        title.textContent = made.business || "Chat with us";
        ask(made.mode);
      });
  }

  form.addEventListener("submit", function (event) {
    event.preventDefault();
    var body = text.value.trim();
    if (!body) { return; }
    error.textContent = "";
    send.disabled = true;
    start().then(function () {
      return call("POST", "/chat/conversations/" + state.conversation_id + "/messages",
                  { body: body }, state.visitor_token);
    }).then(function (sent) {
      text.value = "";
      show(sent.message);
      if (mode === "after_hours") {
        notice.textContent = "Thanks! We got your message and will reply by email.";
      }
      state.state = "";  // ask the next poll for the chat's state at once
      poll();
    }).catch(function (e) {
      if (e.status === 401 || e.status === 403 || e.status === 404) { forget(); ask(mode); }
      error.textContent = e.message;
    }).then(function () { send.disabled = false; });
  });

  text.addEventListener("keydown", function (event) {
    if (event.key === "Enter" && !event.shiftKey) {
      event.preventDefault();
      if (form.requestSubmit) { form.requestSubmit(); } else { send.click(); }
    }
  });

  function poll() {
    if (polling || !state.conversation_id) { return; }
    polling = true;
    var path = "/chat/conversations/" + state.conversation_id + "/messages?after=" +
               (state.next || 0) + "&wait=" + wait + (state.state ? "&state=" + state.state : "");
    call("GET", path, null, state.visitor_token).then(function (got) {
      polling = false;
      (got.messages || []).forEach(show);
      state.next = got.next || state.next || 0;
      state.mode = got.mode || state.mode;
      if (got.state && got.state !== state.state) { state.state = got.state; tell(got); }
      save();
      setTimeout(poll, wait ? 50 : 2000);
    }).catch(function (e) {
      polling = false;
      if (e.status === 401 || e.status === 403 || e.status === 404) {
        forget(); list.textContent = ""; ask("chat");
        return;
      }
      setTimeout(poll, 3000);
    });
  }

  launcher.addEventListener("click", function () { open(panel.hidden); });
  close.addEventListener("click", function () { open(false); });

  function mount() {
    document.body.appendChild(host);
    if (state.conversation_id) {
      title.textContent = state.business || "Chat with us";
      state.next = 0;  // a fresh page shows the whole thread again, and the chat's state
      state.state = "";
      if (state.open) { open(true); } else { poll(); }
    }
  }
  if (document.body) { mount(); } else { document.addEventListener("DOMContentLoaded", mount); }
}());
