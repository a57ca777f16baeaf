// The flow as a diagram: dagre (vendor/dagre.min.js, the npm package @dagrejs/dagre) lays
// the widgets out top to bottom from the trigger, with room for every transition's label;
// this module draws the result as SVG, one box per widget, and pans and zooms it.
import { edgesOf, summary, typeInfo } from "./flow-model.js";

const NS = "http://www.w3.org/2000/svg";
const BOX_WIDTH = 236;
const PAD = 12;
const LINE = 17;
const MAX_LINES = 3;
const LABEL_MAX = 170;
const MIN_SCALE = 0.3;
const MAX_SCALE = 2;
const READABLE = 0.75; // the first view never shrinks text below this; the rest scrolls

// 16×16 glyphs per kind of widget, drawn with the box's accent colour.
const ICONS = {
  start: [["path", { d: "M4 2.5 L13.5 8 L4 13.5 Z", class: "solid" }]],
  speak: [["path", { d: "M2 6 H5 L9 3 V13 L5 10 H2 Z", class: "solid" }], ["path", { d: "M11 5 Q13.5 8 11 11" }]],
  gather: [[3, 3], [8, 3], [13, 3], [3, 8], [8, 8], [13, 8], [3, 13], [8, 13], [13, 13]]
    .map(([cx, cy]) => ["circle", { cx, cy, r: 1.6, class: "solid" }]),
  split: [["path", { d: "M8 15 V8 M8 8 L3 2 M8 8 L13 2 M3 2 H6 M3 2 V5 M13 2 H10 M13 2 V5" }]],
  logic: [["path", { d: "M2 4 H14 M2 8 H14 M2 12 H10" }]],
  web: [["circle", { cx: 8, cy: 8, r: 6 }], ["path", { d: "M2 8 H14 M8 2 Q4 8 8 14 M8 2 Q12 8 8 14" }]],
  record: [["circle", { cx: 8, cy: 8, r: 6 }], ["circle", { cx: 8, cy: 8, r: 3, class: "solid" }]],
  message: [["path", { d: "M2 3 H14 V11 H7 L4 14 V11 H2 Z" }]],
  call: [["path", { d: "M3 2 L6 2 L7 5.5 L5 7 Q6.5 9.5 9 11 L10.5 9 L14 10 V13 Q14 14 13 14 Q3 13.5 2 3 Q2 2 3 2 Z", class: "solid" }]],
  queue: [["circle", { cx: 5, cy: 5, r: 2.2, class: "solid" }], ["circle", { cx: 11.5, cy: 5, r: 2.2, class: "solid" }],
    ["path", { d: "M1.5 13.5 Q5 7 8.5 13.5 M8 13.5 Q11.5 7 15 13.5" }]],
  other: [["rect", { x: 3, y: 3, width: 10, height: 10, rx: 2 }]],
};

