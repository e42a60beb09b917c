// The page's own words in English and Chinese. The names of the trace's
// quantities are not here: they come from the server (bpnn.explain.text).
export const UI = {
  en: {
    playground: "playground", tabStep: "Step through one pass", tabTrain: "Train and watch",
    network: "Network", exercise: "the lecture's exercise", random: "random small network",
    layers: "layers", batch: "batch", seed: "seed", activation: "activation", loss: "loss",
    bias: "bias", draw: "draw", stepBack: "◀ step back", stepForward: "step forward ▶",
    runAll: "run all ▶▶", reset: "reset", theNetwork: "The network", positive: "positive weight",
    negative: "negative weight", widthMagnitude: "width: magnitude", weightStepShown: "weight step, after the update",
    thisStep: "This step", shape: "shape", value: "value", lecture: "lecture",
    editNumbers: "Inputs, weights, target and learning rate — edit any number",
    allSteps: "Every quantity", checkHelp: "— type your own values (with the decimals you used) and check them",
    stage: "stage", quantity: "quantity", formula: "formula", yours: "yours",
    checkWork: "check my work", data: "Data", dataset: "data set", circles: "two circles",
    moons: "two moons", spiral: "spiral", blobs: "gaussian blobs", admissions: "admissions (lecture)",
    bike: "bike sharing (lecture)", csv: "your CSV…", noise: "noise", trainShare: "training share",
    points: "points", classes: "classes", dataSeed: "data seed", csvFile: "CSV file",
    target: "target column", networkTitle: "Network", hidden: "hidden layers (nodes each, e.g. 4,4)",
    auto: "by task", optimizer: "optimizer", learningRate: "learning rate η", batchSize: "batch size",
    play: "▶ play", pause: "❚❚ pause", singleStep: "single step", downloadModel: "model .npz",
    downloadHistory: "history .csv", steps: "weight updates", epoch: "epoch", trainLoss: "training loss",
    valLoss: "test loss", validationLoss: "validation loss", testAccuracy: "test accuracy",
    testMse: "test MSE", output: "Output", lossCurves: "Loss",
    footer: "Every number comes from bpnn's engine: the same trace as `bpnn exercise` and `bpnn explain`.",
    start: "start: press step forward", stepOf: "step {i} of {n}",
    right: "right", wrong: "wrong", rightLecture: "right (the lecture's rounding)",
    summary: "{right} right, {wrong} wrong", nothingTyped: "type a value in the 'yours' column first",
    hint: "Hint for {symbol}: {name} = {formula}", hintWith: "with the numbers: {subst}",
    hintShape: "shape {shape}", boundary: "Decision boundary (test points ringed)",
    regression: "Predicted and actual (test rows)", actual: "actual", predicted: "predicted",
    train: "training", uploadFirst: "choose a CSV file", rowsColumns: "{rows} rows, {cols} columns",
    column: "column", whatDone: "what bpnn does with it", moreColumns: "{n} more columns",
    kind_numeric: "number → standardised", kind_categorical: "category → one-hot, {n} values",
    kind_date: "date → {n} calendar features", kind_id: "ID (unique per row) → dropped",
    kind_constant: "constant → dropped", kind_dropped: "dropped", kind_empty: "empty → dropped",
    kind_target: "the target: what the network predicts",
    yourChoice: "your choice", choose_auto: "auto", choose_numeric: "number",
    choose_categorical: "category", choose_drop: "drop",
    confusion: "Test rows: actual (rows) by predicted (columns)", actualPredicted: "actual \\ predicted",
    inputLayer: "input", outputLayer: "output", layerK: "layer {k}", inputs: "in",
    diverged: "diverged", header: "network {sizes}, {acts}, loss {loss}, batch B = {batch}, η = {lr}",
  },
  zh: {
    playground: "演练场", tabStep: "逐步推导一次传播", tabTrain: "训练与观察",
    network: "网络", exercise: "讲义的反向传播练习", random: "随机小网络",
    layers: "层", batch: "批大小", seed: "随机种子", activation: "激活函数", loss: "损失函数",
    bias: "偏置", draw: "生成", stepBack: "◀ 上一步", stepForward: "下一步 ▶",
    runAll: "全部运行 ▶▶", reset: "重置", theNetwork: "网络", positive: "正权重",
    negative: "负权重", widthMagnitude: "线宽: 大小", weightStepShown: "权重更新步长(更新后显示)",
    thisStep: "当前步骤", shape: "形状", value: "数值", lecture: "讲义",
    editNumbers: "输入、权重、目标值和学习率 —— 每个数都可以修改",
    allSteps: "所有的量", checkHelp: "—— 填入你自己算出的数值(保留你所用的小数位数)并检查",
    stage: "阶段", quantity: "量", formula: "公式", yours: "你的答案",
    checkWork: "检查我的答案", data: "数据", dataset: "数据集", circles: "两个圆环",
    moons: "两个月牙", spiral: "螺旋", blobs: "高斯团", admissions: "研究生录取(讲义)",
    bike: "共享单车(讲义)", csv: "你的 CSV…", noise: "噪声", trainShare: "训练集比例",
    points: "点数", classes: "类别数", dataSeed: "数据种子", csvFile: "CSV 文件",
    target: "目标列", networkTitle: "网络", hidden: "隐藏层(每层节点数,如 4,4)",
    auto: "按任务", optimizer: "优化器", learningRate: "学习率 η", batchSize: "批大小",
    play: "▶ 开始", pause: "❚❚ 暂停", singleStep: "单步", downloadModel: "模型 .npz",
    downloadHistory: "历史 .csv", steps: "权重更新次数", epoch: "轮次", trainLoss: "训练损失",
    valLoss: "测试损失", validationLoss: "验证损失", testAccuracy: "测试准确率",
    testMse: "测试 MSE", output: "输出", lossCurves: "损失",
    footer: "每个数字都来自 bpnn 的引擎:与 `bpnn exercise` 和 `bpnn explain` 相同的推导记录。",
    start: "开始: 按「下一步」", stepOf: "第 {i} 步 / 共 {n} 步",
    right: "正确", wrong: "错误", rightLecture: "正确(按讲义的舍入)",
    summary: "{right} 个正确, {wrong} 个错误", nothingTyped: "请先在「你的答案」一栏填入数值",
    hint: "{symbol} 的提示: {name} = {formula}", hintWith: "代入数值: {subst}",
    hintShape: "形状 {shape}", boundary: "决策边界(测试点带圈)",
    regression: "预测值与实际值(测试集)", actual: "实际", predicted: "预测",
    train: "训练", uploadFirst: "请选择 CSV 文件", rowsColumns: "{rows} 行, {cols} 列",
    column: "列", whatDone: "bpnn 如何处理", moreColumns: "另有 {n} 列",
    kind_numeric: "数值 → 标准化", kind_categorical: "类别 → 独热编码, {n} 个取值",
    kind_date: "日期 → {n} 个日历特征", kind_id: "编号(每行不同) → 舍弃",
    kind_constant: "常数 → 舍弃", kind_dropped: "舍弃", kind_empty: "空列 → 舍弃",
    kind_target: "目标: 网络要预测的列",
    yourChoice: "你的选择", choose_auto: "自动", choose_numeric: "数值",
    choose_categorical: "类别", choose_drop: "舍弃",
    confusion: "测试集: 实际类别(行) × 预测类别(列)", actualPredicted: "实际 \\ 预测",
    inputLayer: "输入层", outputLayer: "输出层", layerK: "第 {k} 层", inputs: "个输入",
    diverged: "发散", header: "网络 {sizes}, {acts}, 损失函数 {loss}, 批大小 B = {batch}, η = {lr}",
  },
};

