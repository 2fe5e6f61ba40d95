// The progress dashboard: asks the engine's GraphQL API for one learner's progress and draws each
// measure group as a uPlot chart. Served as is, no build step. Data goes into the page through
// textContent only, never innerHTML: labels and examples come from learners' texts.
import uPlot from "/dashboard/vendor/uPlot.esm.js";

const KEY_STORE = "englivo.apiKey";
const COLOURS = ["#2563eb", "#dc2626", "#16a34a", "#d97706", "#7c3aed", "#0891b2"];
const MAX_LINES = 5; // more lines than this in one chart stop being readable

const GROUPS = [
  { id: "cefr", title: "CEFR trend", match: (n) => n.startsWith("cefr_score") },
  { id: "errors", title: "Error patterns", match: (n) => n.startsWith("errors:") },
  { id: "vocabulary", title: "Vocabulary", match: (n) => n.startsWith("vocabulary_") },
  { id: "pronunciation", title: "Pronunciation", match: (n) => n === "pronunciation" || n.startsWith("phoneme:") },
  { id: "fluency", title: "Fluency", match: (n) => ["words_per_minute", "mean_pause", "filler_rate"].includes(n) },
];

const QUERY = `query Progress($user: ID!, $granularity: Granularity!) {
  progress(userId: $user, granularity: $granularity) {
    sessions firstAt lastAt currentScore currentLevel improvementPerWeek improvementStandardError
    improvementSignificant vocabularySize vocabularyNew mixedEngineVersions
    series { name unit scale times values }  # columns: much cheaper to send than points
    errorPatterns { type count sessions per100Words direction }
    recommendations { title why }
  }
}`;

const $ = (selector) => document.querySelector(selector);

function element(tag, text, className) {
  const node = document.createElement(tag);
  if (text !== undefined) node.textContent = text;
  if (className) node.className = className;
  return node;
}

function fmt(value, digits = 1) {
  return value === null || value === undefined ? "–" : Number(value).toFixed(digits);
}

function day(iso) {
  return iso ? new Date(iso).toLocaleDateString(undefined, { year: "numeric", month: "short", day: "numeric" }) : "–";
}

function setState(state, message) {
  document.body.dataset.state = state;
  $("#status").textContent = message;
}

async function fetchProgress(user, key, granularity) {
  const response = await fetch("/graphql", {
    method: "POST",
    headers: { "content-type": "application/json", "x-api-key": key },
    body: JSON.stringify({ query: QUERY, variables: { user, granularity } }),
  });
  const body = await response.json();
  if (body.errors?.length) throw new Error(body.errors[0].message);
  return body.data.progress;
}

function renderSummary(p) {
  const improvement = p.improvementPerWeek === null ? "–"
    : `${p.improvementPerWeek >= 0 ? "+" : ""}${fmt(p.improvementPerWeek, 2)} ± ${fmt(p.improvementStandardError, 2)}`;
  const cards = [
    ["Sessions", String(p.sessions), `${day(p.firstAt)} – ${day(p.lastAt)}`],
    ["Level", p.currentLevel ?? "–", `score ${fmt(p.currentScore)}`],
    ["Improvement", improvement, p.improvementSignificant ? "points per week, significant" : "points per week, not significant yet"],
    ["Vocabulary", String(p.vocabularySize), `+${p.vocabularyNew} new words in this range`],
  ];
  const summary = $("#summary");
  summary.replaceChildren(...cards.map(([title, value, note]) => {
    const card = element("div", undefined, "card");
    card.append(element("h3", title), element("strong", value), element("small", note));
    return card;
  }));
  if (p.mixedEngineVersions) {
    summary.append(element("p", "Some measures were taken by more than one engine version: each version has its own line.", "note"));
  }
}

