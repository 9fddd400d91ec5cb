"""PNG plots of a task's results: PR curve, ROC curve, reliability diagram, confusion matrix.

matplotlib runs on its Agg backend (files only, no display) and every figure is closed
after saving.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np


def _pyplot():
    import matplotlib

    matplotlib.use("Agg", force=True)
    import matplotlib.pyplot as plt

    return plt


def plot_task(out_dir: Path, task: str, y_positive: np.ndarray, scores: np.ndarray, positive: str,
              confusion: dict, calibrated: np.ndarray | None = None, n_bins: int = 10) -> list[str]:
    """Write ``TASK-pr.png``, ``-roc.png``, ``-reliability.png`` and ``-confusion.png`` into ``out_dir``.

    Curves need both classes in ``y_positive``; with one class only the reliability
    diagram and confusion matrix are drawn. Returns the file names written.
    """
    from sklearn.calibration import calibration_curve
    from sklearn.metrics import precision_recall_curve, roc_curve

    plt = _pyplot()
    out_dir.mkdir(parents=True, exist_ok=True)
    y = np.asarray(y_positive).astype(bool)
    written: list[str] = []

    def save(fig, suffix: str) -> None:
        name = f"{task}-{suffix}.png"
        fig.tight_layout()
        fig.savefig(out_dir / name, dpi=100)
        plt.close(fig)
        written.append(name)

    series = [("raw", scores)] + ([("calibrated", calibrated)] if calibrated is not None else [])
    if y.any() and not y.all():
        fig, ax = plt.subplots(figsize=(4.5, 4))
        for label, s in series:
            precision, recall, _ = precision_recall_curve(y, s)
            ax.plot(recall, precision, label=label)
        ax.axhline(y.mean(), color="grey", linestyle=":", label="prevalence")
        ax.set(xlabel="recall", ylabel="precision", title=f"{task}: {positive} PR", xlim=(0, 1), ylim=(0, 1.02))
        ax.legend(loc="lower left")
        save(fig, "pr")

        fig, ax = plt.subplots(figsize=(4.5, 4))
        fpr, tpr, _ = roc_curve(y, scores)
        ax.plot(fpr, tpr, label=f"{positive} vs rest")
        ax.plot([0, 1], [0, 1], color="grey", linestyle=":")
        ax.set(xlabel="false positive rate", ylabel="true positive rate", title=f"{task}: ROC")
        ax.legend(loc="lower right")
        save(fig, "roc")

    fig, ax = plt.subplots(figsize=(4.5, 4))
    ax.plot([0, 1], [0, 1], color="grey", linestyle=":", label="perfect")
    for label, s in series:
        frac_pos, mean_pred = calibration_curve(y, s, n_bins=n_bins, strategy="uniform")
        ax.plot(mean_pred, frac_pos, marker="o", label=label)
    ax.set(xlabel=f"mean predicted p({positive})", ylabel="observed frequency",
           title=f"{task}: reliability ({n_bins} bins)", xlim=(0, 1), ylim=(0, 1))
    ax.legend(loc="upper left")
    save(fig, "reliability")

    labels = confusion["labels"]
    matrix = np.asarray(confusion["matrix"])
    fig, ax = plt.subplots(figsize=(1.2 * len(labels) + 2, 1.1 * len(labels) + 1.5))
    ax.imshow(matrix, cmap="Blues")
    ax.set_xticks(range(len(labels)), labels, rotation=30, ha="right")
    ax.set_yticks(range(len(labels)), labels)
    ax.set(xlabel="predicted", ylabel="gold", title=f"{task}: confusion")
    peak = matrix.max() if matrix.size else 0
    for (i, j), value in np.ndenumerate(matrix):
        ax.text(j, i, str(value), ha="center", va="center", color="white" if value > peak / 2 else "black")
    save(fig, "confusion")
    return written
