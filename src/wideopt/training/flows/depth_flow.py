"""open_depth_distance (seed 001, next check 3): per-layer weight distance of the sphere model
at other depths and for longer training.

The model is section B's :class:`~wideopt.models.frozen_mlp.FrozenEndsMLP` with
``hidden_layers = L + 1`` (L trained m x m matrices W^2 .. W^{L+1} between the frozen first
and last layers), trained by section B's full-batch GD (:class:`GradientFlow`, loss
(1/2n) sum_i (f(x_i) - y_i)^2, time t = lr x steps) for ``multiples[-1]`` x the base time T.
:class:`LayerwiseFlow` adds, at every evaluation, each trained layer's

    h_k(t) = ||W^k(t) - W^k(0)||_2 / ||W^k(0)||_2      (spectral norms),

and :func:`layer_distances` reduces a run to h_k(c T) = max_{t <= c T} h_k(t) for each
multiple c (evaluations at c T are always in the schedule). Seed 001 predicts h = O(1/sqrt(m))
(||W(0)||_2 ~ 2 sqrt(m), the move O(1)) for the trained layers of any fixed depth.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import torch

from wideopt.models.frozen_mlp import FrozenEndsMLP
from wideopt.training.flows.gradient_flow import GradientFlow, eval_schedule
from wideopt.training.progress import full_batch_trainer


class LayerwiseFlow(GradientFlow):
    """:class:`GradientFlow` that also records ``weight_rel_spec_k`` for every trained layer k
    (k = 1 .. L, input side first)."""

    @torch.no_grad()
    def evaluate(self) -> None:
        super().evaluate()
        for k, (p, w0, s0) in enumerate(zip(self.net.hidden, self.w0, self.w0_spec,
                                            strict=True), start=1):
            rel = float(torch.linalg.matrix_norm(p - w0, ord=2) / s0)
            self.records.append((self.step_count, self.step_count * self.hparams.lr,
                                 f"weight_rel_spec_{k}", rel))


def schedule(base_steps: int, multiples: list[int], n_evals: int) -> list[int]:
    """Log-spaced evaluation steps up to ``multiples[-1] x base_steps``, with every
    ``c x base_steps`` included."""
    s = set(eval_schedule(base_steps * multiples[-1], n_evals))
    return sorted(s | {base_steps * c for c in multiples})


def train_depth(data: dict[str, np.ndarray], depth: int, width: int, seed: int,
                activation: str, preact_var: float, lr: float, base_steps: int,
                multiples: list[int], n_evals: int) -> pd.DataFrame:
    """One run with ``depth`` trained layers; tidy metrics ``step, t, metric, value``."""
    net = FrozenEndsMLP(data["x"].shape[1], width, activation, preact_var, seed=seed,
                        hidden_layers=depth + 1)
    sched = schedule(base_steps, multiples, n_evals)
    module = LayerwiseFlow(net, data["x"], data["y"], data["x_test"], data["y_test"], lr, sched)
    full_batch_trainer(len(sched) - 1, label=f"L={depth} m={width}").fit(module)
    return module.metrics()


def layer_distances(metrics: pd.DataFrame, base_steps: int, multiples: list[int]
                    ) -> pd.DataFrame:
    """h_k(c T) = max over evaluations at steps <= c x base_steps of weight_rel_spec_k:
    columns ``layer, multiple, h, diverged`` (h NaN where the run diverged before c T)."""
    diverged = bool(metrics.loc[metrics.metric == "diverged", "value"].max() > 0)
    spec = metrics[metrics.metric.str.startswith("weight_rel_spec_")]
    rows = []
    for name, g in spec.groupby("metric"):
        for c in multiples:
            upto = g[g.step <= c * base_steps]["value"].to_numpy(float)
            reached = g.step.max() >= c * base_steps
            h = float(np.max(upto)) if reached and np.isfinite(upto).all() else float("nan")
            rows.append(dict(layer=int(name.rsplit("_", 1)[1]), multiple=c, h=h,
                             diverged=diverged))
    return pd.DataFrame(rows, columns=["layer", "multiple", "h", "diverged"])
