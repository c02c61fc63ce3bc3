// Draws the report from the JSON in #data. No network, no libraries: DOM, inline SVG and
// one canvas for the timeline.
"use strict";

const D = JSON.parse(document.getElementById("data").textContent);
const SVG = "http://www.w3.org/2000/svg";

// ---- helpers ----------------------------------------------------------------------------

function el(tag, attrs, ...kids) {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (v === null || v === undefined) continue;
    if (k === "text") e.textContent = v;
    else e.setAttribute(k, v);
  }
  for (const k of kids) if (k !== null && k !== undefined) e.append(k);
  return e;
}

function sv(tag, attrs, ...kids) {
  const e = document.createElementNS(SVG, tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (k === "text") e.textContent = v;
    else e.setAttribute(k, v);
  }
  for (const k of kids) if (k) e.append(k);
  return e;
}

function num(n) {
  if (n === null || n === undefined) return "–";
  return Math.round(n).toString().replace(/\B(?=(\d{3})+(?!\d))/g, "\u202f");
}

function dur(ns) {
  if (ns === null || ns === undefined) return "–";
  const units = [[1e9, "s"], [1e6, "ms"], [1e3, "µs"]];
  for (const [f, u] of units) {
    if (ns >= f) {
      const v = ns / f;
      return (v >= 100 ? v.toFixed(0) : v >= 10 ? v.toFixed(1) : v.toFixed(2)) + " " + u;
    }
  }
  return Math.round(ns) + " ns";
}

function bytes(b) {
  const u = ["B", "KiB", "MiB", "GiB", "TiB"];
  let i = 0;
  while (b >= 1024 && i + 1 < u.length) { b /= 1024; i++; }
  return (i === 0 ? b : b.toFixed(1)) + " " + u[i];
}

function pct(part, whole) {
  return whole > 0 ? (100 * part / whole).toFixed(1) + "%" : "–";
}

const CATEGORY_COLOURS = {
  file: "#4e79a7", descriptor: "#76b7b2", network: "#f28e2b", process: "#b07aa1",
  memory: "#59a14f", ipc: "#edc948", signal: "#ff9da7", time: "#9c755f", sync: "#8cd17d",
  security: "#d37295", system: "#86bcb6", io_uring: "#499894", other: "#bab0ac",
};
function colour(category) {
  return CATEGORY_COLOURS[category] || CATEGORY_COLOURS.other;
}

const toc = document.getElementById("toc");
const main = document.getElementById("main");

function section(id, title, ...content) {
  const s = el("section", { id }, el("h2", { text: title }), ...content);
  main.append(s);
  toc.append(el("a", { href: "#" + id, text: title.replace(/ \(\d+\)$/, "") }));
  return s;
}

// A table: `cols` is [[header, cell(row) → text or node, numeric?]].
function table(cols, rows, empty) {
  if (!rows || rows.length === 0) return el("p", { class: "empty", text: empty || "none" });
  const head = el("tr", {}, ...cols.map(([h, , n]) => el("th", { class: n ? "n" : null, text: h })));
  const body = rows.map((r) =>
    el("tr", {}, ...cols.map(([, f, n, mono]) => {
      const v = f(r);
      const td = el("td", { class: n ? "n" : mono ? "mono" : null });
      if (v instanceof Node) td.append(v); else td.textContent = v;
      return td;
    })));
  return el("div", { class: "scroll" }, el("table", {}, el("thead", {}, head), el("tbody", {}, ...body)));
}

function bar(value, max, width) {
  const w = max > 0 ? Math.max(1, Math.round((width || 120) * value / max)) : 0;
  return el("span", { class: "bar", style: `width:${w}px` });
}

const tip = document.getElementById("tip");
function showTip(text, x, y) {
  tip.textContent = text;
  tip.hidden = false;
  const w = tip.offsetWidth, h = tip.offsetHeight;
  tip.style.left = Math.min(x + 14, window.innerWidth - w - 8) + "px";
  tip.style.top = (y + 18 + h > window.innerHeight ? y - h - 10 : y + 18) + "px";
}
function hideTip() { tip.hidden = true; }

