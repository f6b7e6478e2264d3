// Levain dashboard: hash-routed views over the JSON API; every view re-renders from fresh data on each poll.
"use strict";
(function () {
  const view = document.getElementById("view");
  const status = document.getElementById("status");
  const fmt = LevainCharts.format;
  let pollMs = 2000, timer = null, lastJson = "", openLogs = new Set(), itemFilter = "";

  function h(tag, attrs, ...children) {
    const e = document.createElement(tag);
    for (const [k, v] of Object.entries(attrs || {})) {
      if (k === "onclick" || k === "onchange" || k === "oninput") e[k] = v;
      else if (v !== null && v !== undefined) e.setAttribute(k, v);
    }
    for (const c of children.flat()) if (c !== null && c !== undefined) e.appendChild(typeof c === "string" || typeof c === "number" ? document.createTextNode(String(c)) : c);
    return e;
  }
  const num = v => (v === null || v === undefined ? "–" : typeof v === "number" ? fmt(v) : String(v));
  // Reads a key in snake_case, falling back to its camelCase spelling (older health JSON).
  const key = (o, k) => (o == null ? undefined : o[k] !== undefined ? o[k] : o[k.replace(/_([a-z])/g, (_, c) => c.toUpperCase())]);
  const paramText = v => (v === null || v === undefined ? "" : typeof v === "number" ? fmt(v) : typeof v === "object" ? JSON.stringify(v) : String(v));

  async function get(url) {
    const r = await fetch(url, { cache: "no-store" });
    const body = await r.json();
    if (!r.ok) throw new Error(body && body.error ? body.error : r.status + " " + r.statusText);
    return body;
  }

  function table(headers, rows, numeric) {
    return h("table", {}, h("thead", {}, h("tr", {}, headers.map((x, i) => h("th", { class: numeric && numeric[i] ? "num" : null }, x)))),
      h("tbody", {}, rows));
  }

  // ---- studies ----
  async function studies() {
    const list = await get("/api/studies");
    return [h("h2", {}, "Studies"), list.length === 0 ? h("p", { class: "muted" }, "No study sources were given.") :
      table(["study", "storage", "succeeded", "failed", "running", "waiting", "abandoned", "best"], list.map(s => s.error
        ? h("tr", {}, h("td", {}, s.name || "–"), h("td", {}, s.storage), h("td", { colspan: 6, class: "error" }, s.error))
        : h("tr", {}, h("td", {}, h("a", { href: `#/study/${s.source}/${encodeURIComponent(s.name)}`, class: "study-link" }, s.name)),
          h("td", { class: "muted" }, s.storage), h("td", { class: "num" }, s.early_stopped ? `${s.succeeded} (${s.early_stopped} stopped early)` : s.succeeded), h("td", { class: "num" }, s.failed),
          h("td", { class: "num" }, s.running), h("td", { class: "num" }, s.suggested), h("td", { class: "num" }, s.abandoned),
          h("td", { class: "num" }, num(s.best_output)))), [0, 0, 1, 1, 1, 1, 1, 1])];
  }

  async function study(source, name) {
    const r = await get(`/api/studies/${source}/${encodeURIComponent(name)}`);
    const logs = {};
    if (r.has_logs) {
      for (const n of openLogs) {
        try { logs[n] = await get(`/api/studies/${source}/${encodeURIComponent(name)}/trials/${n}/log`); } catch (e) { logs[n] = { error: e.message }; }
      }
    }
    return renderStudy(r, source, name, logs);
  }

  // A law with its 90% band: the line solid over the Pareto points, dashed ('extrapolated') beyond the dearest one.
  function lawSeries(curve) {
    const out = [];
    if (curve.points.every(p => p.lower !== null && p.upper !== null))
      out.push({ kind: "band", cls: "law-band", points: curve.points.map(p => ({ x: p.cost, y: p.lower, y2: p.upper })) });
    const split = curve.points.filter(p => !p.is_extrapolated).length;
    out.push({ kind: "line", cls: "law-line", points: curve.points.slice(0, Math.max(split, 1)).map(p => ({ x: p.cost, y: p.value })) });
    if (split < curve.points.length)
      out.push({ kind: "line", cls: "law-line extrapolated", points: curve.points.slice(Math.max(split - 1, 0)).map(p => ({ x: p.cost, y: p.value })) });
    return out;
  }

  function renderStudy(r, source, name, logs) {
    const out = [h("h2", {}, `Study ${r.study}`)];
    const c = r.trials;
    out.push(h("p", {}, `${r.direction} ${r.metric}, cost = ${r.cost}. Trials: ${c.succeeded} succeeded, ${c.failed} failed, ${c.running} running, ${c.suggested} waiting, ${c.abandoned} abandoned.`));
    if (r.best) out.push(h("p", { id: "best" }, `Best: ${r.metric} ${num(r.best.output)} at cost ${num(r.best.cost)} (trial ${r.best.trial}) — ` +
      Object.entries(r.best.parameters).map(([k, v]) => `${k}=${paramText(v)}`).join(" ")));

    const charts = h("div", { class: "charts" });
    const finished = r.trial_rows.filter(t => t.state === "succeeded" && t.cost > 0 && t.output !== null);
    const frontCurve = (r.scaling_law_curves || []).find(cv => cv.parameter === null);
    const paretoSeries = [];
    if (frontCurve) paretoSeries.push(...lawSeries(frontCurve));
    paretoSeries.push({ kind: "points", cls: "trial-point", points: finished.map(t => ({ x: t.cost, y: t.output, label: `trial ${t.number}: ${fmt(t.output)} at ${fmt(t.cost)}`, data: { trial: t.number } })) });
    paretoSeries.push({ kind: "line", cls: "front-line", points: r.pareto.map(p => ({ x: p.cost, y: p.output })) });
    paretoSeries.push({ kind: "points", cls: "front-point", radius: 5, points: r.pareto.map(p => ({ x: p.cost, y: p.output, label: `front: ${fmt(p.output)} at ${fmt(p.cost)}` })) });
    charts.appendChild(chartBox("chart-pareto", LevainCharts.plot({ title: "Pareto front (all succeeded trials)", xLabel: `${r.cost} (log)`, yLabel: r.metric, xLog: true, series: paretoSeries })));
    charts.appendChild(chartBox("chart-best", LevainCharts.plot({ title: `Best ${r.metric} so far`, xLabel: `cumulative ${r.cost} (log)`, yLabel: r.metric, xLog: true,
      series: [{ kind: "step", cls: "best-line", points: r.best_so_far.map(p => ({ x: p.cumulative_cost, y: p.best_output })) }] })));
    const logParams = new Set(r.log_parameters || []);
    for (const curve of (r.scaling_law_curves || []).filter(cv => cv.parameter !== null)) {
      const pname = curve.parameter;
      const series = [];
      series.push(...lawSeries(curve));
      series.push({ kind: "points", cls: "param-point", radius: 5, points: r.pareto.filter(p => typeof p.parameters[pname] === "number").map(p => ({ x: p.cost, y: p.parameters[pname], label: `${pname}=${fmt(p.parameters[pname])} at ${fmt(p.cost)}` })) });
      const law = (r.scaling_laws && r.scaling_laws.parameters || []).find(l => l.name === pname);
      if (law && law.predicted_value_in_param !== null && law.target_cost)
        series.push({ kind: "points", cls: "target", radius: 6, points: [{ x: law.target_cost, y: law.predicted_value_in_param, label: `at ${fmt(law.target_cost)}: ${fmt(law.predicted_value_in_param)}` }] });
      charts.appendChild(chartBox("chart-param-" + pname, LevainCharts.plot({ title: `${pname} along the front, with its law and 90% band`, xLabel: `${r.cost} (log)`, yLabel: pname, xLog: true, yLog: logParams.has(pname), series: series })));
    }
    out.push(charts);

    if (r.scale_up) {
      const u = r.scale_up;
      const rows = u.parameters.map(p => h("tr", {}, h("td", {}, p.name), h("td", { class: "num" }, num(p.predicted)), h("td", { class: "num" }, `[${fmt(p.lower)}, ${fmt(p.upper)}]`), h("td", {}, p.method)));
      rows.push(h("tr", {}, h("td", {}, h("strong", {}, r.metric)), h("td", { class: "num" }, num(u.metric.predicted)), h("td", { class: "num" }, `[${fmt(u.metric.lower)}, ${fmt(u.metric.upper)}]`), h("td", {}, u.metric.method === "surrogate" ? "saturating law, surrogate's predicted front" : "saturating law, observed front")));
      if (u.at_settings) rows.push(h("tr", {}, h("td", {}, `${r.metric}, one run at these settings`), h("td", { class: "num" }, num(u.at_settings.predicted)), h("td", { class: "num" }, `[${fmt(u.at_settings.lower)}, ${fmt(u.at_settings.upper)}]`), h("td", {}, "surrogate's output model")));
      out.push(h("h3", {}, `Scale-up prediction at cost ${num(u.target_cost)} (${fmt(u.factor)}x the dearest Pareto point)`),
        table(["parameter", "recommended", "90% interval", "method"], rows, [0, 1, 1, 0]));
      for (const w of u.warnings) out.push(h("p", { class: "muted" }, "warning: " + w));
    }
    if ((r.scale_up_trials || []).length > 0) {
      out.push(h("h3", {}, `Scale-up trials: predicted vs actual ${r.metric}`), table(["trial", "factor", "predicted", "90% interval", "actual", "inside"],
        r.scale_up_trials.map(t => h("tr", {}, h("td", { class: "num" }, t.trial), h("td", { class: "num" }, fmt(t.factor)), h("td", { class: "num" }, num(t.predicted)),
          h("td", { class: "num" }, `[${fmt(t.lower)}, ${fmt(t.upper)}]`), h("td", { class: "num" }, t.actual_output === null ? t.state : num(t.actual_output)),
          h("td", {}, t.is_inside_interval === null ? "–" : t.is_inside_interval ? "yes" : "no"))), [1, 1, 1, 1, 1, 0]));
    }
    if (r.scaling_laws && !r.scale_up) {
      const rows = r.scaling_laws.parameters.map(l => h("tr", {}, h("td", {}, l.name), h("td", { class: "num" }, num(l.slope)), h("td", { class: "num" }, num(l.intercept)),
        h("td", { class: "num" }, l.point_count), h("td", { class: "num" }, num(l.predicted_value_in_param)), h("td", { class: "num" }, l.lower_in_param === null ? "–" : `[${fmt(l.lower_in_param)}, ${fmt(l.upper_in_param)}]`)));
      const f = r.scaling_laws.front;
      // The metric's law is saturating with 3+ Pareto points (E ± A·C^−α), else a straight line in ln cost.
      const sat = f && f.saturating;
      if (f) rows.push(h("tr", {}, h("td", {}, h("strong", {}, sat ? `${r.metric} (${f.method === "surrogate" ? "predicted front" : "front"}: ${fmt(sat.floor)} ${sat.sign > 0 ? "+" : "−"} ${fmt(sat.amplitude)}·C^−${fmt(sat.exponent)})` : `${r.metric} (front, line)`)),
        h("td", { class: "num" }, sat ? "–" : num(f.slope)), h("td", { class: "num" }, sat ? "–" : num(f.intercept)),
        h("td", { class: "num" }, f.point_count), h("td", { class: "num" }, num(f.predicted_output)), h("td", { class: "num" }, f.lower === null ? "–" : `[${fmt(f.lower)}, ${fmt(f.upper)}]`)));
      out.push(h("h3", {}, `Scale-up prediction at cost ${num(r.target_cost)} (basic value = a + b·ln cost)`),
        table(["parameter", "b (slope)", "a", "points", "at target", "90% interval"], rows, [0, 1, 1, 1, 1, 1]));
    } else {
      out.push(h("p", { class: "muted" }, r.scaling_laws_unavailable || "No scaling laws yet."));
    }

    out.push(h("h3", {}, "Best result at each cost"), table(["cost ≤", r.metric, "trial", "its cost"],
      r.best_at_cost.map(b => h("tr", {}, h("td", { class: "num" }, num(b.cost_limit)), h("td", { class: "num" }, num(b.output)), h("td", { class: "num" }, b.trial), h("td", { class: "num" }, num(b.cost)))), [1, 1, 1, 1]));

    const names = r.parameter_names || [];
    const rows = [];
    for (const t of r.trial_rows) {
      const progress = t.last_progress === null ? "" : typeof t.last_progress === "object" ? Object.entries(t.last_progress).map(([k, v]) => `${k}=${paramText(v)}`).join(" ") : String(t.last_progress);
      rows.push(h("tr", { class: "clickable trial-row", "data-trial": t.number, "data-state": t.state, onclick: () => { openLogs.has(t.number) ? openLogs.delete(t.number) : openLogs.add(t.number); refresh(true); } },
        h("td", { class: "num" }, t.number), h("td", { class: "state-" + t.state }, t.state), names.map(n => h("td", { class: "num" }, paramText(t.parameters[n]))),
        h("td", { class: "num" }, num(t.output)), h("td", { class: "num" }, num(t.cost)), h("td", { class: "num" }, t.elapsed_seconds === null ? "–" : fmt(t.elapsed_seconds) + " s"),
        h("td", {}, progress), h("td", { class: "error" }, t.failure_reason || "")));
      if (openLogs.has(t.number)) {
        const log = logs[t.number];
        const text = !r.has_logs ? "No log folder is known: open the dashboard with the study file to see logs."
          : !log ? "" : log.error ? log.error : log.exists ? log.lines.join("\n") : `no log yet at ${log.path}`;
        rows.push(h("tr", { class: "log-row" }, h("td", { colspan: names.length + 7 }, h("pre", {}, text))));
      }
    }
    out.push(h("h3", {}, "Trials (click a row for its log tail)"),
      table(["#", "state", ...names, r.metric, "cost", "elapsed", "latest progress", "failure"], rows, [1, 0, ...names.map(() => 1), 1, 1, 1, 0, 0]));
    return out;
  }

  function chartBox(id, svg) { return h("div", { class: "chart", id: id }, svg); }

  // ---- evaluations ----
  async function evals() {
    const list = await get("/api/evals");
    const out = [h("h2", {}, "Evaluation reports")];
    if (list.length === 0) return out.concat(h("p", { class: "muted" }, "No eval reports were given (levain dashboard --eval OUT/report.json)."));
    out.push(table(["report", "model", "backend", "tasks", "started"], list.map(e => e.error
      ? h("tr", {}, h("td", {}, e.path), h("td", { colspan: 4, class: "error" }, e.error))
      : h("tr", {}, h("td", {}, h("a", { href: `#/eval/${e.id}` }, e.path)), h("td", {}, e.model_id), h("td", {}, e.backend), h("td", {}, e.tasks.join(", ")), h("td", {}, e.started_at)))));
    const ok = list.filter(e => !e.error);
    if (ok.length >= 2) {
      const pick = (id, sel) => h("select", { id: id }, ok.map(e => { const o = h("option", { value: e.id }, `${e.id}: ${e.model_id}`); if (e.id === sel) o.selected = true; return o; }));
      const a = pick("compare-a", ok[0].id), b = pick("compare-b", ok[1].id);
      out.push(h("h3", {}, "Compare two runs"), h("p", {}, "A ", a, " B ", b, " ",
        h("button", { onclick: () => { location.hash = `#/compare/${a.value}/${b.value}`; } }, "compare")));
    }
    return out;
  }

  async function evalReport(id) {
    const r = await get(`/api/evals/${id}`);
    const m = r.manifest;
    const out = [h("h2", {}, `Evaluation of ${m.model_id}`), h("p", { class: "muted" }, `backend ${m.backend}${m.endpoint ? " " + m.endpoint : ""}, tokenizer ${m.tokenizer_id}, harness ${m.harness_version}, ${m.started_at}`)];
    for (const t of r.tasks) {
      out.push(h("h3", {}, `${t.name} — ${t.items} items (${t.source})`));
      out.push(table(["metric", "value", "standard error", "n", "method"], Object.entries(t.metrics).map(([k, e]) =>
        h("tr", {}, h("td", {}, k), h("td", { class: "num" }, num(e.value)), h("td", { class: "num" }, e.standard_error === undefined ? "–" : num(e.standard_error)), h("td", { class: "num" }, e.count), h("td", {}, e.method))), [0, 1, 1, 1, 0]));
      const filter = itemFilter.toLowerCase();
      const rows = (t.rows || []).filter(x => !filter || (x.item_id + " " + (x.prompt || "")).toLowerCase().includes(filter));
      const shown = rows.slice(0, 200);
      out.push(h("details", {}, h("summary", {}, `Per-item rows (${rows.length}${rows.length > shown.length ? ", first 200 shown" : ""})`),
        table(["item", "rot", "prompt", "choices (gold ✓, predicted ←)", "scores"], shown.map(x => h("tr", { class: "item-row" },
          h("td", {}, x.item_id), h("td", { class: "num" }, x.rotation || 0), h("td", {}, h("pre", {}, x.prompt || "")),
          h("td", {}, x.choices && x.choices.length ? h("pre", {}, x.choices.map((c, i) => `${(x.gold_positions || []).includes(i) ? "✓" : " "} ${c.answer}  (${fmt(c.log_likelihood)})${x.predicted_position === i ? "  ←" : ""}`).join("\n"))
            : h("pre", {}, x.generated !== undefined ? `generated: ${x.generated}\ngold: ${(x.gold_texts || []).join(" | ")}` : "")),
          h("td", {}, h("pre", {}, Object.entries(x.scores || {}).map(([k, v]) => `${k}=${fmt(v)}`).join("\n"))))))));
    }
    out.splice(2, 0, h("p", {}, "Filter items: ", h("input", { id: "item-filter", value: itemFilter, oninput: e => { itemFilter = e.target.value; refresh(true); } })));
    return out;
  }

  async function compare(a, b) {
    const r = await get(`/api/evals/compare?a=${a}&b=${b}`);
    const out = [h("h2", {}, `${r.model_b} (B) against ${r.model_a} (A)`)];
    for (const t of r.tasks) {
      out.push(h("h3", {}, `${t.task} — ${t.shared_rows} paired rows (${t.only_in_a} only in A, ${t.only_in_b} only in B)`));
      out.push(table(["metric", "A", "B", "B − A", "standard error", "z", "n", "method"], (t.metrics || []).map(d => h("tr", { class: "compare-row" },
        h("td", {}, d.metric), h("td", { class: "num" }, num(d.a)), h("td", { class: "num" }, num(d.b)), h("td", { class: "num" }, num(d.difference)),
        h("td", { class: "num" }, num(d.standard_error)), h("td", { class: "num" }, num(d.z)), h("td", { class: "num" }, d.paired_rows), h("td", {}, d.method))), [0, 1, 1, 1, 1, 1, 1, 0]));
    }
    return out;
  }

  // ---- health ----
  async function health() {
    const list = await get("/api/health");
    const out = [h("h2", {}, "Health reports")];
    if (list.length === 0) return out.concat(h("p", { class: "muted" }, "No health reports were given (levain dashboard --health fleet.json)."));
    out.push(table(["report", "status", "hosts"], list.map(x => x.error ? h("tr", {}, h("td", {}, x.path), h("td", { colspan: 2, class: "error" }, x.error))
      : h("tr", {}, h("td", {}, h("a", { href: `#/health/${x.id}` }, x.path)), h("td", { class: "sev-" + x.status }, x.status), h("td", { class: "num" }, x.hosts)))));
    return out;
  }

  async function healthReport(id) {
    const r = await get(`/api/health/${id}`);
    const hosts = r.hosts || r.nodes || [r];
    const out = [h("h2", {}, `Fleet health: ${r.status}`), h("p", {}, `${hosts.length} hosts` + (key(r, "elapsed_seconds") !== undefined ? `, ${fmt(key(r, "elapsed_seconds"))} s, concurrency ${key(r, "concurrency")}` : ""))];
    out.push(table(["host", "status", "outcome", "detail", "findings"], hosts.map(n => h("tr", { class: "host-row" },
      h("td", {}, n.host), h("td", { class: "sev-" + n.status }, n.status), h("td", {}, n.outcome || ""), h("td", {}, n.detail || ""),
      h("td", {}, (n.results || []).filter(x => x.severity !== "ok").map(x => h("div", { class: "sev-" + x.severity },
        `${x.severity} ${x.check}${x.subject ? " " + x.subject : ""}: ${x.message}` + (x.remediation && x.remediation !== "none" ? ` → ${x.remediation}` : ""),
        (x.evidence || []).length ? h("pre", { class: "muted" }, x.evidence.join("\n")) : null)))))));
    return out;
  }

  // ---- routing and polling ----
  function route() {
    const parts = (location.hash || "#/studies").slice(2).split("/").map(decodeURIComponent);
    for (const a of document.querySelectorAll("nav a")) a.classList.toggle("active", ("#/" + parts[0]).startsWith(a.getAttribute("href").replace(/s$/, "")));
    switch (parts[0]) {
      case "study": return () => study(parts[1], parts[2]);
      case "evals": return evals;
      case "eval": return () => evalReport(parts[1]);
      case "compare": return () => compare(parts[1], parts[2]);
      case "health": return parts.length > 1 ? () => healthReport(parts[1]) : health;
      default: return studies;
    }
  }

  async function refresh(force) {
    clearTimeout(timer);
    try {
      const nodes = await route()();
      const wrapper = h("div", {}, nodes);
      const focused = document.activeElement && document.activeElement.id;
      if (force || wrapper.innerHTML !== lastJson) {
        lastJson = wrapper.innerHTML;
        view.replaceChildren(...wrapper.childNodes);
        if (focused && document.getElementById(focused)) document.getElementById(focused).focus();
      }
      status.textContent = "updated " + new Date().toLocaleTimeString();
      status.className = "muted";
    } catch (e) {
      status.textContent = "cannot refresh: " + e.message;
      status.className = "error";
    }
    timer = setTimeout(refresh, pollMs);
  }

  window.addEventListener("hashchange", () => { openLogs = new Set(); lastJson = ""; refresh(true); });
  get("/api/config").then(c => { pollMs = c.poll_interval_ms || pollMs; }).catch(() => {}).finally(() => refresh(true));
})();
