// Step through one pass: the trace of bpnn.trace, one quantity at a time.
import { api } from "./api.js";
import { drawNetwork, sub } from "./net.js";
import { fmtValue, t } from "./i18n.js";

const $ = (id) => document.getElementById(id);
const PER_NODE = new Set(["weighted_input", "activation", "prediction", "error", "loss_gradient",
  "derivative", "error_term", "hidden_error", "hidden_error_term", "input", "target"]);

export class StepView {
  constructor(app) {
    this.app = app;
    this.record = null;
    this.index = -1;
    this.answers = {};
    this.marks = {};
    $("step-forward").onclick = () => this.go(this.index + 1);
    $("step-back").onclick = () => this.go(this.index - 1);
    $("step-all").onclick = () => this.go(this.steps().length - 1);
    $("step-reset").onclick = () => this.go(-1);
    $("step-network").onchange = () => this.load(this.request());
    $("step-draw").onclick = () => this.load(this.request());
    $("check-work").onclick = () => this.check();
  }

  steps() { return this.record ? this.record.trace.steps : []; }

  request() {
    const network = $("step-network").value;
    $("random-options").hidden = network !== "random";
    if (network === "exercise") return { network };
    return {
      network, sizes: $("step-sizes").value, batch: +$("step-batch").value, seed: +$("step-seed").value,
      activations: $("step-activation").value, loss: $("step-loss").value, bias: $("step-bias").checked,
    };
  }

  async load(body, index = -1) {
    try {
      this.record = await api("/api/trace", body);
      $("step-error").hidden = true;
    } catch (err) {
      $("step-error").textContent = err.message;
      $("step-error").hidden = false;
      return;
    }
    this.marks = {};
    this.edited = body.network === "spec";
    this.index = Math.min(index, this.steps().length - 1);
    this.renderEdit();
    this.render();
    this.app.saveHash();
  }

  go(index) {
    this.index = Math.max(-1, Math.min(index, this.steps().length - 1));
    this.render();
    this.app.saveHash();
  }

  hashState() {
    const s = { net: $("step-network").value, i: this.index };
    if (s.net === "random") Object.assign(s, { sizes: $("step-sizes").value, batch: $("step-batch").value,
      seed: $("step-seed").value, act: $("step-activation").value, loss: $("step-loss").value,
      bias: $("step-bias").checked ? 1 : 0 });
    if (this.edited && this.record) s.spec = JSON.stringify(this.record.spec);
    return s;
  }

  async restore(s) {
    if (s.net) $("step-network").value = s.net;
    if (s.sizes) $("step-sizes").value = s.sizes;
    if (s.batch) $("step-batch").value = s.batch;
    if (s.seed) $("step-seed").value = s.seed;
    if (s.act) $("step-activation").value = s.act;
    if (s.loss) $("step-loss").value = s.loss;
    if (s.bias) $("step-bias").checked = s.bias === "1";
    let body = this.request();
    if (s.spec) { try { body = { network: "spec", spec: JSON.parse(s.spec) }; } catch { /* ignore */ } }
    await this.load(body, s.i !== undefined ? +s.i : -1);
  }

  // which nodes and edges a step involves
  involved(step) {
    const sizes = this.record.trace.sizes, n = sizes.length - 1;
    const nodes = new Set(), edges = new Set();
    const k = ["target", "loss", "error", "loss_gradient"].includes(step.kind) ? n : step.layer;
    const allNodes = (layer) => { for (let j = 0; j < sizes[layer]; j++) nodes.add(`${layer}:${j}`); };
    const into = (layer) => { for (let i = 0; i < sizes[layer - 1]; i++) for (let j = 0; j < sizes[layer]; j++) edges.add(`${layer}:${i}:${j}`); };
    const kind = step.kind;
    if (kind === "input") allNodes(0);
    else if (["weights", "weighted_input", "gradient_W", "weight_step_W", "new_W"].includes(kind)) {
      into(k); allNodes(k); if (kind !== "weights") allNodes(k - 1);
    } else if (kind === "hidden_error") { into(k + 1); allNodes(k); allNodes(k + 1); }
    else allNodes(k);
    return { nodes, edges };
  }

