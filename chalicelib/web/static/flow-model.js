// What an owner sees of a Studio flow: each widget's label and key text, each transition's
// label ("Pressed 1", "No input", "Failed"), and the fields an owner may edit (prompts and
// menu options), each named by its JSON path so the server's validation lands on it.
// Pure functions over the definition; no DOM here.

export const TYPES = {
  trigger: { label: "Start", kind: "start" },
  "say-play": { label: "Say or play", kind: "speak" },
  "gather-input-on-call": { label: "Menu prompt", kind: "gather" },
  "split-based-on": { label: "Choice", kind: "split" },
  "set-variables": { label: "Set variables", kind: "logic" },
  "make-http-request": { label: "Web request", kind: "web" },
  "run-function": { label: "Run function", kind: "web" },
  "record-voicemail": { label: "Voicemail", kind: "record" },
  "send-message": { label: "Send message", kind: "message" },
  "send-and-wait-for-reply": { label: "Ask by message", kind: "message" },
  "connect-call-to": { label: "Connect call", kind: "call" },
  "enqueue-call": { label: "Queue for an agent", kind: "queue" },
  "send-to-flex": { label: "Send to an agent", kind: "queue" },
  "add-twiml-redirect": { label: "TwiML redirect", kind: "web" },
  "make-outgoing-call-v2": { label: "Outgoing call", kind: "call" },
  "check-business-hours": { label: "Business hours", kind: "logic" },
  "hand-off-to-tenant": { label: "Hand off", kind: "call" },
};

export function typeInfo(type) {
  return TYPES[type] || { label: type || "Widget", kind: "other" };
}

const EVENTS = {
  incomingCall: "Incoming call", incomingMessage: "Incoming message",
  incomingRequest: "API request", incomingParent: "From parent flow",
  incomingConversationMessage: "Conversation message",
  audioComplete: "Then", next: "Then", keypress: "Key pressed", speech: "Spoke",
  noMatch: "No match", success: "Success", failed: "Failed", fail: "Failed",
  open: "Open", closed: "Closed", recordingComplete: "Message left", noAudio: "No audio",
  hangup: "Hung up", sent: "Sent", deliveryFailure: "Not delivered",
  callCompleted: "Call ended", callComplete: "Call done", failedToEnqueue: "Queue full",
  callFailure: "Call failed", return: "Returned", answered: "Answered", busy: "Busy",
  noAnswer: "No answer",
};

const TIMEOUTS = { "gather-input-on-call": "No input", "send-and-wait-for-reply": "No reply" };

const OPERATORS = {
  equal_to: "is", not_equal_to: "is not", matches_any_of: "is one of",
  does_not_match_any_of: "is none of", contains: "contains", does_not_contain: "lacks",
  starts_with: "starts with", does_not_start_with: "doesn't start with",
  is_blank: "is blank", is_not_blank: "isn't blank", greater_than: "more than", less_than: "less than",
  regex: "matches", is_before_time: "before", is_after_time: "after",
  is_before_date: "before", is_after_date: "after",
};

export function operatorLabel(type) {
  const text = OPERATORS[type] || String(type || "").replace(/_/g, " ");
  return text.charAt(0).toUpperCase() + text.slice(1);
}

const DIGITS = /\.Digits\b/;
const SPEECH = /\.SpeechResult\b/;

// The value a condition tests: its own argument, else the split's input.
export function subjectOf(state, condition) {
  const args = (condition && condition.arguments) || [];
  return String(args[0] || (state.properties || {}).input || "");
}

function keys(value) {
  return String(value || "").split(",").map((part) => part.trim()).filter(Boolean).join(" or ");
}

export function conditionLabel(state, condition) {
  const subject = subjectOf(state, condition);
  const value = condition.value === undefined ? "" : String(condition.value);
  if (DIGITS.test(subject) && ["equal_to", "matches_any_of"].includes(condition.type)) return `Pressed ${keys(value)}`;
  if (SPEECH.test(subject) && ["contains", "equal_to", "matches_any_of"].includes(condition.type)) return `Said “${value}”`;
  const friendly = String(condition.friendly_name || "");
  if (friendly && !/^If value /.test(friendly)) return friendly;
  const op = OPERATORS[condition.type] || condition.type;
  return value ? `${op} ${value}` : op;
}