// ---- header -----------------------------------------------------------------------------

const S = D.summary || {};
const A = D.advice || {};
const T = D.timeline || null;

document.getElementById("title").textContent = D.title || "sysgate report";
document.getElementById("meta").textContent =
  `${D.source || ""} · generated ${D.generated || ""} by sysgate ${D.sysgate || ""}`;

// ---- comparison (report BASE NEW) -------------------------------------------------------

function comparison() {
  const X = D.diff;
  if (!X) return;
  const change = (c, f) => {
    if (!c) return "–";
    const sign = c.delta > 0 ? "+" : "";
    const p = c.delta === 0 ? "unchanged"
      : c.pct === null || c.pct === undefined ? "new"
      : Math.abs(c.pct) < 0.05 ? "±0%" : `${sign}${c.pct.toFixed(1)}%`;
    const span = el("span", { text: `${f(c.base)} → ${f(c.new)} ${p ? "(" + p + ")" : ""}` });
    if (c.delta > 0) span.style.color = "var(--error)";
    else if (c.delta < 0) span.style.color = "#2a8a3e";
    return span;
  };
  const t = X.total || {};
  const parts = [
    el("p", { text: `Base ${X.base.label} (${num(X.base.calls)} calls) compared with new ${X.new.label} (${num(X.new.calls)} calls). ` +
      `Metrics under the noise floor (${num(X.options.min_calls)} calls, ${dur(X.options.min_time_ns)}) are not compared.` }),
    el("div", { class: "cards" },
      ...[["calls", num], ["errors", num], ["time_ns", dur], ["bytes", bytes]].map(([k, f]) =>
        el("div", { class: "card" }, el("div", { class: "v", style: "font-size:15px" }, change(t[k], f)), el("div", { class: "k", text: k.replace("_ns", "") })))),
  ];
  const changed = (X.syscalls || []).filter((r) => r.status !== "both" || (r.counts_compared && (r.calls.delta || r.errors.delta)) || (r.time_compared && r.time_ns.delta));
  parts.push(el("h3", { text: "System calls that changed" }), table([
    ["syscall", (r) => r.syscall + (r.status === "both" ? "" : ` (${r.status})`), false, true],
    ["calls", (r) => change(r.calls, num), true],
    ["failed", (r) => change(r.errors, num), true],
    ["time", (r) => r.time_compared ? change(r.time_ns, dur) : "below floor", true],
    ["bytes", (r) => change(r.bytes, bytes), true],
    ["p99", (r) => r.time_compared ? change(r.p99_ns, dur) : "–", true],
  ], changed.slice(0, 200), "no syscall changed above the noise floor"));
  const list = (title, rows, f) => {
    if (!rows || rows.length === 0) return;
    parts.push(el("h3", { text: `${title} (${rows.length})` }), el("ul", { class: "mono" }, ...rows.slice(0, 100).map((r) => el("li", { text: f(r) }))));
  };
  list("New findings", X.findings.appeared, (f) => `[${f.severity}] ${f.rule}: ${f.message}`);
  list("Resolved findings", X.findings.resolved, (f) => `[${f.severity}] ${f.rule}: ${f.message}`);
  list("New kinds of error", X.errors.appeared, (e) => `${e.syscall} ${e.errno} ×${num(e.count)}`);
  list("Errors gone", X.errors.resolved, (e) => `${e.syscall} ${e.errno} ×${num(e.count)}`);
  list("Syscalls that appeared", X.appeared, (s) => `${s.syscall} ×${num(s.calls)}`);
  list("Syscalls that disappeared", X.disappeared, (s) => `${s.syscall} ×${num(s.calls)}`);
  list("Profile drift: calls the base run's profile would refuse", (X.profile_drift || {}).syscalls, (s) => `${s.syscall} ×${num(s.calls)}`);
  list("Files that appeared", X.files.appeared, (f) => f);
  list("Files that disappeared", X.files.disappeared, (f) => f);
  section("comparison", "Comparison", ...parts).dataset.regressions = (X.regressions || []).length;
  const h = el("p", { class: "note", text: "The sections below describe the new run." });
  main.append(h);
}

