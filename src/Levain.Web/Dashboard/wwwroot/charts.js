// Levain's chart drawing: small hand-written SVG charts (no library, nothing fetched).
// LevainCharts.plot(spec) returns an <svg> element. spec = {
//   title, xLabel, yLabel, xLog, yLog, width, height,
//   series: [{ kind: 'points' | 'line' | 'step' | 'band', cls, points: [{ x, y, y2, label, data }] }] }
// 'band' fills between y (lower) and y2 (upper). Log axes take positive values only; others are dropped.
"use strict";
window.LevainCharts = (function () {
  const NS = "http://www.w3.org/2000/svg";

  function el(name, attrs, parent) {
    const e = document.createElementNS(NS, name);
    for (const [k, v] of Object.entries(attrs || {})) e.setAttribute(k, v);
    if (parent) parent.appendChild(e);
    return e;
  }

  function format(v) {
    if (!isFinite(v)) return String(v);
    const a = Math.abs(v);
    if (a !== 0 && (a >= 1e5 || a < 1e-3)) return v.toExponential(1).replace("e+", "e");
    return Number(v.toPrecision(3)).toString();
  }

  // Axis scale over finite values, in log10 space for log axes.
  function scale(values, isLog, lo, hi) {
    let vs = values.filter(v => isFinite(v) && (!isLog || v > 0)).map(v => (isLog ? Math.log10(v) : v));
    if (vs.length === 0) vs = [0, 1];
    let min = Math.min(...vs), max = Math.max(...vs);
    if (min === max) { min -= isLog ? 0.5 : Math.abs(min) * 0.1 || 1; max += isLog ? 0.5 : Math.abs(max) * 0.1 || 1; }
    const pad = (max - min) * 0.06;
    min -= pad; max += pad;
    const f = v => lo + ((isLog ? Math.log10(v) : v) - min) / (max - min) * (hi - lo);
    f.ticks = function () {
      const out = [];
      if (isLog) {
        for (let p = Math.ceil(min); p <= Math.floor(max); p++) out.push(Math.pow(10, p));
        if (out.length < 2) for (let i = 0; i <= 4; i++) out.push(Math.pow(10, min + (max - min) * i / 4));
        return out;
      }
      const step = Math.pow(10, Math.floor(Math.log10((max - min) / 4)));
      const nice = [1, 2, 5, 10].map(m => m * step).find(s => (max - min) / s <= 6) || step * 10;
      for (let v = Math.ceil(min / nice) * nice; v <= max; v += nice) out.push(Math.abs(v) < nice * 1e-9 ? 0 : v);
      return out;
    };
    f.ok = v => isFinite(v) && (!isLog || v > 0);
    return f;
  }

  function plot(spec) {
    const W = spec.width || 460, H = spec.height || 300, L = 62, R = 12, T = 24, B = 40;
    const svg = el("svg", { width: W, height: H, viewBox: `0 0 ${W} ${H}`, role: "img", "aria-label": spec.title || "chart" });
    const xs = [], ys = [];
    for (const s of spec.series) for (const p of s.points) { xs.push(p.x); ys.push(p.y); if (p.y2 !== undefined) ys.push(p.y2); }
    const sx = scale(xs, spec.xLog, L, W - R), sy = scale(ys, spec.yLog, H - B, T);
    el("text", { x: L, y: 15, "font-weight": "600" }, svg).textContent = spec.title || "";
    const axes = el("g", { class: "axis" }, svg);
    for (const t of sx.ticks()) {
      const x = sx(t);
      el("line", { x1: x, x2: x, y1: T, y2: H - B, class: "grid" }, axes);
      el("text", { x: x, y: H - B + 14, "text-anchor": "middle" }, axes).textContent = format(t);
    }
    for (const t of sy.ticks()) {
      const y = sy(t);
      el("line", { x1: L, x2: W - R, y1: y, y2: y, class: "grid" }, axes);
      el("text", { x: L - 4, y: y + 4, "text-anchor": "end" }, axes).textContent = format(t);
    }
    el("line", { x1: L, x2: W - R, y1: H - B, y2: H - B }, axes);
    el("line", { x1: L, x2: L, y1: T, y2: H - B }, axes);
    el("text", { x: (L + W - R) / 2, y: H - 6, "text-anchor": "middle" }, axes).textContent = spec.xLabel || "";
    el("text", { x: 12, y: (T + H - B) / 2, "text-anchor": "middle", transform: `rotate(-90 12 ${(T + H - B) / 2})` }, axes).textContent = spec.yLabel || "";

    for (const s of spec.series) {
      const pts = s.points.filter(p => sx.ok(p.x) && sy.ok(p.y) && (p.y2 === undefined || sy.ok(p.y2)));
      if (pts.length === 0) continue;
      if (s.kind === "points") {
        for (const p of pts) {
          const c = el("circle", { cx: sx(p.x), cy: sy(p.y), r: s.radius || 4, class: s.cls || "" }, svg);
          for (const [k, v] of Object.entries(p.data || {})) c.setAttribute("data-" + k, v);
          if (p.label) el("title", {}, c).textContent = p.label;
        }
      } else if (s.kind === "band") {
        const upper = pts.map(p => `${sx(p.x)},${sy(p.y2)}`);
        const lower = pts.slice().reverse().map(p => `${sx(p.x)},${sy(p.y)}`);
        el("polygon", { points: upper.concat(lower).join(" "), class: s.cls || "" }, svg);
      } else {
        let d = "";
        pts.forEach((p, i) => {
          const X = sx(p.x), Y = sy(p.y);
          if (i === 0) d += `M${X},${Y}`;
          else d += s.kind === "step" ? `H${X}V${Y}` : `L${X},${Y}`;
        });
        el("path", { d: d, class: s.cls || "" }, svg);
      }
    }
    return svg;
  }

  return { plot: plot, format: format };
})();