export function t(lang, key, values = {}) {
  const text = (UI[lang] && UI[lang][key]) || UI.en[key] || key;
  return text.replace(/\{(\w+)\}/g, (_, k) => (k in values ? values[k] : `{${k}}`));
}

export function applyLang(lang) {
  document.documentElement.lang = lang === "zh" ? "zh-CN" : "en";
  for (const el of document.querySelectorAll("[data-i18n]")) {
    el.textContent = t(lang, el.dataset.i18n);
  }
  for (const b of document.querySelectorAll("[data-lang]")) {
    b.classList.toggle("active", b.dataset.lang === lang);
  }
}

// %.6g as Python prints it: six significant digits, trailing zeros dropped
export function fmt(v, digits = 6) {
  if (v === null || v === undefined) return "–";
  if (typeof v !== "number") return String(v);
  if (v === 0) return "0";
  const a = Math.abs(v);
  if (a < 1e-4 || a >= 10 ** digits) {
    const [m, e] = v.toExponential(digits - 1).split("e");
    const mm = m.includes(".") ? m.replace(/0+$/, "").replace(/\.$/, "") : m;
    const n = parseInt(e, 10);
    return `${mm}e${n < 0 ? "-" : "+"}${String(Math.abs(n)).padStart(2, "0")}`;
  }
  let s = v.toPrecision(digits);
  if (s.includes(".")) s = s.replace(/0+$/, "").replace(/\.$/, "");
  return s;
}

export function fmtValue(value, digits = 6) {
  if (typeof value === "number") return fmt(value, digits);
  if (!Array.isArray(value)) return String(value);
  if (value.length === 1 && !Array.isArray(value[0])) return fmt(value[0], digits);
  if (value.length === 1 && Array.isArray(value[0]) && value[0].length === 1) return fmt(value[0][0], digits);
  const rows = value.map((r) => (Array.isArray(r) ? "[" + r.map((x) => fmt(x, digits)).join(", ") + "]" : fmt(r, digits)));
  return Array.isArray(value[0]) ? "[" + rows.join(",\n ") + "]" : "[" + rows.join(", ") + "]";
}