// ---- overview ---------------------------------------------------------------------------

// Several recordings: processes are told apart by the recording they come from.
const RECS = S.recordings || [];
const MANY = RECS.length > 1;
function procKey(p) { return `${p.recording || ""}/${p.pid}`; }

function overview() {
  const calls = S.calls || 0;
  const errors = (S.syscalls || []).reduce((a, r) => a + r.errors, 0);
  const pids = new Set((S.processes || []).map(procKey));
  const models = {};
  for (const t of S.threads || []) models[t.model] = (models[t.model] || 0) + 1;
  const model = Object.entries(models).map(([m, n]) => `${n} × ${m}`).join(", ") || "–";
  const topCat = (S.categories || [])[0];
  const card = (v, k) => el("div", { class: "card" }, el("div", { class: "v", text: v }), el("div", { class: "k", text: k }));
  section("overview", "Overview",
    el("div", { class: "cards" },
      card(dur((S.duration_s || 0) * 1e9), "duration (first call to last)"),
      card(num(calls), "system calls"),
      card(num(errors), `failed (${pct(errors, calls)})`),
      card(num(pids.size), "processes"),
      card(num((S.processes || []).length), "threads"),
      card(num(S.signals || 0), "signals"),
      MANY ? card(num(RECS.length), `recordings (${num((S.hosts || []).length || 1)} host${(S.hosts || []).length > 1 ? "s" : ""})`) : null,
      card(topCat ? topCat.category : "–", "most time in category"),
      card(num(A.counts ? A.counts.warning + A.counts.error : 0), "warnings and errors found"),
    ),
    el("p", { class: "note", text: "Threading model: " + model }),
    MANY ? el("p", { class: "note", text: "Duration and calls over time count each recording from its own first call, laid over each other." }) : null);
}

// ---- recordings (several) ---------------------------------------------------------------

function recordings() {
  if (!MANY) return;
  // Findings per run, by its label (a rotated capture's files share one run).
  const found = {};
  for (const r of A.recordings || []) found[r.label] = r.counts.error + r.counts.warning + r.counts.info;
  const boot = (b) => b ? b.slice(0, 8) : "–";
  const start = (ns) => ns ? new Date(ns / 1e6).toISOString().replace("T", " ").replace(/\.\d+Z$/, " UTC") : "–";
  const parts = [table([
    ["file", (r) => r.file, false, true],
    ["host", (r) => r.host, false, true],
    ["boot", (r) => boot(r.boot_id), false, true],
    ["command", (r) => (r.command || []).join(" "), false, true],
    ["start", (r) => start(r.start_ns)],
    ["duration", (r) => dur(r.duration_s * 1e9), true],
    ["calls", (r) => num(r.calls), true],
    ["failed", (r) => num(r.errors), true],
    ["time", (r) => dur(r.total_ns), true],
    ["findings", (r) => found[r.label] === undefined ? "–" : num(found[r.label]), true],
  ], RECS)];
  const hosts = S.hosts || [];
  if (hosts.length > 1) {
    parts.push(el("h3", { text: "Hosts" }), table([
      ["host", (h) => h.host, false, true],
      ["recordings", (h) => num(h.recordings), true],
      ["calls", (h) => num(h.calls), true],
      ["failed", (h) => num(h.errors), true],
      ["time", (h) => dur(h.total_ns), true],
      ["top syscall (time)", (h) => h.top_syscall, false, true],
    ], hosts));
  }
  section("recordings", `Recordings (${RECS.length})`, ...parts);
}

// ---- findings ---------------------------------------------------------------------------

