// Train and watch: a session on the server trains; this page draws its
// snapshots (server-sent events, the latest only, at most ~10 a second).
import { api } from "./api.js";
import { diverging, drawNetwork, el, paintGrid, sub } from "./net.js";
import { fmt, t } from "./i18n.js";

const $ = (id) => document.getElementById(id);
const PALETTE = [[37, 99, 235], [234, 122, 26], [22, 163, 74], [147, 51, 234], [220, 38, 38]];
const TOY = ["xor", "circles", "moons", "spiral", "blobs"];
// rows of the column table shown at most
const MAX_COLUMNS = 60;
const KINDS = ["auto", "numeric", "categorical", "drop"];
const FIELDS = { data: "train-dataset", noise: "train-noise", split: "train-split", points: "train-points",
  classes: "train-classes", dseed: "train-data-seed", hidden: "train-hidden", act: "train-activation",
  loss: "train-loss", opt: "train-optimizer", lr: "train-lr", bs: "train-batch", seed: "train-seed" };

export class TrainView {
  constructor(app) {
    this.app = app;
    this.session = null;
    this.latest = null;
    this.upload = null;
    this.kinds = {};
    this.stream = null;
    for (const id of Object.values(FIELDS)) $(id).addEventListener("change", () => this.restart());
    $("train-noise").oninput = () => { $("noise-out").textContent = $("train-noise").value; };
    $("train-split").oninput = () => { $("split-out").textContent = Math.round($("train-split").value * 100) + "%"; };
    $("csv-target").onchange = () => this.restart();
    $("csv-file").onchange = () => this.uploadFile();
    $("train-play").onclick = () => this.command(this.latest && this.latest.state === "running" ? "pause" : "play");
    $("train-step").onclick = () => this.command("step");
    $("train-reset").onclick = () => this.command("reset");
    window.addEventListener("pagehide", () => this.stop());
  }

  hashState() {
    return Object.fromEntries(Object.entries(FIELDS).map(([k, id]) => [k, $(id).value]));
  }

  restore(s) {
    for (const [k, id] of Object.entries(FIELDS)) if (s[k] !== undefined) $(id).value = s[k];
    $("noise-out").textContent = $("train-noise").value;
    $("split-out").textContent = Math.round($("train-split").value * 100) + "%";
  }

  settings() {
    const dataset = $("train-dataset").value;
    const hidden = $("train-hidden").value.trim();
    const body = {
      dataset, hidden: hidden ? hidden.split(",").map((s) => parseInt(s, 10)) : [],
      activation: $("train-activation").value, loss: $("train-loss").value,
      optimizer: $("train-optimizer").value, lr: parseFloat($("train-lr").value),
      batch_size: parseInt($("train-batch").value, 10), seed: parseInt($("train-seed").value, 10),
    };
    if (TOY.includes(dataset)) Object.assign(body, { noise: +$("train-noise").value,
      train_fraction: +$("train-split").value, points: +$("train-points").value,
      classes: +$("train-classes").value, data_seed: +$("train-data-seed").value });
    if (dataset === "csv") {
      const target = $("csv-target").value, kinds = { ...this.kinds };
      delete kinds[target];
      Object.assign(body, { upload: this.upload && this.upload.upload, target, kinds });
    }
    return body;
  }

  message(text) {
    $("train-message").textContent = text || "";
    $("train-message").hidden = !text;
  }

  restart() {
    // a command given while the session is being made waits for it
    this.starting = this.makeSession();
    return this.starting;
  }

  async makeSession() {
    this.app.saveHash();
    const dataset = $("train-dataset").value;
    $("toy-options").hidden = !TOY.includes(dataset);
    $("classes-label").hidden = !["spiral", "blobs"].includes(dataset);
    $("csv-options").hidden = dataset !== "csv";
    this.stop();
    if (dataset === "csv" && !this.upload) { this.message(t(this.app.lang, "uploadFirst")); return; }
    let answer;
    try {
      answer = await api("/api/sessions", this.settings());
    } catch (err) { this.message(err.message); return; }
    this.message("");
    this.session = answer.session;
    this.info = answer.dataset;
    this.points = answer.points || null;
    this.latest = null;
    for (const id of ["download-model", "download-history"]) $(id).classList.remove("disabled");
    $("download-model").href = `/api/sessions/${this.session}/model.npz`;
    $("download-history").href = `/api/sessions/${this.session}/history.csv`;
    this.show(answer);
    this.listen();
  }

