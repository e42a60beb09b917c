// The network drawn in SVG from plain numbers: nodes in columns, one edge per
// weight, coloured by sign (blue +, orange −) and as wide as its magnitude.
const NS = "http://www.w3.org/2000/svg";
const SUB = "₀₁₂₃₄₅₆₇₈₉";
export const sub = (n) => String(n).split("").map((d) => SUB[+d] || d).join("");

export function el(name, attrs = {}, parent = null, text = null) {
  const e = document.createElementNS(NS, name);
  for (const [k, v] of Object.entries(attrs)) e.setAttribute(k, v);
  if (text !== null) e.textContent = text;
  if (parent) parent.appendChild(e);
  return e;
}

export function layout(sizes, width, height, pad = 46) {
  const cols = sizes.length;
  const xs = sizes.map((_, k) => pad + ((width - 2 * pad) * k) / Math.max(1, cols - 1));
  const most = Math.max(...sizes);
  const r = Math.max(3, Math.min(24, (height - 40) / (2.6 * most)));
  const ys = sizes.map((n) => {
    const gap = Math.min((height - 50) / Math.max(1, n), 4 * r + 14);
    const top = height / 2 - (gap * (n - 1)) / 2;
    return Array.from({ length: n }, (_, j) => top + gap * j);
  });
  return { xs, ys, r };
}

export function weightColor(w) {
  return w >= 0 ? "var(--pos)" : "var(--neg)";
}

// opts: sizes, weights [{W}], names(k, j) -> label, hiNodes Set("k:j"),
// hiEdges Set("k:i:j") (edge from node i of layer k-1 to node j of layer k),
// values {k: [numbers]}, labels (bool: weight on each edge), deltas {k: W},
// maps [[canvas per node] per hidden layer], layerNames [text per column]
export function drawNetwork(svg, opts) {
  const [, , width, height] = svg.getAttribute("viewBox").split(" ").map(Number);
  svg.replaceChildren();
  const { sizes, weights } = opts;
  const { xs, ys, r } = layout(sizes, width, height - 18, opts.inputLabels ? 90 : 46);
  const hiNodes = opts.hiNodes || new Set();
  const hiEdges = opts.hiEdges || new Set();
  svg.classList.toggle("highlighting", hiEdges.size > 0 || hiNodes.size > 0);
  // widths scale per layer; with many edges the faint ones fade out
  const count = (weights || []).reduce((a, w) => a + w.W.length * w.W[0].length, 0);
  const crowded = count > 120;
  const perLayer = (weights || []).map((w) => Math.max(1e-9, ...w.W.flat().map(Math.abs)));
  const overall = Math.max(1e-9, ...perLayer);
  const most = perLayer.map((m) => (crowded ? m : overall));
  const edges = el("g", {}, svg);
  const labels = el("g", {}, svg);
  (weights || []).forEach((w, li) => {
    const k = li + 1;
    w.W.forEach((row, i) =>
      row.forEach((v, j) => {
        const x1 = xs[k - 1], y1 = ys[k - 1][i], x2 = xs[k], y2 = ys[k][j];
        const hi = hiEdges.has(`${k}:${i}:${j}`);
        const size = Math.abs(v) / most[li];
        const line = el("line", {
          x1, y1, x2, y2, class: "edge" + (hi ? " hi" : ""),
          stroke: weightColor(v), "stroke-width": ((crowded ? 0.3 : 0.6) + (crowded ? 2.5 : 6) * size).toFixed(2),
          "stroke-opacity": crowded ? (0.08 + 0.9 * size ** 2).toFixed(2) : 1,
          "stroke-linecap": "round", "data-edge": `${k}:${i}:${j}`,
        }, edges);
        el("title", {}, line, `W${sub(k - 1)}[${i + 1},${j + 1}] = ${fmtShort(v, 4)}`);
        if (opts.labels) {
          const t = row.length * w.W.length > 2 ? 0.3 : 0.5;
          const lx = x1 + (x2 - x1) * t, ly = y1 + (y2 - y1) * t - 6;
          el("text", { x: lx, y: ly, class: "w", "text-anchor": "middle" }, labels, fmtShort(v));
          const d = opts.deltas && opts.deltas[k];
          if (d) el("text", { x: lx, y: ly - 14, class: "w dw", "text-anchor": "middle" }, labels,
            "Δ " + (d[i][j] >= 0 ? "+" : "") + fmtShort(d[i][j], 3));
        }
      }));
  });
  const nodes = el("g", {}, svg);
  sizes.forEach((n, k) => {
    if (opts.layerNames) el("text", { x: xs[k], y: height - 4, class: "layer", "text-anchor": "middle" }, svg, opts.layerNames[k]);
    for (let j = 0; j < n; j++) {
      const g = el("g", { class: "node" + (hiNodes.has(`${k}:${j}`) ? " hi" : ""), "data-node": `${k}:${j}` }, nodes);
      if (opts.titles) el("title", {}, g, opts.titles(k, j));
      const map = opts.maps && opts.maps[k - 1] && opts.maps[k - 1][j];
      if (map) {
        const s = Math.max(2 * r, 8);
        el("rect", { x: xs[k] - s / 2 - 1, y: ys[k][j] - s / 2 - 1, width: s + 2, height: s + 2, fill: "#fff", stroke: "#374151" }, g);
        el("image", { x: xs[k] - s / 2, y: ys[k][j] - s / 2, width: s, height: s, href: map, preserveAspectRatio: "none" }, g);
        continue;
      }
      el("circle", { cx: xs[k], cy: ys[k][j], r }, g);
      if (k === 0 && opts.inputLabels) el("text", { x: xs[0] - r - 6, y: ys[0][j] + 4, "text-anchor": "end", class: "layer" }, g, opts.inputLabels[j]);
      if (r >= 9 && opts.names) el("text", { x: xs[k], y: ys[k][j] + 4, "text-anchor": "middle", class: "node-label" }, g, opts.names(k, j));
      const vals = opts.values && opts.values[k];
      if (vals && vals[j] !== undefined && r >= 6)
        el("text", { x: xs[k], y: ys[k][j] + r + 13, "text-anchor": "middle", class: "node-value" }, g, fmtShort(vals[j], 4));
    }
  });
  return { xs, ys, r };
}