function findings() {
  const list = A.findings || [];
  const parts = [];
  if (list.length === 0) {
    parts.push(el("p", { class: "empty",
      text: `No findings: ${(A.rules || []).length} rules checked ${num(A.calls)} calls.` }));
  }
  for (const f of list) {
    const art = el("article", { class: `finding sev-${f.severity}`, "data-rule": f.rule },
      el("h3", {}, el("span", { class: "sev", text: f.severity.toUpperCase() }), `${f.title} `,
        el("span", { class: "note mono", text: f.rule })),
      el("p", { text: f.message }));
    if (f.seen_on) {
      const u = f.seen_on.unit;
      const labels = [...new Set((f.occurrences || []).map((o) => o.label))];
      const where = f.seen_on.count > 1
        ? `On ${f.seen_on.count} of ${f.seen_on.of} ${u}: ${labels.join(", ")} (shown: ${f.recording.label})`
        : `${u === "hosts" ? "Host" : "Recording"}: ${f.recording.label}` + (u === "hosts" ? ` (${(f.recording.files || []).join(", ")})` : ` (host ${f.recording.host})`);
      art.append(el("p", { class: "where", text: where }));
    }
    if (f.fix) art.append(el("p", { class: "fix", text: "Fix: " + f.fix }));
    if (f.saving && f.saving.time_ns) {
      art.append(el("p", { class: "note", text: `Estimated saving ${dur(f.saving.time_ns)}: ${f.saving.formula}` }));
    }
    const ev = f.evidence || {};
    const sites = ev.sites || [];
    if (sites.length) {
      art.append(el("p", { class: "note", text: "Where: " + sites.slice(0, 3)
        .map((s) => `${s.site} (${num(s.samples)} of the sampled calls)`).join("; ") }));
    }
    const samples = (ev.samples || []).map((s) => s.line).filter(Boolean);
    if (samples.length) art.append(el("pre", { text: samples.join("\n") }));
    if (f.doc) art.append(el("p", { class: "note", text: "Rule: " + f.doc }));
    parts.push(art);
  }
  section("findings", `Findings (${list.length})`, ...parts);
}

// ---- timeline ---------------------------------------------------------------------------