export function transitionLabel(state, transition) {
  const event = transition.event;
  if (event === "match") {
    const conditions = transition.conditions || [];
    return conditions.length ? conditions.map((c) => conditionLabel(state, c)).join(" and ") : "Match";
  }
  if (event === "noMatch" && isMenu(state)) return "Other key";
  if (event === "timeout") return TIMEOUTS[state.type] || "Timed out";
  if (event === "incomingMessage" && state.type === "send-and-wait-for-reply") return "Reply";
  return EVENTS[event] || event;
}

// A split is a phone menu when one of its options tests the keys pressed.
export function isMenu(state) {
  return state.type === "split-based-on" && (state.transitions || []).some((t) =>
    t.event === "match" && (t.conditions || []).some((c) => DIGITS.test(subjectOf(state, c))));
}

// A Liquid variable as an owner reads it: {{widgets.menu.Digits}} → "[keys pressed at menu]".
function variable(expression) {
  const path = expression.split("|")[0].trim();
  let match = path.match(/^widgets\.([\w-]+)\.Digits$/);
  if (match) return `[keys pressed at ${match[1]}]`;
  match = path.match(/^widgets\.([\w-]+)\.SpeechResult$/);
  if (match) return `[what was said at ${match[1]}]`;
  match = path.match(/^widgets\.([\w-]+)\.inbound\.Body$/);
  if (match) return `[the reply to ${match[1]}]`;
  if (path === "hotline.business_name") return "[business name]";
  const last = path.split(".").pop() || path;
  return `[${last.replace(/_/g, " ")}]`;
}

// Text with its Liquid shown plainly: variables in brackets, an if's or a case's first
// branch, no other tags.
export function readable(text) {
  return String(text || "")
    .replace(/\{%-?\s*if\b[^%]*-?%\}([\s\S]*?)(\{%-?\s*else\s*-?%\}[\s\S]*?)?\{%-?\s*endif\s*-?%\}/g, "$1")
    .replace(/\{%-?\s*case\b[^%]*%\}\s*(?:\{%-?\s*when\b[^%]*%\})?([\s\S]*?)(?:\{%-?\s*(?:when|else)\b[^%]*%\}[\s\S]*?)?\{%-?\s*endcase\s*-?%\}/g, "$1")
    .replace(/\{%[\s\S]*?%\}/g, "")
    .replace(/\{\{-?\s*([\s\S]*?)\s*-?\}\}/g, (_all, expression) => variable(expression));
}