  listen() {
    const id = this.session;
    this.stream = new EventSource(`/api/sessions/${id}/events`);
    this.stream.onmessage = (e) => { if (this.session === id) this.show(JSON.parse(e.data)); };
    this.stream.addEventListener("closed", () => this.stream && this.stream.close());
  }

  stop() {
    if (this.stream) this.stream.close();
    this.stream = null;
    if (this.session) {
      const id = this.session;
      this.session = null;
      fetch(`/api/sessions/${id}`, { method: "DELETE", keepalive: true }).catch(() => {});
    }
  }

  async command(name) {
    await this.starting;
    if (!this.session) return;
    try { await api(`/api/sessions/${this.session}/${name}`, {}); }
    catch (err) { this.message(err.message); }
    if (name === "play" || name === "pause") this.setPlaying(name === "play");
  }

  setPlaying(on) { $("train-play").textContent = t(this.app.lang, on ? "pause" : "play"); }

  async uploadFile() {
    const file = $("csv-file").files[0];
    if (!file) return;
    try {
      this.upload = await api(`/api/uploads?name=${encodeURIComponent(file.name)}`, file);
      this.kinds = {};
    } catch (err) { this.message(err.message); this.upload = null; return; }
    const select = $("csv-target");
    select.replaceChildren(...this.upload.columns.map((c) => { const o = document.createElement("option"); o.textContent = c; return o; }));
    select.value = this.upload.columns[this.upload.columns.length - 1];
    $("csv-info").textContent = `${this.upload.name}: ` + t(this.app.lang, "rowsColumns", { rows: this.upload.rows, cols: this.upload.columns.length });
    this.restart();
  }

  // what was done with each column of the uploaded CSV: the table bpnn train csv prints;
  // drawn once a session and language, not at every snapshot (an open choice stays open)
  showColumns() {
    const stamp = `${this.session}|${this.app.lang}`;
    if (stamp === this.columnsStamp) return;
    this.columnsStamp = stamp;
    const table = $("csv-columns"), cols = (this.info && this.info.columns) || null;
    table.hidden = !cols || $("train-dataset").value !== "csv";
    if (table.hidden) return;
    const lang = this.app.lang, shown = cols.slice(0, MAX_COLUMNS);
    const row = (cells, tag) => {
      const tr = document.createElement("tr");
      for (const text of cells) { const c = document.createElement(tag); c.textContent = text; tr.append(c); }
      return tr;
    };
    const what = (c) => t(lang, `kind_${c.kind}`, { n: c.features }) + (c.chosen && c.kind !== "target" ? ` (${t(lang, "yourChoice")})` : "");
    const rows = [row([t(lang, "column"), t(lang, "whatDone")], "th")];
    for (const c of shown) {
      const tr = row([c.name, what(c)], "td");
      // the name, and under it what the learner makes of the column
      if (c.kind !== "target") tr.firstElementChild.append(this.kindChoice(c.name));
      rows.push(tr);
    }
    if (cols.length > shown.length) rows.push(row(["…", t(lang, "moreColumns", { n: cols.length - shown.length })], "td"));
    table.replaceChildren(...rows);
  }

  // a column's kind, chosen by the learner ("auto": bpnn decides, as bpnn train csv does)
  kindChoice(name) {
    const select = document.createElement("select");
    select.dataset.column = name;
    for (const kind of KINDS) {
      const o = document.createElement("option");
      o.value = kind;
      o.textContent = t(this.app.lang, `choose_${kind}`);
      select.append(o);
    }
    select.value = this.kinds[name] || "auto";
    select.onchange = () => {
      if (select.value === "auto") delete this.kinds[name];
      else this.kinds[name] = select.value;
      this.restart();
    };
    return select;
  }

