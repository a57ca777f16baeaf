// Which incoming call the page answers, and when the device is registered. Like Flex, the
// page answers the call that belongs to something the user just did (accepted an offer,
// dialled out, started monitoring) or to a task whose agent leg is ringing; never others.
import { createDevice, fetchVoice } from "./voice-device.js";

const EXPECT_MS = 30000;
const HOLD_UNEXPECTED_MS = 30000;

export class Phone {
  constructor({ onError, onChange }) {
    this.onError = onError;
    this.onChange = onChange || (() => {});
    this.device = null;
    this.identity = null;
    this.call = null; // the call in progress through this browser
    this.waiting = []; // incoming calls not yet claimed
    this.expecting = 0; // until when (ms) the next incoming call is ours to answer
    this.wantRegistered = false;
    this.chain = Promise.resolve();
  }

  async start() {
    const voice = await fetchVoice();
    this.identity = voice.identity;
    this.device = await createDevice(voice, (error) => this.onError(error));
    this.device.on("incoming", (call) => this._incoming(call));
    this.device.on("registered", () => this.onChange());
    this.device.on("unregistered", () => this.onChange());
    this._apply();
    return this;
  }

  get registered() { return Boolean(this.device) && this.device.state === "registered"; }

  // Registered while the user can take calls; an unregister waits for the call to end.
  setAvailable(available) {
    this.wantRegistered = available;
    this._apply();
  }

  _apply() {
    if (!this.device) return;
    this.chain = this.chain.then(async () => {
      try {
        if (this.wantRegistered && this.device.state === "unregistered") await this.device.register();
        else if (!this.wantRegistered && !this.call && this.device.state === "registered") await this.device.unregister();
      } catch (error) {
        this.onError(error);
      }
      this.onChange();
    });
  }

  // The next incoming call (or one already ringing) is the user's: answer it.
  expect() {
    this.expecting = Date.now() + EXPECT_MS;
    this._claim();
  }

  cancelExpect() { this.expecting = 0; }

  // A task says its agent leg is ringing this browser: answer what is ringing.
  legRinging() {
    if (!this.call && this.waiting.length) this.expect();
  }

  _incoming(call) {
    this.waiting.push(call);
    const drop = () => { this.waiting = this.waiting.filter((item) => item !== call); };
    call.on("cancel", drop);
    call.on("reject", drop);
    window.setTimeout(drop, HOLD_UNEXPECTED_MS);
    this._claim();
  }

  _claim() {
    if (this.call || Date.now() > this.expecting || !this.waiting.length) return;
    const call = this.waiting.shift();
    this.expecting = 0;
    this.call = call;
    const ended = () => {
      if (this.call === call) this.call = null;
      this._apply();
      this.onChange();
    };
    call.on("disconnect", ended);
    call.on("cancel", ended);
    call.on("error", (error) => this.onError(error));
    Promise.resolve(call.accept()).catch((error) => { ended(); this.onError(error); });
    this.onChange();
  }

  // Hang up this browser's leg (the backend ends the rest of the call).
  hangUp() {
    const call = this.call;
    this.call = null;
    if (call) Promise.resolve(call.disconnect()).catch((error) => this.onError(error));
    this._apply();
  }
}
