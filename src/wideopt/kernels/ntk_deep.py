"""NTK of the frozen-ends MLP (:mod:`wideopt.models.frozen_mlp`): empirical and infinite-width.

Empirical. Each trained matrix enters as z = W a / √m, so the per-sample gradient is the
outer product ∂f/∂W = g aᵀ/√m with g = ∂f/∂z (n × m) and a the layer input (n × m). The
Gram matrix of the Jacobian w.r.t. all trained weights is therefore, exactly,

    H = J Jᵀ = Σ_k (G_k G_kᵀ) ⊙ (A_k A_kᵀ) / m,

which costs O(n² m) instead of the O(n² m²) of forming J. G_k comes from torch.func
(``vmap`` of ``grad`` w.r.t. zero perturbations of z, in chunks of points).

Infinite width, ReLU (arc-cosine recursion, Cho & Saul 2009; Jacot et al. 2018). On the
sphere every quantity depends on t = ⟨x, x'⟩ only. With Σ¹ = q (1 + t)/2 (diagonal q) and,
for a centred Gaussian pair of variance v and covariance c, θ = arccos(c/v):

    E[σ(u)σ(u')] = v (sin θ + (π − θ) cos θ)/(2π),  E[σ'(u)σ'(u')] = (π − θ)/(2π),

the layer covariances are Σ_a^j = E[σσ](Σ^j), Σ^{j+1} = Σ_a^j, Σ̇^j = E[σ'σ'](Σ^j), and the
NTK w.r.t. the trained W^k (k = 2..H) is Θ = Σ_k Σ_a^{k−1} Π_{j=k}^{H} Σ̇^j.
"""

from __future__ import annotations

import logging
import resource
import time

import numpy as np
import pandas as pd
import torch
from torch.func import grad, vmap

from wideopt.kernels.spectra import gram_eigenvalues
from wideopt.models.frozen_mlp import FrozenEndsMLP

log = logging.getLogger(__name__)


def layer_output_grads(net: FrozenEndsMLP, x: torch.Tensor, chunk: int = 256
                       ) -> list[torch.Tensor]:
    """G_k = ∂f(x_i)/∂z^{k+2} for each trained layer k: list of (n, m), via torch.func."""
    n_layers = len(net.hidden)

    def f_one(eps: tuple[torch.Tensor, ...], x1: torch.Tensor) -> torch.Tensor:
        return net(x1[None], eps=[e[None] for e in eps])[0]

    per_sample = vmap(grad(f_one), in_dims=(0, 0))
    out: list[list[torch.Tensor]] = [[] for _ in range(n_layers)]
    for s in range(0, len(x), chunk):
        xc = x[s:s + chunk]
        eps = tuple(torch.zeros(len(xc), net.width, dtype=x.dtype, device=x.device)
                    for _ in range(n_layers))
        for k, g in enumerate(per_sample(eps, xc)):
            out[k].append(g)
    return [torch.cat(g) for g in out]


@torch.no_grad()
def _gram(gs: list[torch.Tensor], as_: list[torch.Tensor], width: int) -> torch.Tensor:
    h = torch.zeros(len(gs[0]), len(gs[0]), dtype=gs[0].dtype, device=gs[0].device)
    for g, a in zip(gs, as_, strict=True):
        h += (g @ g.T) * (a @ a.T)
    return h / width


def empirical_ntk(net: FrozenEndsMLP, x: torch.Tensor, chunk: int = 256) -> torch.Tensor:
    """Empirical NTK w.r.t. the trained matrices, H_ij = ⟨∂f(x_i)/∂θ, ∂f(x_j)/∂θ⟩: (n, n).

    The package's one generic empirical NTK (torch.func gradients). The two-layer net of
    section D has its Gram in closed form,
    :func:`wideopt.kernels.ntk_two_layer.two_layer_ntk_gram`.
    """
    gs = layer_output_grads(net, x, chunk)
    with torch.no_grad():
        as_ = net.trained_layer_inputs(x)
    return _gram(gs, as_, net.width)


def relu_ntk_infinite(t: np.ndarray, preact_var: float = 1.0, hidden_layers: int = 3
                      ) -> np.ndarray:
    """Infinite-width NTK Θ(t) of the ReLU net w.r.t. its trained matrices, any shape of t."""
    t = np.clip(np.asarray(t, dtype=np.float64), -1.0, 1.0)
    cov, var = preact_var * (1.0 + t) / 2.0, preact_var
    sig_a, sig_dot = [], []
    for _ in range(hidden_layers):
        theta = np.arccos(np.clip(cov / var, -1.0, 1.0))
        sig_a.append(var * (np.sin(theta) + (np.pi - theta) * np.cos(theta)) / (2 * np.pi))
        sig_dot.append((np.pi - theta) / (2 * np.pi))
        cov, var = sig_a[-1], var / 2.0
    theta_total = np.zeros_like(t)
    for k in range(1, hidden_layers):  # trained matrix k+1 takes layer k's activations
        term = sig_a[k - 1].copy()
        for j in range(k, hidden_layers):
            term *= sig_dot[j]
        theta_total += term
    return theta_total


def spectra(x: np.ndarray, activation: str, width: int, seeds: list[int],
            preact_var: float = 1.0) -> pd.DataFrame:
    """Eigenvalues of H/n at initialization for each seed (and, for ReLU, the infinite-width
    closed form on the same points, ``kind = infinite``, ``width = 0``).

    Returns tidy columns ``activation, kind, width, seed, k, eigenvalue`` (k = 1..n).
    """
    xt = torch.as_tensor(x, dtype=torch.float64)
    n = len(xt)
    k = np.arange(1, n + 1)
    parts = []
    for seed in seeds:
        net = FrozenEndsMLP(xt.shape[1], width, activation, preact_var, seed=seed)
        t0 = time.perf_counter()
        h = empirical_ntk(net, xt)
        t_gram = time.perf_counter() - t0
        lam = gram_eigenvalues(h, per_point=True)
        log.info("%s m=%d seed=%d n=%d: Gram %.2f s, eigvalsh %.2f s, peak RSS %.0f MiB",
                 activation, width, seed, n, t_gram, time.perf_counter() - t0 - t_gram,
                 resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)
        parts.append(pd.DataFrame(dict(activation=activation, kind="empirical", width=width,
                                       seed=seed, k=k, eigenvalue=lam)))
    if activation == "relu":
        lam = gram_eigenvalues(relu_ntk_infinite(x @ x.T, preact_var), per_point=True)
        parts.append(pd.DataFrame(dict(activation=activation, kind="infinite", width=0,
                                       seed=0, k=k, eigenvalue=lam)))
    return pd.concat(parts, ignore_index=True)