function timeline() {
  if (!T || !T.calls || T.calls.t.length === 0) {
    section("timeline", "Timeline", el("p", { class: "empty", text: "no calls" }));
    return;
  }
  const C = T.calls, n = C.t.length;
  // Lanes of several recordings carry their recording's name: a wider label column.
  const hosts = T.threads.some((t) => t.host);
  const MAX_LANES = 48, LANE = 18, LABEL = hosts ? 250 : 170, AXIS = 22, CHARS = hosts ? 40 : 26;
  const lanes = Math.min(T.threads.length, MAX_LANES);
  const height = AXIS + lanes * LANE + 6;
  const canvas = el("canvas", { class: "timeline", role: "img",
    "aria-label": "per-thread timeline of system calls" });
  canvas.style.height = height + "px";
  const wrap = el("div", { class: "timeline-wrap" }, canvas);
  const s = T.sampling;
  const notes = [];
  notes.push(s.every > 1
    ? `Sampled: ${num(s.shown)} of ${num(s.calls)} calls drawn (one in ${s.every}, evenly over the run; all ${num(s.errors_shown)} failed calls${s.errors_shown < s.errors ? ` of ${num(s.errors)}` : ""} kept).`
    : `Every one of the ${num(s.calls)} calls is drawn.`);
  if (T.threads.length > lanes) notes.push(`The ${lanes} busiest of ${T.threads.length} threads are shown.`);
  if (hosts) notes.push("Each recording is drawn from its own first call; lanes are labelled with their recording.");
  notes.push("Scroll to zoom, drag to pan, double-click to reset; hover a call for its line. Failed calls are marked red.");
  const used = [...new Set(C.name.map((i) => T.categories[i]))];
  const legend = el("div", { class: "legend" },
    ...used.map((c) => el("span", {}, el("i", { style: `background:${colour(c)}` }), c)),
    el("span", {}, el("i", { style: "background:var(--error)" }), "failed"));
  section("timeline", "Timeline", wrap, legend, el("p", { class: "note", text: notes.join(" ") }));

  // Per lane, the calls in time order (indices into the columns).
  const byLane = Array.from({ length: lanes }, () => []);
  for (let i = 0; i < n; i++) if (C.lane[i] < lanes) byLane[C.lane[i]].push(i);
  const total = Math.max(T.duration_ns, 1);
  let v0 = 0, v1 = total;
  const ctx = canvas.getContext("2d");
  let W = 0;

  function X(t) { return LABEL + (t - v0) / (v1 - v0) * (W - LABEL - 8); }
  function tAt(x) { return v0 + (x - LABEL) / (W - LABEL - 8) * (v1 - v0); }

  function niceStep(span, target) {
    const raw = span / target;
    const p = Math.pow(10, Math.floor(Math.log10(raw)));
    for (const m of [1, 2, 5, 10]) if (m * p >= raw) return m * p;
    return 10 * p;
  }

  function draw() {
    const dpr = window.devicePixelRatio || 1;
    W = canvas.clientWidth;
    canvas.width = Math.round(W * dpr);
    canvas.height = Math.round(height * dpr);
    ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
    ctx.clearRect(0, 0, W, height);
    ctx.font = "11px system-ui, sans-serif";
    // Axis.
    const step = niceStep(v1 - v0, Math.max(2, (W - LABEL) / 110));
    ctx.fillStyle = "#5c6577";
    ctx.strokeStyle = "#eceef2";
    for (let t = Math.ceil(v0 / step) * step; t <= v1; t += step) {
      const x = X(t);
      ctx.beginPath(); ctx.moveTo(x, AXIS - 4); ctx.lineTo(x, height); ctx.stroke();
      ctx.fillText(dur(t), x + 3, 13);
    }
    // Lanes.
    let drawn = 0;
    for (let l = 0; l < lanes; l++) {
      const y = AXIS + l * LANE;
      if (l % 2 === 1) { ctx.fillStyle = "#f8f9fb"; ctx.fillRect(LABEL, y, W - LABEL, LANE); }
      const th = T.threads[l];
      ctx.fillStyle = "#1d2330";
      const label = `${th.host ? th.host + ": " : ""}${th.command || "?"} ${th.tid}${th.tid === th.pid ? "" : ` (pid ${th.pid})`}`;
      ctx.fillText(label.length > CHARS ? label.slice(0, CHARS - 1) + "…" : label, 6, y + 13);
      const idx = byLane[l];
      // First call that may be visible.
      let lo = 0, hi = idx.length;
      while (lo < hi) { const m = (lo + hi) >> 1; if (C.t[idx[m]] + C.d[idx[m]] < v0) lo = m + 1; else hi = m; }
      let lastX = -1;
      for (let k = lo; k < idx.length; k++) {
        const i = idx[k];
        if (C.t[i] > v1) break;
        const x0 = Math.max(X(C.t[i]), LABEL);
        const x1 = Math.min(X(C.t[i] + C.d[i]), W);
        const w = Math.max(1, x1 - x0);
        drawn++;
        if (C.error[i]) continue;
        // Calls narrower than a pixel that land on one already drawn add nothing.
        if (w <= 1 && Math.floor(x0) === lastX) continue;
        lastX = Math.floor(x0);
        ctx.fillStyle = colour(T.categories[C.name[i]]);
        ctx.fillRect(x0, y + 3, w, LANE - 6);
      }
      // Failures on top, so none hides under a neighbour.
      ctx.fillStyle = "#d62728";
      for (let k = lo; k < idx.length; k++) {
        const i = idx[k];
        if (C.t[i] > v1) break;
        if (!C.error[i]) continue;
        const x0 = Math.max(X(C.t[i]), LABEL);
        ctx.fillRect(x0, y + 2, Math.max(2, X(C.t[i] + C.d[i]) - x0), LANE - 4);
      }
    }
    // Signals: a tick at the top of their lane.
    ctx.fillStyle = "#000";
    for (const sg of T.signals || []) {
      if (sg.lane === null || sg.lane >= lanes || sg.t < v0 || sg.t > v1) continue;
      const x = X(sg.t), y = AXIS + sg.lane * LANE;
      ctx.beginPath(); ctx.moveTo(x - 4, y); ctx.lineTo(x + 4, y); ctx.lineTo(x, y + 6); ctx.fill();
    }
    canvas.dataset.drawn = drawn;
    canvas.dataset.view = `${Math.round(v0)}-${Math.round(v1)}`;
  }

  function hit(ev) {
    const r = canvas.getBoundingClientRect();
    const x = ev.clientX - r.left, y = ev.clientY - r.top;
    const l = Math.floor((y - AXIS) / LANE);
    if (l < 0 || l >= lanes || x < LABEL) return null;
    const t = tAt(x), slack = (v1 - v0) / (W - LABEL) * 3;
    let best = null, bestD = Infinity;
    const idx = byLane[l];
    let lo = 0, hi = idx.length;
    while (lo < hi) { const m = (lo + hi) >> 1; if (C.t[idx[m]] < t - slack) lo = m + 1; else hi = m; }
    for (let k = Math.max(0, lo - 50); k < idx.length; k++) {
      const i = idx[k];
      if (C.t[i] > t + slack) break;
      const d = t < C.t[i] ? C.t[i] - t : t > C.t[i] + C.d[i] ? t - C.t[i] - C.d[i] : 0;
      if (d <= slack && d < bestD) { best = i; bestD = d; }
    }
    return best;
  }

  let drag = null;
  canvas.addEventListener("mousedown", (e) => { drag = { x: e.clientX, v0, v1 }; canvas.classList.add("dragging"); });
  window.addEventListener("mouseup", () => { drag = null; canvas.classList.remove("dragging"); });
  canvas.addEventListener("mousemove", (e) => {
    if (drag) {
      const dt = (e.clientX - drag.x) / (W - LABEL - 8) * (drag.v1 - drag.v0);
      let a = drag.v0 - dt, b = drag.v1 - dt;
      if (a < 0) { b -= a; a = 0; }
      if (b > total) { a -= b - total; b = total; }
      v0 = Math.max(0, a); v1 = Math.min(total, b);
      draw();
      hideTip();
      return;
    }
    const i = hit(e);
    if (i === null) { hideTip(); return; }
    const th = T.threads[C.lane[i]];
    showTip(`${C.text[i]}\n${dur(C.d[i])} at +${dur(C.t[i])} · ${th.host ? th.host + ": " : ""}${th.command || "?"} [${th.tid}]`, e.clientX, e.clientY);
  });
  canvas.addEventListener("mouseleave", hideTip);
  canvas.addEventListener("wheel", (e) => {
    e.preventDefault();
    const r = canvas.getBoundingClientRect();
    const x = e.clientX - r.left;
    if (x < LABEL) return;
    const t = tAt(x);
    const f = Math.exp(Math.sign(e.deltaY) * 0.25);
    let a = t - (t - v0) * f, b = t + (v1 - t) * f;
    if (b - a < 1000) return; // 1 µs is as close as it goes
    v0 = Math.max(0, a); v1 = Math.min(total, b);
    draw();
  }, { passive: false });
  canvas.addEventListener("dblclick", () => { v0 = 0; v1 = total; draw(); });
  window.addEventListener("resize", draw);
  draw();
}