export function hasLiquid(text) {
  return /\{\{|\{%/.test(String(text || ""));
}

function firstLine(text) {
  return readable(text).replace(/\s+/g, " ").trim();
}

// The key text a box shows: what is said, sent or checked.
export function summary(state) {
  const p = state.properties || {};
  switch (state.type) {
    case "trigger": return "A call, message or API request starts the flow.";
    case "say-play":
    case "gather-input-on-call":
      return firstLine(p.say) || (p.play ? `Plays ${p.play}` : "") || (p.digits ? `Dials ${p.digits}` : "");
    case "send-message":
    case "send-and-wait-for-reply": return firstLine(p.body);
    case "split-based-on": return `Checks ${firstLine(p.input) || "a value"}`;
    case "set-variables": return `Sets ${(p.variables || []).map((v) => v.key).filter(Boolean).join(", ") || "variables"}`;
    case "make-http-request": return `${p.method || "GET"} ${p.url || ""}`.trim();
    case "run-function": return p.url || p.function_sid || "";
    case "record-voicemail": return p.max_length ? `Up to ${p.max_length} seconds` : "Records a message";
    case "connect-call-to": return `Calls ${p.to || p.noun || ""}`.trim();
    case "enqueue-call": return `Queue: ${p.queue_name || p.queue || "default"}`;
    case "send-to-flex": return `Queue: ${p.queue_name || p.queue || "default"}`;
    case "check-business-hours": return "Open or closed now?";
    case "add-twiml-redirect": return p.url || "";
    case "make-outgoing-call-v2": return `Calls ${p.to || ""}`.trim();
    case "hand-off-to-tenant": return `To ${p.tenant_id || "another business"}`;
    default: return "";
  }
}

// One arrow per (from, to) pair: parallel transitions share it, their labels joined.
export function edgesOf(definition) {
  const states = definition.states || [];
  const names = new Set(states.map((s) => s.name));
  const byPair = new Map();
  for (const state of states) {
    for (const transition of state.transitions || []) {
      if (!transition.next || !names.has(transition.next)) continue;
      const key = `${state.name}\u0000${transition.next}`;
      const label = transitionLabel(state, transition);
      const found = byPair.get(key);
      if (found) {
        if (!found.labels.includes(label)) found.labels.push(label);
      } else {
        byPair.set(key, { from: state.name, to: transition.next, labels: [label] });
      }
    }
  }
  return [...byPair.values()];
}

// The owner-editable text of each widget type: [property, label, multi-line?].
const PROMPTS = {
  "say-play": [["say", "What callers hear", true], ["play", "Audio file URL", false]],
  "gather-input-on-call": [["say", "What callers hear", true], ["play", "Audio file URL", false]],
  "send-message": [["body", "Message text", true]],
  "send-and-wait-for-reply": [["body", "Message text", true]],
  "connect-call-to": [["to", "Number to call", false]],
};

export function promptFields(state, index) {
  const p = state.properties || {};
  const wanted = PROMPTS[state.type] || [];
  return wanted
    .filter(([key], position) => key in p || (position === 0 && !wanted.some(([other]) => other in p)))
    .map(([key, label, multiline]) => ({
      key, label, multiline, value: p[key] === undefined ? "" : String(p[key]),
      path: `$.states[${index}].properties.${key}`,
    }));
}

// A split's options, one per transition: the value tested and where it goes.
export function menuOptions(state, index) {
  return (state.transitions || []).map((transition, t) => {
    const base = `$.states[${index}].transitions[${t}]`;
    const conditions = transition.conditions || [];
    const condition = conditions[0];
    const editable = transition.event === "match" && conditions.length === 1 && condition.type !== "is_blank" && condition.type !== "is_not_blank";
    const digits = Boolean(condition) && DIGITS.test(subjectOf(state, condition));
    return {
      t, event: transition.event, next: transition.next || "", editable, digits,
      type: condition ? condition.type : null,
      value: condition && condition.value !== undefined ? String(condition.value) : "",
      label: transitionLabel(state, transition),
      valuePath: `${base}.conditions[0].value`, nextPath: `${base}.next`,
    };
  });
}

// A new "press N → somewhere" option for a menu, shaped as Studio writes it.
export function newDigitOption(state, digit, next) {
  const sample = (state.transitions || []).flatMap((t) => t.conditions || []).find((c) => DIGITS.test(subjectOf(state, c)));
  const subject = sample ? subjectOf(state, sample) : String((state.properties || {}).input || "");
  const option = { event: "match", conditions: [{ friendly_name: `If value equal_to ${digit}`, arguments: [subject], type: "equal_to", value: String(digit) }] };
  if (next) option.next = next;
  return option;
}

// Studio keeps friendly names in step with the value; keep the generated ones in step.
export function setConditionValue(condition, value) {
  const generated = !condition.friendly_name || /^If value /.test(condition.friendly_name);
  condition.value = value;
  if (generated) condition.friendly_name = `If value ${condition.type} ${value}`;
}

export function clone(value) {
  return JSON.parse(JSON.stringify(value === undefined ? null : value));
}

function canonical(value) {
  if (Array.isArray(value)) return value.map(canonical);
  if (value && typeof value === "object") {
    return Object.fromEntries(Object.keys(value).sort().map((key) => [key, canonical(value[key])]));
  }
  return value;
}

// Equal whatever order the stored maps' keys come back in.
export function sameDefinition(a, b) {
  return JSON.stringify(canonical(a)) === JSON.stringify(canonical(b));
}
