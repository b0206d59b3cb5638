"""One seaborn theme for every figure, and atomic PNG + PDF output."""

from __future__ import annotations

from pathlib import Path

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import seaborn as sns  # noqa: E402

from wideopt.io import atomic_path  # noqa: E402


def set_theme() -> None:
    sns.set_theme(context="paper", style="whitegrid", palette="colorblind", font_scale=1.1)
    # Reproducible PDFs: no creation date in the metadata.
    plt.rcParams["pdf.compression"] = 6


def save_figure(fig: plt.Figure, stem: str | Path, formats: tuple[str, ...] = ("png", "pdf")):
    """Save ``fig`` as ``stem.png`` and ``stem.pdf`` (atomic writes), then close it."""
    stem = Path(stem)
    for ext in formats:
        with atomic_path(stem.with_suffix(f".{ext}")) as tmp:
            fig.savefig(tmp, format=ext, dpi=150, bbox_inches="tight",
                        metadata={"CreationDate": None} if ext == "pdf" else None)
    plt.close(fig)