// ---- charts -----------------------------------------------------------------------------

// Vertical bars: `values` with their `labels`; a tooltip per bar.
function barChart(values, opts) {
  const w = opts.width || 900, h = opts.height || 160, pad = { l: 48, r: 8, t: 18, b: 22 };
  const max = Math.max(1, ...values);
  const g = sv("svg", { class: "chart " + (opts.cls || ""), viewBox: `0 0 ${w} ${h}`, width: w, height: h,
    style: "max-width:100%;height:auto", role: "img", "aria-label": opts.title });
  if (opts.title) g.append(sv("text", { class: "title", x: pad.l, y: 12, text: opts.title }));
  const bw = (w - pad.l - pad.r) / Math.max(1, values.length);
  const steps = Math.min(3, Math.max(1, Math.ceil(max)));
  for (let i = 0; i <= steps; i++) {
    const v = max * i / steps, y = h - pad.b - (h - pad.t - pad.b) * i / steps;
    g.append(sv("line", { x1: pad.l, x2: w - pad.r, y1: y, y2: y, stroke: "#eceef2" }));
    g.append(sv("text", { x: pad.l - 4, y: y + 4, "text-anchor": "end", text: opts.fmt ? opts.fmt(v) : num(v) }));
  }
  values.forEach((v, i) => {
    const bh = (h - pad.t - pad.b) * v / max;
    const r = sv("rect", { class: "col", x: pad.l + i * bw + bw * 0.1, y: h - pad.b - bh,
      width: Math.max(1, bw * 0.8), height: Math.max(v > 0 ? 1 : 0, bh), fill: opts.colour || "#2f6fdf" });
    r.append(sv("title", { text: `${opts.labels[i]}: ${opts.fmt ? opts.fmt(v) : num(v)}` }));
    g.append(r);
  });
  const every = Math.max(1, Math.ceil(values.length / (opts.ticks || 12)));
  values.forEach((_, i) => {
    if (i % every) return;
    g.append(sv("text", { x: pad.l + i * bw + bw / 2, y: h - 6, "text-anchor": "middle", text: opts.labels[i] }));
  });
  return g;
}

