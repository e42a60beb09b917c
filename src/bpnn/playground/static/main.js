// The page: two views, two languages, and every setting in the URL hash.
import { api } from "./api.js";
import { applyLang } from "./i18n.js";
import { StepView } from "./step.js";
import { TrainView } from "./train.js";

const $ = (id) => document.getElementById(id);

class App {
  constructor() {
    const hash = new URLSearchParams(location.hash.slice(1));
    this.lang = hash.get("lang") || (document.documentElement.lang.startsWith("zh") ? "zh" : "en");
    this.view = hash.get("view") || "step";
    this.ready = false;
    this.step = new StepView(this);
    this.train = new TrainView(this);
    for (const b of document.querySelectorAll("[data-view]")) b.onclick = () => this.show(b.dataset.view);
    for (const b of document.querySelectorAll("[data-lang]")) b.onclick = () => this.setLang(b.dataset.lang);
  }

  async start() {
    const hash = new URLSearchParams(location.hash.slice(1));
    const get = (prefix) => Object.fromEntries([...hash].filter(([k]) => k.startsWith(prefix)).map(([k, v]) => [k.slice(prefix.length), v]));
    [this.labels, this.datasets] = await Promise.all([api("/api/labels"), api("/api/datasets")]);
    this.extent = this.datasets.extent;
    applyLang(this.lang);
    this.train.restore(get("t."));
    await this.step.restore(get("s."));
    this.ready = true;
    this.show(this.view);
    document.body.dataset.ready = "1";
  }

  show(view) {
    this.view = view;
    $("view-step").hidden = view !== "step";
    $("view-train").hidden = view !== "train";
    for (const b of document.querySelectorAll("[data-view]")) b.classList.toggle("active", b.dataset.view === view);
    if (view === "train" && !this.train.session) this.train.restart();
    this.saveHash();
  }

  setLang(lang) {
    this.lang = lang;
    applyLang(lang);
    this.step.render();
    if (this.train.latest) this.train.show(this.train.latest);
    this.saveHash();
  }

  saveHash() {
    if (!this.ready) return;
    const p = new URLSearchParams({ view: this.view, lang: this.lang });
    for (const [k, v] of Object.entries(this.step.hashState())) p.set(`s.${k}`, v);
    for (const [k, v] of Object.entries(this.train.hashState())) p.set(`t.${k}`, v);
    history.replaceState(null, "", "#" + p.toString());
  }
}

const app = new App();
window.bpnnPlayground = app;
app.start().catch((err) => {
  const box = $("step-error");
  box.textContent = err.message;
  box.hidden = false;
});
