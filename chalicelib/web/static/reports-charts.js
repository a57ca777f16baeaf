// The reports page's charts, drawn by Chart.js (npm `chart.js`, vendored to
// vendor/chart.umd.min.js, which defines the global `Chart`). Each canvas holds one chart,
// destroyed and redrawn when the report changes.
const COLORS = { blue: "#0263e0", green: "#14b053", red: "#d61f1f", amber: "#f47c22", navy: "#1f304c", grey: "#8891aa" };

function library() {
  if (!window.Chart) throw new Error("The charts could not load (vendor/chart.umd.min.js).");
  return window.Chart;
}

function draw(canvas, config) {
  const Chart = library();
  const existing = Chart.getChart(canvas);
  if (existing) existing.destroy();
  return new Chart(canvas, {
    ...config,
    options: {
      responsive: true, maintainAspectRatio: false, animation: false,
      interaction: { mode: "index", intersect: false },
      plugins: { legend: { position: "bottom", labels: { boxWidth: 12, sort: (a, b) => a.datasetIndex - b.datasetIndex } } },
      ...config.options,
    },
  });
}

const pct = (value) => (value === null || value === undefined ? null : Math.round(Number(value) * 1000) / 10);

export function intervalsChart(canvas, intervals) {
  return draw(canvas, {
    data: {
      labels: intervals.map((row) => row.shown || row.label || row.start),
      datasets: [
        { type: "bar", order: 1, label: "Answered", data: intervals.map((r) => Number(r.answered || 0)), backgroundColor: COLORS.green, stack: "calls", yAxisID: "y" },
        { type: "bar", order: 1, label: "Abandoned", data: intervals.map((r) => Number(r.abandoned || 0)), backgroundColor: COLORS.red, stack: "calls", yAxisID: "y" },
        { type: "line", order: 0, label: "Service level %", data: intervals.map((r) => pct(r.service_level)), borderColor: COLORS.blue,
          backgroundColor: COLORS.blue, yAxisID: "sl", spanGaps: true, tension: 0.2, pointRadius: 2 },
      ],
    },
    options: {
      scales: {
        x: { stacked: true, ticks: { maxRotation: 0, autoSkip: true } },
        y: { stacked: true, beginAtZero: true, title: { display: true, text: "Calls" }, ticks: { precision: 0 } },
        sl: { position: "right", min: 0, max: 100, grid: { drawOnChartArea: false }, title: { display: true, text: "Service level %" } },
      },
    },
  });
}

export function agentsChart(canvas, agents) {
  return draw(canvas, {
    data: {
      labels: agents.map((row) => row.name || row.agent_id),
      datasets: [
        { type: "bar", order: 1, label: "Answered", data: agents.map((r) => Number(r.answered || 0)), backgroundColor: COLORS.blue, yAxisID: "y" },
        { type: "line", order: 0, label: "AHT (s)", data: agents.map((r) => (r.aht_seconds == null ? null : Math.round(Number(r.aht_seconds)))),
          borderColor: COLORS.amber, backgroundColor: COLORS.amber, yAxisID: "aht", showLine: false, pointRadius: 5, pointStyle: "rectRot" },
      ],
    },
    options: {
      scales: {
        y: { beginAtZero: true, title: { display: true, text: "Answered" }, ticks: { precision: 0 } },
        aht: { position: "right", beginAtZero: true, grid: { drawOnChartArea: false }, title: { display: true, text: "AHT (seconds)" } },
      },
    },
  });
}

export function staffingChart(canvas, intervals) {
  return draw(canvas, {
    data: {
      labels: intervals.map((row) => row.shown || row.label || row.start),
      datasets: [
        { type: "bar", order: 1, label: "Erlang C", data: intervals.map((r) => Number(r.agents_erlang_c || 0)), backgroundColor: COLORS.blue },
        { type: "bar", order: 1, label: "Erlang A", data: intervals.map((r) => Number(r.agents_erlang_a || 0)), backgroundColor: COLORS.grey },
        { type: "line", order: 0, label: "Full-time on shift", data: intervals.map((r) => Number(r.full_time_on_shift || 0)), borderColor: COLORS.green,
          backgroundColor: COLORS.green, stepped: "middle", pointRadius: 0, borderWidth: 3 },
        { type: "line", order: -1, label: "Part-timers needed", data: intervals.map((r) => (Number(r.shortfall) > 0 ? Number(r.shortfall) : null)),
          borderColor: COLORS.red, backgroundColor: COLORS.red, showLine: false, pointRadius: 5, pointStyle: "triangle" },
      ],
    },
    options: {
      scales: {
        x: { ticks: { maxRotation: 0, autoSkip: true } },
        y: { beginAtZero: true, grace: 1, title: { display: true, text: "Agents" }, ticks: { precision: 0 } },
      },
    },
  });
}