function rate() {
  const r = T && T.rate;
  if (!r || r.calls.length === 0) { section("rate", "Calls over time", el("p", { class: "empty", text: "no calls" })); return; }
  const w = r.bucket_ns, per = 1e9 / w;
  const peak = Math.max(...r.calls);
  const failed = r.errors.reduce((a, b) => a + b, 0);
  section("rate", "Calls over time",
    barChart(r.calls, { width: 1300, title: `calls per ${dur(w)} (peak ${num(peak)}, ${num(peak * per)}/s)`, labels: r.calls.map((_, i) => dur(i * w)), cls: "rate" }),
    failed ? barChart(r.errors, { width: 1300, title: `failed calls per ${dur(w)}`, labels: r.errors.map((_, i) => dur(i * w)), cls: "rate-errors", colour: "#d62728", height: 110 }) : null,
    el("p", { class: "note", text: `Every call counted (not sampled); peak over a whole second: ${num((S.rate || {}).peak_per_second)} calls.` }));
}

function categories() {
  const rows = S.categories || [];
  const total = rows.reduce((a, r) => a + r.total_ns, 0);
  const w = 700, rowH = 22, h = rows.length * rowH + 10, left = 110;
  const maxT = Math.max(1, ...rows.map((r) => r.total_ns));
  const g = sv("svg", { class: "chart categories", viewBox: `0 0 ${w} ${h}`, width: w, height: h, style: "max-width:100%;height:auto", role: "img", "aria-label": "time per category" });
  rows.forEach((r, i) => {
    const y = 4 + i * rowH, bw = (w - left - 220) * r.total_ns / maxT;
    g.append(sv("text", { x: left - 6, y: y + 14, "text-anchor": "end", text: r.category }));
    const rect = sv("rect", { x: left, y: y + 3, width: Math.max(1, bw), height: rowH - 8, fill: colour(r.category) });
    rect.append(sv("title", { text: `${r.category}: ${num(r.calls)} calls, ${dur(r.total_ns)}` }));
    g.append(rect);
    g.append(sv("text", { x: left + bw + 6, y: y + 14,
      text: `${dur(r.total_ns)} (${pct(r.total_ns, total)}) · ${num(r.calls)} calls${r.errors ? ` · ${num(r.errors)} failed` : ""}` }));
  });
  section("categories", "Categories", rows.length ? g : el("p", { class: "empty", text: "none" }));
}

function syscalls() {
  const rows = S.syscalls || [];
  const total = rows.reduce((a, r) => a + r.total_ns, 0);
  const maxT = Math.max(1, ...rows.map((r) => r.total_ns));
  const lat = {};
  for (const l of S.latency || []) lat[l.syscall] = l;
  section("syscalls", "System calls", table([
    ["syscall", (r) => r.syscall, false, true],
    ["calls", (r) => num(r.calls), true],
    ["failed", (r) => num(r.errors), true],
    ["time", (r) => dur(r.total_ns), true],
    ["% time", (r) => pct(r.total_ns, total), true],
    ["", (r) => bar(r.total_ns, maxT)],
    ["p50", (r) => dur(lat[r.syscall] && lat[r.syscall].p50_ns), true],
    ["p99", (r) => dur(lat[r.syscall] && lat[r.syscall].p99_ns), true],
    ["max", (r) => dur(lat[r.syscall] && lat[r.syscall].max_ns), true],
  ], rows));
}