  render() {
    const lang = this.app.lang;
    if (!this.record) return;
    const { trace } = this.record;
    const steps = trace.steps, step = steps[this.index];
    $("step-header").textContent = t(lang, "header", { sizes: trace.sizes.join("-"),
      acts: trace.activations.join(","), loss: trace.loss, batch: trace.batch, lr: trace.learning_rate });
    $("step-counter").textContent = this.index < 0 ? t(lang, "start") : t(lang, "stepOf", { i: this.index + 1, n: steps.length });
    this.renderNetwork(step);
    this.renderCard(step);
    this.renderTable();
  }

  renderNetwork(step) {
    const { trace, spec } = this.record;
    const sizes = trace.sizes, n = sizes.length - 1;
    const hi = step ? this.involved(step) : { nodes: new Set(), edges: new Set() };
    const values = {};
    if (step && trace.batch === 1 && PER_NODE.has(step.kind) && Array.isArray(step.value[0])) {
      const k = ["target", "error", "loss_gradient"].includes(step.kind) ? n : step.layer;
      values[k] = step.value[0];
    }
    const deltas = {};
    for (let k = 1; k <= n; k++) {
      const key = `${k === n ? "output" : "layer" + k}.weight_step_W`;
      const at = this.steps().findIndex((s) => s.key === key);
      if (at >= 0 && at <= this.index) deltas[k] = this.steps()[at].value;
    }
    const edgesCount = sizes.slice(1).reduce((a, s, i) => a + s * sizes[i], 0);
    const height = Math.max(280, Math.min(420, 140 + 60 * Math.max(...sizes)));
    $("step-svg").setAttribute("viewBox", `0 0 640 ${height}`);
    drawNetwork($("step-svg"), {
      sizes, weights: spec.weights, hiNodes: hi.nodes, hiEdges: hi.edges, values, deltas,
      labels: edgesCount <= 24,
      names: (k, j) => (k === 0 ? `x${sub(j + 1)}` : k === n ? (sizes[n] > 1 ? `ŷ${sub(j + 1)}` : "ŷ") : `a${sub(k)}${sizes[k] > 1 ? "," + (j + 1) : ""}`),
      layerNames: sizes.map((s, k) => t(this.app.lang, k === 0 ? "inputLayer" : k === n ? "outputLayer" : "layerK", { k })),
    });
  }

  renderCard(step) {
    const lang = this.app.lang;
    const stages = this.app.labels ? this.app.labels.stages : {};
    $("step-card").dataset.key = step ? step.key : "";
    if (!step) {
      for (const id of ["card-stage", "card-name", "card-formula", "card-substituted", "card-matrix", "step-value", "card-lecture", "card-words"])
        $(id).textContent = "";
      $("card-name").textContent = t(lang, "start");
      $("card-lecture-row").hidden = true;
      return;
    }
    $("card-stage").textContent = stages[step.stage] ? stages[step.stage][lang] : step.stage;
    $("card-stage").className = "stage " + step.stage;
    $("card-name").textContent = `${step.name[lang]} ${step.symbol}`;
    $("card-formula").textContent = step.formula ? `${step.symbol} = ${step.formula}` : "";
    $("card-substituted").textContent = step.substituted ? `   = ${step.substituted}` : "";
    $("card-matrix").textContent = `${step.matrix}  [${step.shape.join("×") || "1"}]`;
    $("step-value").textContent = fmtValue(step.value);
    $("card-words").textContent = step.words[lang];
    const note = this.record.lecture_notes && this.record.lecture_notes[lang][step.key];
    $("card-lecture-row").hidden = !note;
    $("card-lecture").textContent = note ? note.replace(/^\S+ /, "") : "";
  }