// The lines one group draws: its series in chart order, at most MAX_LINES of them.
function linesOf(group, progress) {
  const topErrors = progress.errorPatterns.map((e) => `errors:${e.type}`);
  let series = progress.series.filter((s) => group.match(s.name) && s.times.length > 0);
  series.sort((a, b) => a.name.includes(":") - b.name.includes(":")); // "pronunciation" before its phonemes
  if (group.id === "errors") {
    series = series.filter((s) => topErrors.includes(s.name));
    series.sort((a, b) => topErrors.indexOf(a.name) - topErrors.indexOf(b.name));
  }
  const names = series.map((s) => s.name);
  return series.slice(0, MAX_LINES).map((s) => {
    const repeated = names.indexOf(s.name) !== names.lastIndexOf(s.name);
    const base = s.name.replace(/^(errors|phoneme):/, "").replaceAll("_", " ");
    const points = new Map(s.times.map((at, i) => [Date.parse(at) / 1000, s.values[i]])); // one per time
    const xs = [...points.keys()].sort((a, b) => a - b);
    return {
      label: repeated && s.scale ? `${base} (${s.scale})` : base,
      unit: s.unit, xs, ys: xs.map((x) => points.get(x)),
    };
  });
}

function drawChart(figure, lines) {
  const units = [...new Set(lines.map((l) => l.unit))];
  const data = uPlot.join(lines.map((l) => [l.xs, l.ys]));
  const options = {
    width: Math.max(280, figure.clientWidth - 24),
    height: 220,
    scales: { x: { time: true } },
    series: [{}, ...lines.map((l, i) => ({
      label: l.label, scale: l.unit, stroke: COLOURS[i % COLOURS.length], width: 2, spanGaps: true,
      points: { show: true, size: 5 }, value: (_, v) => (v === null ? "–" : `${fmt(v, 2)} ${l.unit}`),
    }))],
    axes: [{}, ...units.map((unit, i) => ({ // one axis per unit: the first on the left, more on the right
      scale: unit, label: unit, side: i === 0 ? 3 : 1, grid: { show: i === 0 },
    }))],
  };
  return new uPlot(options, data, figure.querySelector(".plot"));
}

function renderCharts(progress) {
  const figures = GROUPS.map((group) => {
    const figure = element("figure", undefined, "chart");
    figure.dataset.group = group.id;
    figure.append(element("h2", group.title), element("div", undefined, "plot"));
    return figure;
  });
  $("#charts").replaceChildren(...figures); // all laid out first: a chart takes its figure's width
  GROUPS.forEach((group, i) => {
    const lines = linesOf(group, progress);
    figures[i].dataset.lines = String(lines.length);
    if (lines.length === 0) {
      figures[i].querySelector(".plot").append(element("p", "No data yet", "empty"));
    } else {
      drawChart(figures[i], lines);
    }
  });
}

function renderDetails(progress) {
  const direction = { IMPROVING: "↓ improving", STABLE: "→ stable", WORSENING: "↑ worsening" };
  $("#patterns tbody").replaceChildren(...progress.errorPatterns.map((e) => {
    const row = element("tr");
    row.append(element("td", e.type), element("td", String(e.count)), element("td", String(e.sessions)),
      element("td", fmt(e.per100Words, 2)), element("td", direction[e.direction] ?? "–"));
    return row;
  }));
  const recommendations = progress.recommendations.map((r) => {
    const item = element("li");
    item.append(element("strong", r.title), element("span", ` ${r.why}`));
    return item;
  });
  $("#recommendations").replaceChildren(...(recommendations.length ? recommendations : [element("li", "No data yet")]));
}

async function show(user, key, granularity) {
  setState("loading", `Loading ${user}…`);
  try {
    const progress = await fetchProgress(user, key, granularity);
    renderSummary(progress);
    renderCharts(progress);
    renderDetails(progress);
    setState("ready", progress.sessions ? `${user}: ${progress.sessions} sessions` : `${user}: no data yet`);
  } catch (error) {
    setState("error", `Could not load the progress: ${error.message}`);
  }
}

function start() {
  const params = new URLSearchParams(location.search);
  const form = $("#query");
  if (params.has("key")) {
    localStorage.setItem(KEY_STORE, params.get("key"));
    params.delete("key"); // stored now; keep it out of the address bar and of screenshots
    history.replaceState(null, "", `${location.pathname}?${params}`);
  }
  form.user.value = params.get("user") ?? "";
  form.key.value = localStorage.getItem(KEY_STORE) ?? "";
  form.granularity.value = params.get("granularity") ?? "SESSION";
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    localStorage.setItem(KEY_STORE, form.key.value);
    history.replaceState(null, "", `${location.pathname}?user=${encodeURIComponent(form.user.value)}&granularity=${form.granularity.value}`);
    show(form.user.value, form.key.value, form.granularity.value);
  });
  if (form.user.value && form.key.value) show(form.user.value, form.key.value, form.granularity.value);
}

start();
