// Local mode: an adapter with the shape of Twilio's Device and Call (register, unregister,
// on("incoming"), call.accept/reject/disconnect/mute/sendDigits, on("disconnect")) over the
// carrier simulator's device control API (docs/simulator.md), polled like a signalling socket.

const POLL_MS = 500;

class Emitter {
  constructor() { this.handlers = new Map(); }

  on(name, handler) {
    if (!this.handlers.has(name)) this.handlers.set(name, []);
    this.handlers.get(name).push(handler);
    return this;
  }

  off(name, handler) {
    this.handlers.set(name, (this.handlers.get(name) || []).filter((h) => h !== handler));
    return this;
  }

  emit(name, ...args) {
    for (const handler of this.handlers.get(name) || []) handler(...args);
  }
}

async function send(base, method, path, body) {
  const response = await fetch(base + path, {
    method,
    headers: body === undefined ? {} : { "Content-Type": "application/json" },
    body: body === undefined ? undefined : JSON.stringify(body),
    cache: "no-store",
  });
  const text = await response.text();
  const payload = text ? JSON.parse(text) : null;
  if (!response.ok) throw new Error((payload && payload.message) || `the simulator answered ${response.status}`);
  return payload;
}

class SimCall extends Emitter {
  constructor(device, ringing) {
    super();
    this.device = device;
    this.parameters = { ...(ringing.parameters || {}), CallSid: ringing.call_sid, From: ringing.from, To: ringing.to };
    this.customParameters = new Map(Object.entries(ringing.parameters || {}));
    this._status = "pending";
    this._muted = false;
  }

  status() { return this._status; }

  isMuted() { return this._muted; }

  // A poll that overlaps an action may describe the device before it: it is dropped.
  async _act(what, body) {
    this.device.epoch += 1;
    try {
      return await this.device._send("POST", `/${what}`, body);
    } finally {
      this.device.epoch += 1;
    }
  }

  async accept() {
    this._status = "connecting";
    await this._act("accept", { call_sid: this.parameters.CallSid });
    this._status = "open";
    this.emit("accept", this);
  }

  async reject() {
    this._close();
    await this._act("reject", { call_sid: this.parameters.CallSid });
    this.emit("reject");
  }

  async disconnect() {
    if (this._status === "closed") return;
    this._close();
    await this._act("hangup", { call_sid: this.parameters.CallSid });
    this.emit("disconnect", this);
  }

  async mute(shouldMute = true) {
    await this._act("mute", { muted: Boolean(shouldMute) });
    this._muted = Boolean(shouldMute);
    this.emit("mute", this._muted, this);
  }

  sendDigits(digits) {
    return this._act("digits", { digits: String(digits) });
  }

  _close() {
    this._status = "closed";
    this.device.calls.delete(this.parameters.CallSid);
  }
}

export class SimDevice extends Emitter {
  constructor({ sim_url: simUrl, account_sid: accountSid, identity }) {
    super();
    this.simUrl = String(simUrl || "").replace(/\/+$/, "");
    this.accountSid = accountSid;
    this.identity = identity;
    this.deviceId = null;
    this.calls = new Map(); // call_sid -> SimCall
    this._state = "unregistered";
    this._timer = null;
    this.epoch = 0; // bumped by every call action
  }

  get state() { return this._state; }

  get isBusy() { return [...this.calls.values()].some((call) => call.status() === "open"); }

  _send(method, path, body) {
    return send(this.simUrl, method, `/sim/devices/${encodeURIComponent(this.deviceId)}${path}`, body);
  }

  async register() {
    if (this._state === "registered" || this._state === "registering") return;
    this._state = "registering";
    try {
      const made = await send(this.simUrl, "POST", "/sim/devices", { account_sid: this.accountSid, identity: this.identity });
      this.deviceId = made.device_id;
    } catch (error) {
      this._state = "unregistered";
      this.emit("error", error);
      throw error;
    }
    this._state = "registered";
    this.emit("registered");
    this._schedule();
  }

  async unregister() {
    if (this._state !== "registered") return;
    window.clearTimeout(this._timer);
    this._state = "unregistered";
    const id = this.deviceId;
    this.deviceId = null;
    this.calls.clear();
    await send(this.simUrl, "DELETE", `/sim/devices/${encodeURIComponent(id)}`);
    this.emit("unregistered");
  }

  updateToken() {} // the simulator needs no token

  destroy() {
    // The page is going away and has nowhere to show it: a failed unregister (the
    // simulator keeps ringing this identity) is noted in the console, not swallowed.
    this.unregister().catch((error) => console.warn("could not unregister the device", error));
    this._state = "destroyed";
  }

  _schedule() {
    window.clearTimeout(this._timer);
    if (this._state === "registered") this._timer = window.setTimeout(() => this._poll(), POLL_MS);
  }

  async _poll() {
    const epoch = this.epoch;
    try {
      const view = await this._send("GET", "");
      if (epoch === this.epoch) this._sync(view);
    } catch (error) {
      this.emit("error", error);
    }
    this._schedule();
  }

  // New ringing calls are "incoming"; a ringing call that stops ringing unanswered is
  // "cancel"; an open call the device no longer holds is "disconnect", as in the SDK.
  _sync(view) {
    if (!view || this._state !== "registered") return;
    const ringing = view.ringing || [];
    const activeSid = view.active ? view.active.call_sid : null;
    for (const [sid, call] of [...this.calls]) {
      const stillRinging = ringing.some((item) => item.call_sid === sid);
      if (call.status() === "pending" && !stillRinging && sid !== activeSid) {
        call._close();
        call.emit("cancel");
      } else if (call.status() === "open" && sid !== activeSid) {
        call._close();
        call.emit("disconnect", call);
      }
    }
    for (const item of ringing) {
      if (this.calls.has(item.call_sid)) continue;
      const call = new SimCall(this, item);
      this.calls.set(item.call_sid, call);
      this.emit("incoming", call);
    }
  }
}
