"""What ``bpnn train`` and ``bpnn predict`` say, in English and Chinese.

One table per language, keyed by what is said; ``say(lang, key, **values)``
fills a template. The Chinese uses the lecture's terms (训练集, 验证集,
测试集, 准确率, 均方误差); the numbers and the metrics.json keys stay the same
in both.
"""

from __future__ import annotations

from ..explain.text import check_lang

WORDS = {
    "en": {
        "train": "train",
        "validation": "validation",
        "test": "test",
        "train_mse": "training MSE",
        "validation_mse": "validation MSE",
        "accuracy": "{split} accuracy {acc:.3f}, balanced {bal:.3f} (the training "
        "set's majority class {majority!r}: {base:.3f})",
        "f1": "test F1 macro {macro:.3f}, weighted {weighted:.3f}",
        "roc_auc": ", ROC AUC {value:.3f}",
        "log_loss": ", log-loss {value:.4g}",
        "per_class": "precision  recall      F1  support (test)",
        "class": "class",
        "mse": "MSE on standardised {target}: {values}",
        "units": "test in {target}'s units: R² {r2:.3f}, RMSE {rmse:.4g}, MAE "
        "{mae:.4g} (the training set's mean: R² {base_r2:.3f}, RMSE "
        "{base_rmse:.4g}, MAE {base_mae:.4g})",
        "pass_mark": "course pass mark ({bars}): {verdict}",
        "met": "met",
        "not_met": "NOT met",
        "stopped": "stopped: {reason} after {updates} weight updates in {seconds:.1f} s",
        "completed": "completed",
        "interrupted": "interrupted",
        "diverged": "diverged",
        "early_stopping": "early stopping",
        "callback": "callback",
        "majority": "warning: the model does no better than always answering the "
        "majority class {majority!r}{hint}",
        "wrote": "wrote {folder}/: {files}",
        "unseen": "{path}: rows with a category unseen in training were predicted "
        "with no category (--unknown ignore): {counts}",
    },
    "zh": {
        "train": "训练集",
        "validation": "验证集",
        "test": "测试集",
        "train_mse": "训练集 MSE",
        "validation_mse": "验证集 MSE",
        "accuracy": "{split}准确率 {acc:.3f}，平衡准确率 {bal:.3f}（总是回答训练集的"
        "多数类 {majority!r}：{base:.3f}）",
        "f1": "测试集 F1：宏平均 {macro:.3f}，加权平均 {weighted:.3f}",
        "roc_auc": "，ROC AUC {value:.3f}",
        "log_loss": "，对数损失 {value:.4g}",
        "per_class": "精确率  召回率      F1  样本数（测试集）",
        "class": "类别",
        "mse": "标准化后 {target} 的均方误差 (MSE)：{values}",
        "units": "测试集（{target} 的原始单位）：R² {r2:.3f}，RMSE {rmse:.4g}，MAE "
        "{mae:.4g}（总是预测训练集均值：R² {base_r2:.3f}，RMSE {base_rmse:.4g}，"
        "MAE {base_mae:.4g}）",
        "pass_mark": "课程及格线（{bars}）：{verdict}",
        "met": "达到",
        "not_met": "未达到",
        "stopped": "训练结束（{reason}）：{updates} 次权重更新，用时 {seconds:.1f} 秒",
        "completed": "完成",
        "interrupted": "被中断",
        "diverged": "发散",
        "early_stopping": "提前停止",
        "callback": "回调函数要求停止",
        "majority": "警告：模型并不比总是回答多数类 {majority!r} 更好{hint}",
        "wrote": "已写入 {folder}/：{files}",
        "unseen": "{path}：含训练时未见过类别的行，按无类别预测（--unknown ignore）：{counts}",
    },
}


def say(lang, key, **values) -> str:
    """The ``key`` sentence in ``lang``, filled with ``values``."""
    return WORDS[check_lang(lang)][key].format(**values)


def word(lang, key) -> str:
    """One word of the table (a split's or a stop reason's name), or ``key``."""
    return WORDS[check_lang(lang)].get(key, key)