function latency() {
  const rows = (S.latency || []).filter((l) => (l.log2_ns || []).length).slice(0, 12);
  const grid = el("div", { class: "grid" });
  for (const l of rows) {
    const b = l.log2_ns;
    // Every power of two from the first to the last, empty ones included.
    const first = b[0][0], last = b[b.length - 1][0];
    const labels = [], values = [];
    const counts = new Map(b.map(([lo, c]) => [lo, c]));
    for (let lo = first; ; lo = lo === 0 ? 1 : lo * 2) {
      labels.push(dur(lo)); values.push(counts.get(lo) || 0);
      if (lo >= last || values.length > 64) break;
    }
    grid.append(el("div", { class: "small" }, barChart(values, {
      width: 420, height: 150, title: `${l.syscall}: p50 ${dur(l.p50_ns)}, p99 ${dur(l.p99_ns)}, max ${dur(l.max_ns)}`,
      labels, ticks: 5, cls: "latency", colour: "#59a14f",
    })));
  }
  section("latency", "Latency histograms", rows.length ? grid : el("p", { class: "empty", text: "none" }),
    el("p", { class: "note", text: "Calls by duration, one bar per power of two (the bar labelled 1 µs counts calls from 1 µs to 2 µs); the 12 syscalls with the most time." }));
}

function files() {
  const rows = S.files || [];
  const maxB = Math.max(1, ...rows.map((r) => r.bytes_in + r.bytes_out));
  section("files", "Files and sockets", table([
    ["file", (r) => r.file, false, true],
    ["opens", (r) => num(r.opens), true],
    ["reads", (r) => num(r.reads), true],
    ["writes", (r) => num(r.writes), true],
    ["in", (r) => bytes(r.bytes_in), true],
    ["out", (r) => bytes(r.bytes_out), true],
    ["", (r) => bar(r.bytes_in + r.bytes_out, maxB, 80)],
    ["flushes", (r) => num(r.flushes), true],
    ["failed", (r) => num(r.errors), true],
  ], rows, "no files or sockets"));
}

function errors() {
  const rows = S.errors || [];
  section("errors", "Errors", table([
    ["syscall", (r) => r.syscall, false, true],
    ["errno", (r) => r.errno, false, true],
    ["count", (r) => num(r.count), true],
    ["most frequent arguments", (r) => (r.top_args || []).slice(0, 5).map((a) => `${a.arg} ×${num(a.count)}`).join("\n"), false, true],
  ], rows, "no failed calls"));
}

function processes() {
  const rows = S.processes || [];
  const models = {};
  for (const t of S.threads || []) models[procKey(t)] = t.model;
  section("processes", "Processes and threads", table([
    ...(MANY ? [["recording", (r) => r.recording === r.host ? r.host : `${r.recording} (${r.host})`, false, true]] : []),
    ["pid", (r) => String(r.pid), true],
    ["tid", (r) => String(r.tid), true],
    ["command", (r) => r.command || "?", false, true],
    ["model", (r) => models[procKey(r)] || ""],
    ["calls", (r) => num(r.calls), true],
    ["time", (r) => dur(r.total_ns), true],
  ], rows));
}

function callsites() {
  const rows = S.callsites || [];
  if (rows.length === 0) return;
  section("callsites", "Call sites", table([
    ["site", (r) => r.site, false, true],
    ["calls", (r) => num(r.calls), true],
    ["time", (r) => dur(r.total_ns), true],
    ["syscalls", (r) => Object.entries(r.syscalls || {}).sort((a, b) => b[1] - a[1]).map(([k, v]) => `${k} ×${num(v)}`).join(", "), false, true],
  ], rows));
}

comparison();
overview();
recordings();
findings();
timeline();
rate();
syscalls();
latency();
categories();
files();
errors();
processes();
callsites();
document.body.dataset.ready = "1";