export function fmtShort(v, digits = 3) {
  if (typeof v !== "number" || !isFinite(v)) return "–";
  if (v === 0) return "0";
  if (Math.abs(v) < 1e-6) return v.toExponential(1);
  let s = v.toPrecision(digits);
  if (s.includes(".") && !s.includes("e")) s = s.replace(/0+$/, "").replace(/\.$/, "");
  return s;
}

// a grid of values (row by row from the top) painted into a canvas: the value
// mapped through colour(v) -> [r, g, b]
export function paintGrid(canvas, cells, values, colour) {
  const ctx = canvas.getContext("2d");
  const img = ctx.createImageData(cells, cells);
  values.forEach((v, i) => {
    const [r, g, b] = colour(v, i);
    img.data.set([r, g, b, 255], 4 * i);
  });
  const tmp = document.createElement("canvas");
  tmp.width = tmp.height = cells;
  tmp.getContext("2d").putImageData(img, 0, 0);
  ctx.imageSmoothingEnabled = true;
  ctx.drawImage(tmp, 0, 0, canvas.width, canvas.height);
}

// blue for 1 (or +), orange for 0 (or −), white between
export function diverging(t) {
  const x = Math.max(0, Math.min(1, t));
  const blue = [37, 99, 235], orange = [234, 122, 26], white = [250, 250, 250];
  const [a, b, u] = x >= 0.5 ? [white, blue, (x - 0.5) * 2] : [white, orange, (0.5 - x) * 2];
  return a.map((c, i) => Math.round(c + (b[i] - c) * u * 0.85));
}