  show(s) {
    if (!s || (this.latest && s.session === this.latest.session && s.version < this.latest.version)) return;
    this.latest = s;
    this.showColumns();
    const lang = this.app.lang;
    this.setPlaying(s.state === "running");
    $("step-count").textContent = String(s.step);
    $("epoch-count").textContent = String(s.epoch);
    $("train-loss-value").textContent = fmt(s.train_loss, 4);
    $("val-loss-value").textContent = fmt(s.val_loss, 4);
    $("val-loss-name").textContent = t(lang, s.val_name === "validation" ? "validationLoss" : "valLoss");
    const m = s.metrics || {};
    const classify = m.test_accuracy !== undefined;
    $("accuracy-box").firstElementChild.textContent = t(lang, classify ? "testAccuracy" : "testMse");
    $("test-accuracy").textContent = classify ? m.test_accuracy.toFixed(3) : fmt(m.test_mse, 4);
    if (s.state === "diverged") this.message(s.message);
    this.drawNet(s);
    this.drawOutput(s);
    this.drawLoss(s);
  }

  drawNet(s) {
    let maps = null;
    if (s.node_maps) {
      maps = s.node_maps.map((layer, li) => layer.map((values) => {
        const c = document.createElement("canvas"); c.width = c.height = 40;
        const act = s.activations[li];
        const lo = act === "tanh" ? -1 : act === "sigmoid" ? 0 : Math.min(...values);
        const hi = act === "tanh" || act === "sigmoid" ? 1 : Math.max(...values, lo + 1e-9);
        paintGrid(c, 20, values, (v) => diverging((v - lo) / (hi - lo || 1)));
        return c.toDataURL();
      }));
      if (s.boundary && s.boundary.class === undefined) {  // the output node: the boundary
        const c = document.createElement("canvas"); c.width = c.height = 40;
        paintGrid(c, s.boundary.cells, s.boundary.p, diverging);
        maps.push([c.toDataURL()]);
      }
    }
    drawNetwork($("train-svg"), {
      sizes: s.sizes, weights: s.weights || [], maps,
      names: (k, j) => (k === 0 ? (s.sizes[0] <= 4 ? `x${sub(j + 1)}` : "") : ""),
      inputLabels: this.info && s.sizes[0] > 2 && s.sizes[0] <= 12 ? this.info.features : null,
      titles: (k, j) => (k === 0 && this.info ? this.info.features[j] : `${s.activations[k - 1]} ${k}.${j + 1}`),
      layerNames: s.sizes.map((size, k) => (k === 0 ? `${size} ${t(this.app.lang, "inputs")}` : `${size} ${s.activations[k - 1]}`)),
    });
  }

  drawOutput(s) {
    const canvas = $("boundary"), chart = $("regression"), table = $("confusion");
    canvas.hidden = !s.boundary;
    chart.toggleAttribute("hidden", !s.regression); // an SVG element has no .hidden
    table.hidden = !s.confusion;
    if (s.confusion) this.drawConfusion(table, s.confusion);
    const lang = this.app.lang;
    $("output-title").textContent = t(lang, s.boundary ? "boundary" : s.regression ? "regression" : "confusion");
    if (s.boundary) this.drawBoundary(canvas, s.boundary);
    if (s.regression) this.drawRegression(chart, s.regression);
  }

  drawBoundary(canvas, b) {
    const multi = b.class !== undefined;
    paintGrid(canvas, b.cells, b.p, (p, i) => {
      if (!multi) return diverging(p);
      const c = PALETTE[b.class[i] % PALETTE.length], w = 0.35 + 0.4 * p;
      return c.map((x) => Math.round(250 + (x - 250) * w));
    });
    if (!this.points) return;
    const ctx = canvas.getContext("2d"), E = this.app.extent, W = canvas.width;
    const at = (v) => ((v + E) / (2 * E)) * W;
    for (const [split, ring] of [["train", false], ["test", true]]) {
      const { x, y } = this.points[split];
      x.forEach(([x1, x2], i) => {
        const c = y[i] < 2 && !multi ? (y[i] === 1 ? PALETTE[0] : PALETTE[1]) : PALETTE[y[i] % PALETTE.length];
        ctx.beginPath();
        ctx.arc(at(x1), W - at(x2), 3.2, 0, 2 * Math.PI);
        ctx.fillStyle = `rgb(${c.join(",")})`;
        ctx.fill();
        ctx.lineWidth = ring ? 1.2 : 0.8;
        ctx.strokeStyle = ring ? "#1f2937" : "#fff";
        ctx.stroke();
      });
    }
  }