  renderTable() {
    const lang = this.app.lang;
    const body = document.querySelector("#steps-table tbody");
    body.replaceChildren();
    let stage = null;
    const stages = this.app.labels ? this.app.labels.stages : {};
    this.steps().forEach((step, i) => {
      const tr = document.createElement("tr");
      tr.dataset.key = step.key;
      body.appendChild(tr);
      tr.className = (i === this.index ? "current" : i > this.index ? "future" : "") + (step.stage !== stage ? " stage-start" : "");
      const cell = (text, cls = "") => { const td = document.createElement("td"); td.textContent = text; td.className = cls; tr.appendChild(td); return td; };
      cell(String(i + 1));
      cell(step.stage !== stage ? (stages[step.stage] ? stages[step.stage][lang] : step.stage) : "");
      stage = step.stage;
      cell(`${step.name[lang]} ${step.symbol}`);
      cell(step.formula, "mono");
      cell(step.matrix, "mono");
      cell(i <= this.index ? fmtValue(step.value) : "?", "mono val");
      const lec = this.record.lecture && this.record.lecture[step.key];
      cell(lec === undefined ? "" : fmtValue(lec), "mono");
      const td = cell("");
      const input = document.createElement("input");
      input.value = this.answers[step.key] || "";
      input.dataset.key = step.key;
      input.oninput = () => { this.answers[step.key] = input.value; };
      input.onkeydown = (e) => { if (e.key === "Enter") this.check(); };
      td.appendChild(input);
      const mark = this.marks[step.key];
      const m = cell(mark ? (mark.right ? "✓" : "✗") : "", "mark" + (mark ? (mark.right ? " right" : " wrong") : ""));
      if (mark) { input.classList.add(mark.right ? "right" : "wrong"); m.title = t(lang, mark.note ? "rightLecture" : mark.right ? "right" : "wrong"); }
    });
  }

  async check() {
    const lang = this.app.lang;
    const answers = Object.fromEntries(Object.entries(this.answers).filter(([, v]) => v && v.trim()));
    if (!Object.keys(answers).length) { $("check-summary").textContent = t(lang, "nothingTyped"); return; }
    let result;
    try {
      result = await api("/api/check", { network: "spec", spec: this.record.spec, answers, lang });
    } catch (err) { $("check-summary").textContent = err.message; return; }
    this.marks = result.results;
    const values = Object.values(this.marks);
    $("check-summary").textContent = t(lang, "summary", { right: values.filter((m) => m.right).length, wrong: values.filter((m) => !m.right).length });
    const hint = result.hint, box = $("check-hint");
    box.hidden = !hint;
    box.replaceChildren();
    if (hint) {
      const line = (text) => { const p = document.createElement("div"); p.textContent = text; box.appendChild(p); };
      line(t(lang, "hint", hint));
      if (hint.substituted) line(t(lang, "hintWith", { subst: hint.substituted }));
      line(`${hint.words} — ${t(lang, "hintShape", hint)}`);
    }
    this.renderTable();
  }

  renderEdit() {
    const box = $("edit-fields");
    box.replaceChildren();
    const spec = this.record.spec;
    const field = (label, matrix, onchange) => {
      const div = document.createElement("div");
      div.className = "field";
      const b = document.createElement("b"); b.textContent = label; div.appendChild(b);
      const grid = document.createElement("span"); grid.className = "matrix";
      grid.style.gridTemplateColumns = `repeat(${matrix[0].length}, auto)`;
      matrix.forEach((row, i) => row.forEach((v, j) => {
        const input = document.createElement("input");
        input.value = String(v); input.dataset.field = `${label}:${i}:${j}`;
        input.onchange = () => { const x = parseFloat(input.value); if (isFinite(x)) { matrix[i][j] = x; onchange(); } };
        grid.appendChild(input);
      }));
      div.appendChild(grid); box.appendChild(div);
    };
    const retrace = () => this.load({ network: "spec", spec }, this.index);
    field("x", spec.x, retrace);
    field("y", spec.y, retrace);
    spec.weights.forEach((w, k) => {
      field(`W${sub(k)}`, w.W, retrace);
      if (w.b) field(`b${sub(k)}`, [w.b], retrace);
    });
    const lr = [[spec.lr]];
    field("η", lr, () => { spec.lr = lr[0][0]; retrace(); });
    // the activation of each layer (softmax only on the output layer)
    const div = document.createElement("div");
    div.className = "field";
    const b = document.createElement("b"); b.textContent = "f"; div.appendChild(b);
    spec.activations.forEach((name, k) => {
      const select = document.createElement("select");
      select.dataset.field = `f:${k}`;
      const names = ["sigmoid", "tanh", "relu", "identity"].concat(k === spec.activations.length - 1 ? ["softmax"] : []);
      for (const n of names) { const o = document.createElement("option"); o.textContent = n; select.appendChild(o); }
      select.value = name;
      select.onchange = () => { spec.activations[k] = select.value; retrace(); };
      div.appendChild(select);
    });
    box.appendChild(div);
  }
}
