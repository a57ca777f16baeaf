// An offer rings: a short two-tone sound (WebAudio, nothing downloaded), repeated while it
// waits, and the tab's title blinks so an agent on another tab sees it.
const RING_EVERY_MS = 4000;
const BLINK_MS = 1000;

let audio = null;
let ringTimer = null;
let blinkTimer = null;
let baseTitle = null;

function beep() {
  try {
    audio = audio || new AudioContext();
    // Before the user's first click the browser refuses to resume audio (autoplay
    // policy); the title still blinks, and the next ring tries again.
    if (audio.state === "suspended") audio.resume().catch(() => {});
    const now = audio.currentTime;
    for (const [offset, freq] of [[0, 440], [0.25, 480], [0.5, 440], [0.75, 480]]) {
      const tone = audio.createOscillator();
      const gain = audio.createGain();
      tone.frequency.value = freq;
      gain.gain.setValueAtTime(0.0001, now + offset);
      gain.gain.exponentialRampToValueAtTime(0.15, now + offset + 0.02);
      gain.gain.exponentialRampToValueAtTime(0.0001, now + offset + 0.22);
      tone.connect(gain).connect(audio.destination);
      tone.start(now + offset);
      tone.stop(now + offset + 0.24);
    }
    document.body.dataset.rings = String(Number(document.body.dataset.rings || 0) + 1);
  } catch (_noAudio) {
    // A browser without WebAudio still blinks the title.
  }
}

// Ring until stopRinging(); `label` blinks in the tab title.
export function startRinging(label) {
  if (ringTimer) return;
  baseTitle = baseTitle || document.title;
  beep();
  ringTimer = window.setInterval(beep, RING_EVERY_MS);
  let on = false;
  document.title = label;
  blinkTimer = window.setInterval(() => {
    on = !on;
    document.title = on ? baseTitle : label;
  }, BLINK_MS);
  document.body.dataset.ringing = "true";
}

export function stopRinging() {
  window.clearInterval(ringTimer);
  window.clearInterval(blinkTimer);
  ringTimer = null;
  blinkTimer = null;
  if (baseTitle) document.title = baseTitle;
  delete document.body.dataset.ringing;
}