  drawConfusion(table, c) {
    const lang = this.app.lang, most = Math.max(1, ...c.counts.flat());
    const row = (cells, tag = "td") => {
      const tr = document.createElement("tr");
      for (const [text, shade] of cells) {
        const td = document.createElement(tag);
        td.textContent = text;
        if (shade !== undefined) td.style.background = `rgba(37, 99, 235, ${(0.08 + 0.6 * shade).toFixed(2)})`;
        tr.appendChild(td);
      }
      return tr;
    };
    table.replaceChildren(
      row([[t(lang, "actualPredicted")], ...c.classes.map((k) => [k])], "th"),
      ...c.counts.map((counts, i) => row([[c.classes[i]], ...counts.map((n) => [String(n), n / most])])),
    );
  }

  drawRegression(svg, r) {
    svg.replaceChildren();
    const W = 320, H = 200, P = 30;
    const all = r.actual.concat(r.predicted);
    const lo = Math.min(...all), hi = Math.max(...all);
    const X = (i) => P + ((W - P - 6) * i) / Math.max(1, r.actual.length - 1);
    const Y = (v) => H - 16 - ((H - 40) * (v - lo)) / (hi - lo || 1);
    const line = (vals, cls) => el("polyline", { points: vals.map((v, i) => `${X(i).toFixed(1)},${Y(v).toFixed(1)}`).join(" "),
      fill: "none", "stroke-width": 1.2, class: cls }, svg);
    line(r.actual, "val");
    line(r.predicted, "train");
    const lang = this.app.lang;
    el("text", { x: W - 4, y: 10, "text-anchor": "end", style: "fill:#ea7a1a" }, svg, `${r.target} ${t(lang, "actual")}`);
    el("text", { x: W - 4, y: 22, "text-anchor": "end", style: "fill:#1d4ed8" }, svg, t(lang, "predicted"));
    el("text", { x: 2, y: Y(hi) + 4 }, svg, fmt(hi, 3));
    el("text", { x: 2, y: Y(lo) }, svg, fmt(lo, 3));
    if (r.start) el("text", { x: P, y: H - 2 }, svg, r.start.replace("T", " ") + ":00 →");
  }

  drawLoss(s) {
    const svg = $("loss-chart");
    svg.replaceChildren();
    const W = 320, H = 170, P = 34;
    const h = s.history;
    const vals = h.train_loss.concat(h.val_loss).filter((v) => v !== null && v > 0);
    if (!vals.length) return;
    const lo = Math.log10(Math.min(...vals)), hi = Math.log10(Math.max(...vals));
    const last = Math.max(1, h.step[h.step.length - 1]);
    const X = (st) => P + ((W - P - 6) * st) / last;
    const Y = (v) => 8 + ((H - 28) * (hi - Math.log10(v))) / (hi - lo || 1);
    for (const [key, cls] of [["train_loss", "train"], ["val_loss", "val"]]) {
      const pts = h.step.map((st, i) => [st, h[key][i]]).filter(([, v]) => v !== null && v > 0);
      el("polyline", { points: pts.map(([st, v]) => `${X(st).toFixed(1)},${Y(v).toFixed(1)}`).join(" "),
        fill: "none", "stroke-width": 1.6, class: cls }, svg);
    }
    el("text", { x: 2, y: 12 }, svg, fmt(10 ** hi, 3));
    el("text", { x: 2, y: H - 20 }, svg, fmt(10 ** lo, 3));
    el("text", { x: P, y: H - 4 }, svg, "0");
    el("text", { x: W - 6, y: H - 4, "text-anchor": "end" }, svg, `${last}`);
    const lang = this.app.lang;
    el("text", { x: W - 6, y: 12, "text-anchor": "end", style: "fill:#1d4ed8" }, svg, t(lang, "trainLoss"));
    el("text", { x: W - 6, y: 24, "text-anchor": "end", style: "fill:#ea7a1a" }, svg, t(lang, s.val_name === "validation" ? "validationLoss" : "valLoss"));
  }
}