function svg(tag, attrs = {}, ...children) {
  const node = document.createElementNS(NS, tag);
  for (const [key, value] of Object.entries(attrs)) {
    if (value !== null && value !== undefined && value !== false) node.setAttribute(key, String(value));
  }
  for (const child of children.flat()) {
    if (child !== null && child !== undefined) node.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return node;
}

// Text widths with the diagram's own font, so boxes and labels fit what they hold.
function measurer(host) {
  const context = document.createElement("canvas").getContext("2d");
  const family = getComputedStyle(host).fontFamily || "sans-serif";
  return (text, size, weight = 400) => {
    context.font = `${weight} ${size}px ${family}`;
    return context.measureText(text).width;
  };
}

function clip(text, width, size, measure, weight) {
  if (measure(text, size, weight) <= width) return text;
  let cut = text;
  while (cut.length > 1 && measure(`${cut}…`, size, weight) > width) cut = cut.slice(0, -1);
  return `${cut}…`;
}

function wrap(text, width, size, measure) {
  const lines = [];
  let line = "";
  for (const word of text.split(" ").filter(Boolean)) {
    const candidate = line ? `${line} ${word}` : word;
    if (measure(candidate, size) <= width || !line) {
      line = candidate;
    } else {
      lines.push(line);
      line = word;
    }
  }
  if (line) lines.push(line);
  const shown = lines.slice(0, MAX_LINES).map((one) => clip(one, width, size, measure));
  if (lines.length > MAX_LINES) {
    let cut = lines[MAX_LINES - 1];
    while (cut.length > 1 && measure(`${cut}…`, size) > width) cut = cut.slice(0, -1);
    shown[MAX_LINES - 1] = `${cut.trimEnd()}…`;
  }
  return shown;
}

// A transition back to its own widget is written inside the box ("↻ No input"), not drawn
// as an arrow: dagre's self-loops leave the box's room, and a loop reads plainly as text.
function boxOf(state, loops, measure) {
  const inner = BOX_WIDTH - 2 * PAD;
  const lines = wrap(summary(state), inner, 13, measure);
  return {
    width: BOX_WIDTH,
    height: 52 + Math.max(lines.length, 1) * LINE + (loops.length ? LINE + 2 : 0),
    lines,
    loop: loops.length ? clip(`↻ Again on: ${loops.join(" · ")}`, inner, 12, measure, 600) : null,
    name: clip(state.name, inner, 14, measure, 700),
  };
}

function labelOf(labels, measure) {
  const joined = labels.join(" · ");
  const lines = measure(joined, 12) <= LABEL_MAX ? [joined] : labels.map((one) => clip(one, LABEL_MAX, 12, measure));
  const width = Math.max(...lines.map((one) => measure(one, 12))) + 12;
  return { lines, width, height: lines.length * 15 + 6 };
}

function layout(definition, measure) {
  const graph = new window.dagre.graphlib.Graph({ multigraph: false });
  graph.setGraph({ rankdir: "TB", nodesep: 36, ranksep: 56, edgesep: 18, marginx: 16, marginy: 16 });
  graph.setDefaultEdgeLabel(() => ({}));
  const states = definition.states || [];
  const edges = edgesOf(definition);
  const loops = new Map(edges.filter((e) => e.from === e.to).map((e) => [e.from, e.labels]));
  for (const state of states) {
    if (state && state.name && !graph.hasNode(state.name)) {
      graph.setNode(state.name, { ...boxOf(state, loops.get(state.name) || [], measure), state });
    }
  }
  for (const edge of edges.filter((e) => e.from !== e.to)) {
    const label = labelOf(edge.labels, measure);
    graph.setEdge(edge.from, edge.to, { ...label, labelpos: "c", edge });
  }
  window.dagre.layout(graph);
  return graph;
}

// A smooth path through dagre's bend points (quadratic curves between their midpoints).
function curve(points) {
  if (points.length < 3) return `M${points.map((p) => `${p.x},${p.y}`).join(" L")}`;
  let d = `M${points[0].x},${points[0].y}`;
  for (let i = 1; i < points.length - 1; i += 1) {
    const mid = { x: (points[i].x + points[i + 1].x) / 2, y: (points[i].y + points[i + 1].y) / 2 };
    d += i === points.length - 2 ? ` Q${points[i].x},${points[i].y} ${points[i + 1].x},${points[i + 1].y}`
      : ` Q${points[i].x},${points[i].y} ${mid.x},${mid.y}`;
  }
  return d;
}

function icon(kind) {
  return svg("g", { class: "icon", "aria-hidden": "true" },
    (ICONS[kind] || ICONS.other).map(([tag, attrs]) => svg(tag, attrs)));
}

function nodeView(name, box, changed) {
  const { state } = box;
  const info = typeInfo(state.type);
  const x = box.x - box.width / 2;
  const y = box.y - box.height / 2;
  return svg("g", {
    class: `node kind-${info.kind}${changed ? " changed" : ""}`, "data-state": name,
    transform: `translate(${x},${y})`, tabindex: 0, role: "button",
    "aria-label": `${info.label}: ${name}. ${summary(state)}`,
  },
  svg("rect", { class: "box", width: box.width, height: box.height, rx: 8 }),
  svg("rect", { class: "accent", width: 5, height: box.height, rx: 2 }),
  svg("g", { transform: `translate(${PAD},${PAD - 1})` }, icon(info.kind)),
  svg("text", { class: "type", x: PAD + 22, y: PAD + 12 }, info.label.toUpperCase()),
  changed ? svg("text", { class: "edited", x: box.width - PAD, y: PAD + 12, "text-anchor": "end" }, changed) : null,
  svg("text", { class: "name", x: PAD, y: PAD + 32 }, box.name),
  svg("text", { class: "prompt", x: PAD, y: PAD + 50 },
    box.lines.map((line, index) => svg("tspan", { x: PAD, dy: index ? LINE : 0 }, line))),
  box.loop ? svg("text", { class: "loop", x: PAD, y: box.height - PAD + 2 }, box.loop) : null);
}

function edgeView(edge, data) {
  return svg("g", { class: "edge", "data-from": edge.v, "data-to": edge.w },
    svg("path", { d: curve(data.points), "marker-end": "url(#flow-arrow)" }));
}

function labelView(edge, data) {
  const x = data.x - data.width / 2;
  const y = data.y - data.height / 2;
  return svg("g", { class: "edge-label", "data-from": edge.v, "data-to": edge.w, transform: `translate(${x},${y})` },
    svg("rect", { width: data.width, height: data.height, rx: 4 }),
    svg("text", { x: data.width / 2, y: 15, "text-anchor": "middle" },
      data.lines.map((line, index) => svg("tspan", { x: data.width / 2, dy: index ? 15 : 0 }, line))));
}

// The diagram in `host` (a scrolling box). `onSelect(name)` when a box is clicked.
export function createDiagram(host, { onSelect, onZoom } = {}) {
  let scale = null;
  let drawn = null;
  let size = { width: 0, height: 0 };
  let selected = null;

  const apply = () => {
    if (!drawn) return;
    drawn.setAttribute("width", Math.round(size.width * scale));
    drawn.setAttribute("height", Math.round(size.height * scale));
    if (onZoom) onZoom(scale);
  };
  const fitScale = () => Math.max(MIN_SCALE, Math.min(1, (host.clientWidth - 4) / size.width));

  function zoom(factor) {
    const before = scale;
    scale = Math.max(MIN_SCALE, Math.min(MAX_SCALE, scale * factor));
    const centerX = (host.scrollLeft + host.clientWidth / 2) / before;
    const centerY = (host.scrollTop + host.clientHeight / 2) / before;
    apply();
    host.scrollLeft = centerX * scale - host.clientWidth / 2;
    host.scrollTop = centerY * scale - host.clientHeight / 2;
  }

  function fit() {
    scale = fitScale();
    apply();
  }

  function draw(definition, changed = new Map()) {
    if (!(definition.states || []).some((state) => state && state.name)) {
      drawn = null;
      host.replaceChildren(Object.assign(document.createElement("p"), { className: "empty", textContent: "This flow has no steps yet." }));
      return;
    }
    const measure = measurer(host);
    const graph = layout(definition, measure);
    size = { width: Math.ceil(graph.graph().width), height: Math.ceil(graph.graph().height) };
    const edges = graph.edges().map((e) => [e, graph.edge(e)]);
    drawn = svg("svg", {
      class: "flow-svg", viewBox: `0 0 ${size.width} ${size.height}`, role: "group",
      "aria-label": `Flow diagram: ${graph.nodeCount()} steps, ${edges.length} connections`,
    },
    svg("defs", {}, svg("marker", { id: "flow-arrow", viewBox: "0 0 10 10", refX: 9, refY: 5, markerWidth: 7, markerHeight: 7, orient: "auto-start-reverse" },
      svg("path", { d: "M0,0 L10,5 L0,10 z" }))),
    svg("g", { class: "edges" }, edges.map(([e, data]) => edgeView(e, data))),
    svg("g", { class: "edge-labels" }, edges.map(([e, data]) => labelView(e, data))),
    svg("g", { class: "nodes" }, graph.nodes().map((name) => nodeView(name, graph.node(name), changed.get(name)))));
    host.replaceChildren(drawn);
    const first = scale === null;
    if (first) scale = Math.max(fitScale(), Math.min(1, READABLE));
    apply();
    const start = definition.initial_state && graph.hasNode(definition.initial_state) ? graph.node(definition.initial_state) : null;
    if (first && start) host.scrollLeft = start.x * scale - host.clientWidth / 2;
    if (selected) select(selected);
  }

  function select(name, { scroll = false } = {}) {
    selected = name;
    if (!drawn) return;
    for (const node of drawn.querySelectorAll(".node.selected")) node.classList.remove("selected");
    const node = [...drawn.querySelectorAll(".node")].find((n) => n.dataset.state === name);
    if (!node) return;
    node.classList.add("selected");
    if (!scroll) return;
    // Scroll the diagram's own box only, never the page around it.
    const box = node.getBoundingClientRect();
    const view = host.getBoundingClientRect();
    if (box.left < view.left || box.right > view.right) host.scrollLeft += box.left - view.left - (view.width - box.width) / 2;
    if (box.top < view.top || box.bottom > view.bottom) host.scrollTop += box.top - view.top - (view.height - box.height) / 2;
  }

  const chosen = (event) => event.target.closest && event.target.closest(".node");
  host.addEventListener("click", (event) => {
    const node = chosen(event);
    if (node && !host.dataset.dragged && onSelect) onSelect(node.dataset.state);
  });
  host.addEventListener("keydown", (event) => {
    const node = chosen(event);
    if (node && (event.key === "Enter" || event.key === " ") && onSelect) {
      event.preventDefault();
      onSelect(node.dataset.state);
    }
  });
  host.addEventListener("wheel", (event) => {
    if (!event.ctrlKey || !drawn) return;
    event.preventDefault();
    zoom(event.deltaY < 0 ? 1.1 : 1 / 1.1);
  }, { passive: false });
  // Drag the background to pan (the host scrolls).
  let drag = null;
  host.addEventListener("pointerdown", (event) => {
    if (event.button !== 0 || chosen(event)) return;
    drag = { x: event.clientX, y: event.clientY, left: host.scrollLeft, top: host.scrollTop, moved: false };
    delete host.dataset.dragged;
  });
  host.addEventListener("pointermove", (event) => {
    if (!drag) return;
    const dx = event.clientX - drag.x;
    const dy = event.clientY - drag.y;
    if (!drag.moved && Math.hypot(dx, dy) < 4) return;
    drag.moved = true;
    host.classList.add("panning");
    host.scrollLeft = drag.left - dx;
    host.scrollTop = drag.top - dy;
  });
  const stop = () => {
    if (drag && drag.moved) {
      host.dataset.dragged = "1";
      window.setTimeout(() => { delete host.dataset.dragged; }, 0);
    }
    drag = null;
    host.classList.remove("panning");
  };
  host.addEventListener("pointerup", stop);
  host.addEventListener("pointerleave", stop);

  return { draw, select, zoom, fit, scale: () => scale };
}
