// The browser's phone: Twilio's Voice JS SDK (served by the app from vendor/, copied from
// the npm package @twilio/voice-sdk) in real mode, or the simulator's adapter in local
// mode. POST api/voice/token says which; nothing else on the page depends on the mode.
import { api } from "./api.js";
import { SimDevice } from "./sim-device.js";

const SDK_URL = "vendor/twilio.min.js";

export function fetchVoice() {
  return api("POST", "api/voice/token");
}

function loadSdk() {
  return new Promise((resolve, reject) => {
    const script = document.createElement("script");
    script.src = SDK_URL;
    script.addEventListener("load", resolve);
    script.addEventListener("error", () => reject(new Error("Twilio's Voice SDK did not load: reload the page.")));
    document.head.append(script);
  });
}

async function twilioDevice(voice) {
  await loadSdk();
  const device = new window.Twilio.Device(voice.token, { closeProtection: true, codecPreferences: ["opus", "pcmu"] });
  if (device.audio) {
    // The page rings itself (ringer.js), so the SDK's own sounds stay off.
    device.audio.incoming(false);
    device.audio.outgoing(false);
    device.audio.disconnect(false);
  }
  return device;
}

// A Device (real or simulated) whose token is refreshed when the SDK warns it will expire.
export async function createDevice(voice, onError) {
  const device = voice.mode === "sim" ? new SimDevice(voice) : await twilioDevice(voice);
  device.on("tokenWillExpire", async () => {
    try {
      const fresh = await fetchVoice();
      device.updateToken(fresh.token);
    } catch (error) {
      onError(error);
    }
  });
  device.on("error", (error) => onError(error));
  return device;
}
